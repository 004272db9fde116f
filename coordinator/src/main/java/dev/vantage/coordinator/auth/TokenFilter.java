package dev.vantage.coordinator.auth;

import dev.vantage.coordinator.api.Problem;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

import java.lang.reflect.Method;
import java.util.Optional;

/**
 * Authenticates every REST call with {@code Authorization: Bearer <token>} and checks the method's
 * {@link Allowed} role. Health, metrics and the OpenAPI document are not REST resources of this
 * application and stay open (they are served on the management paths under {@code /q}).
 */
public class TokenFilter {
    private final Tokens tokens;
    private final Caller caller;

    public TokenFilter(Tokens tokens, Caller caller) {
        this.tokens = tokens;
        this.caller = caller;
    }

    @ServerRequestFilter
    public Optional<Response> authenticate(ContainerRequestContext request, ResourceInfo resource) {
        Role needed = needed(resource);
        String path = request.getUriInfo().getPath();
        if (needed == null) {
            return deny(403, "Forbidden", "this operation declares no role and is refused", path);
        }
        String header = request.getHeaderString("Authorization");
        if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7) || header.length() <= 7) {
            return deny(401, "Unauthorized", "send an API token as 'Authorization: Bearer <token>'", path);
        }
        Optional<Tokens.Grant> grant = tokens.resolve(header.substring(7).trim());
        if (grant.isEmpty()) {
            return deny(401, "Unauthorized", "the API token is unknown or revoked", path);
        }
        Tokens.Grant g = grant.get();
        if (!g.role().covers(needed)) {
            return deny(403, "Forbidden", "token '" + g.name() + "' has role " + g.role().wireName() + "; this operation needs "
                    + needed.wireName(), path);
        }
        caller.authenticate(g.name(), g.role(), g.sites());
        return Optional.empty();
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
