package dev.vantage.coordinator.auth;

import dev.vantage.coordinator.api.Problem;
import dev.vantage.coordinator.console.ErrorPages;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.Cookie;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

import java.lang.reflect.Method;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * Authenticates every REST call with {@code Authorization: Bearer <token>} and checks the method's
 * {@link Allowed} role. Health, metrics and the OpenAPI document are not REST resources of this
 * application and stay open (they are served on the management paths under {@code /q}).
 *
 * <p>The console ({@link Page} resources) is authenticated by its session cookie ({@link Sessions}), with the same
 * roles. A signed-in browser may also read the API (GET and HEAD only) with its session, so that every page's
 * link to its JSON works; anything that changes state over the API still needs a bearer token, so the API never
 * acts on a cookie alone (the console's own forms carry a CSRF token besides the cookie).
 */
public class TokenFilter {
    private final Tokens tokens;
    private final Sessions sessions;
    private final Caller caller;

    public TokenFilter(Tokens tokens, Sessions sessions, Caller caller) {
        this.tokens = tokens;
        this.sessions = sessions;
        this.caller = caller;
    }

    @ServerRequestFilter
    public Optional<Response> authenticate(ContainerRequestContext request, ResourceInfo resource) {
        Method m = resource.getResourceMethod();
        boolean page = resource.getResourceClass() != null && resource.getResourceClass().isAnnotationPresent(Page.class);
        if (page && m != null && m.isAnnotationPresent(Open.class)) {
            session(request).ifPresent(s -> caller.authenticate(s.grant().name(), s.grant().role(), s.grant().sites(),
                    s.tokenHash(), s));
            return Optional.empty();
        }
        Role needed = needed(resource);
        String path = request.getUriInfo().getPath();
        if (needed == null) {
            return page ? Optional.of(ErrorPages.of(403, "This page declares no role and is refused.")) : deny(403, "Forbidden", "this operation declares no role and is refused", path);
        }
        if (page) {
            return admitPage(request, needed);
        }
        String header = request.getHeaderString("Authorization");
        if (header == null && isSafe(request.getMethod())) {
            Optional<Sessions.Session> session = session(request);
            if (session.isPresent()) {
                return admit(session.get().grant(), session.get().tokenHash(), session.get(), needed, path);
            }
        }
        if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7) || header.length() <= 7) {
            return deny(401, "Unauthorized", "send an API token as 'Authorization: Bearer <token>'", path);
        }
        String secret = header.substring(7).trim();
        Optional<Tokens.Grant> grant = tokens.resolve(secret);
        if (grant.isEmpty()) {
            return deny(401, "Unauthorized", "the API token is unknown or revoked", path);
        }
        return admit(grant.get(), Tokens.hash(secret), null, needed, path);
    }

    private Optional<Response> admit(Tokens.Grant g, String tokenHash, Sessions.Session session, Role needed,
                                     String path) {
        if (!g.role().covers(needed)) {
            return deny(403, "Forbidden", "token '" + g.name() + "' has role " + g.role().wireName() + "; this operation needs "
                    + needed.wireName(), path);
        }
        caller.authenticate(g.name(), g.role(), g.sites(), tokenHash, session);
        return Optional.empty();
    }

    private Optional<Response> admitPage(ContainerRequestContext request, Role needed) {
        Optional<Sessions.Session> session = session(request);
        if (session.isEmpty()) {
            if (isSafe(request.getMethod())) {
                URI uri = request.getUriInfo().getRequestUri();
                String next = uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
                return Optional.of(Response.seeOther(URI.create("/console/sign-in?next="
                        + URLEncoder.encode(next, StandardCharsets.UTF_8))).build());
            }
            return Optional.of(ErrorPages.of(401, "You are not signed in, or your session has ended: sign in again."));
        }
        Sessions.Session s = session.get();
        if (!s.grant().role().covers(needed)) {
            return Optional.of(ErrorPages.of(403, "You are signed in as '" + s.grant().name() + "' with role "
                    + s.grant().role().wireName() + "; this needs role " + needed.wireName() + "."));
        }
        caller.authenticate(s.grant().name(), s.grant().role(), s.grant().sites(), s.tokenHash(), s);
        return Optional.empty();
    }

    private Optional<Sessions.Session> session(ContainerRequestContext request) {
        Cookie cookie = request.getCookies().get(Sessions.COOKIE);
        return cookie == null ? Optional.empty() : sessions.resolve(cookie.getValue());
    }

    private static boolean isSafe(String method) {
        return "GET".equals(method) || "HEAD".equals(method);
    }

    private static Role needed(ResourceInfo resource) {
        Method m = resource.getResourceMethod();
        if (m == null) {
            return null;
        }
        Allowed a = m.getAnnotation(Allowed.class);
        if (a == null) {
            a = resource.getResourceClass().getAnnotation(Allowed.class);
        }
        return a == null ? null : a.value();
    }

    private static Optional<Response> deny(int status, String title, String detail, String rawPath) {
        String path = rawPath.startsWith("/") ? rawPath : "/" + rawPath;
        Response.ResponseBuilder r = Response.status(status).type(Problem.MEDIA_TYPE)
                .entity(new Problem("about:blank", title, status, detail, path, status == 401 ? "Authorization" : null, null));
        if (status == 401) {
            r.header("WWW-Authenticate", "Bearer");
        }
        return Optional.of(r.build());
    }
}
