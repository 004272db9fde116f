package dev.vantage.coordinator.console;

import dev.vantage.coordinator.auth.Allowed;
import dev.vantage.coordinator.auth.Caller;
import dev.vantage.coordinator.auth.Open;
import dev.vantage.coordinator.auth.Page;
import dev.vantage.coordinator.auth.Role;
import dev.vantage.coordinator.auth.Sessions;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.CookieParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.NewCookie;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import org.jboss.resteasy.reactive.RestForm;

import java.net.URI;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * Signing in to the console with an API token, with a one-time link ({@code POST /sign-in-links}), and out.
 *
 * <p>The session cookie is {@code HttpOnly}, {@code SameSite=Strict}, {@code Secure} over TLS, and lasts
 * {@code vantage.console.session-lifetime}. The sign-in forms carry a token of their own that must match a cookie
 * set with the form (so no other site can sign a browser in to a session of its choosing).
 */
@Path("/console")
@Page
@Produces(MediaType.TEXT_HTML)
public class SignInPage {
    static final String FORM_COOKIE = "vantage_sign_in";

    @CheckedTemplate(basePath = "console")
    static class Templates {
        static native TemplateInstance signIn(Frame frame, String formToken, String next, String error);

        static native TemplateInstance signInOnce(Frame frame, String formToken, String code);
    }

    private final SecureRandom random = new SecureRandom();
    private final Sessions sessions;
    private final Caller caller;

    public SignInPage(Sessions sessions, Caller caller) {
        this.sessions = sessions;
        this.caller = caller;
    }

    @GET
    @Path("/sign-in")
    @Open
    public Response form(@QueryParam("next") String next, @Context UriInfo uri) {
        String formToken = secret();
        return page(Templates.signIn(Frame.anonymous(), formToken, safeNext(next), null), 200, formToken, uri);
    }

    @POST
    @Path("/sign-in")
    @Open
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response signIn(@RestForm String token, @RestForm("form") String form, @RestForm String next,
                           @CookieParam(FORM_COOKIE) String formCookie, @Context UriInfo uri) {
        String formToken = secret();
        if (!matches(form, formCookie)) {
            return page(Templates.signIn(Frame.anonymous(), formToken, safeNext(next), "The sign-in form has expired "
                    + "or was not sent from this console: sign in again."), 403, formToken, uri);
        }
        return sessions.open(token)
                .map(opened -> signedIn(opened, safeNext(next), uri))
                .orElseGet(() -> page(Templates.signIn(Frame.anonymous(), formToken, safeNext(next),
                        "This token is unknown or revoked: paste an API token (vtk_…) that an admin issued you."),
                        401, formToken, uri));
    }

    @GET
    @Path("/sign-in/once")
    @Open
    public Response once(@QueryParam("code") String code, @Context UriInfo uri) {
        String formToken = secret();
        return page(Templates.signInOnce(Frame.anonymous(), formToken, code == null ? "" : code), 200, formToken, uri);
    }

    @POST
    @Path("/sign-in/once")
    @Open
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response redeem(@RestForm String code, @RestForm("form") String form,
                           @CookieParam(FORM_COOKIE) String formCookie, @Context UriInfo uri) {
        if (!matches(form, formCookie)) {
            return ErrorPages.of(403, "The sign-in form has expired or was not sent from this console: open the link "
                    + "again.");
        }
        return sessions.redeem(code).map(opened -> signedIn(opened, "/console/sites", uri))
                .orElseGet(() -> ErrorPages.of(401, "This sign-in link has been used already or has expired: a link "
                        + "signs in once. Ask for a new one (POST /sign-in-links) or sign in with your token."));
    }

    @POST
    @Path("/sign-out")
    @Allowed(Role.VIEWER)
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response signOut(@RestForm String csrf) {
        caller.requireFormToken(csrf);
        caller.session().ifPresent(sessions::close);
        return Response.seeOther(URI.create("/console/sign-in"))
                .cookie(new NewCookie.Builder(Sessions.COOKIE).value("").path("/").httpOnly(true)
                        .sameSite(NewCookie.SameSite.STRICT).maxAge(0).build())
                .build();
    }

    private Response signedIn(Sessions.Opened opened, String next, UriInfo uri) {
        NewCookie session = new NewCookie.Builder(Sessions.COOKIE).value(opened.cookie()).path("/").httpOnly(true)
                .secure(sessions.secure(uri.getRequestUri().getScheme())).sameSite(NewCookie.SameSite.STRICT)
                .maxAge((int) sessions.lifetime().toSeconds()).build();
        NewCookie spent = new NewCookie.Builder(FORM_COOKIE).value("").path("/console").httpOnly(true)
                .sameSite(NewCookie.SameSite.STRICT).maxAge(0).build();
        return Response.seeOther(URI.create(next)).cookie(session, spent).header("Cache-Control", "no-store").build();
    }

    private Response page(TemplateInstance page, int status, String formToken, UriInfo uri) {
        NewCookie form = new NewCookie.Builder(FORM_COOKIE).value(formToken).path("/console").httpOnly(true)
                .secure(sessions.secure(uri.getRequestUri().getScheme())).sameSite(NewCookie.SameSite.STRICT)
                .maxAge(3600).build();
        return Response.status(status).entity(page).cookie(form).header("Cache-Control", "no-store").build();
    }

    /** Only a console path of this server: never an open redirect elsewhere. */
    static String safeNext(String next) {
        if (next == null || !next.startsWith("/console/") || next.startsWith("//") || next.contains("\\")
                || next.startsWith("/console/sign-")) {
            return "/console/sites";
        }
        return next;
    }

    private static boolean matches(String form, String cookie) {
        return form != null && cookie != null && !form.isEmpty()
                && MessageDigest.isEqual(form.getBytes(StandardCharsets.US_ASCII), cookie.getBytes(StandardCharsets.US_ASCII));
    }

    private String secret() {
        byte[] bytes = new byte[24];
        random.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
