package dev.vantage.coordinator.auth;

import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import org.eclipse.microprofile.openapi.annotations.Operation;

import java.time.Instant;

/**
 * One-time console sign-in links, for admins (the demo prints one): the link signs a browser in once, with the token
 * the link was asked with, until {@code vantage.console.sign-in-link-validity} has passed. The code in it is stored
 * as a hash and deleted when used, so the link cannot be replayed.
 */
@Path("/sign-in-links")
@Produces(MediaType.APPLICATION_JSON)
public class SignInLinkResource {
    /** The link to open, and when it stops working. */
    public record SignInLink(String url, Instant expiresAt) {
    }

    private final Sessions sessions;
    private final Caller caller;

    public SignInLinkResource(Sessions sessions, Caller caller) {
        this.sessions = sessions;
        this.caller = caller;
    }

    @POST
    @Allowed(Role.ADMIN)
    @Operation(summary = "A one-time console sign-in link for the calling token: it signs in once and expires soon")
    public Response issue(@Context UriInfo uri) {
        Sessions.Issued issued = sessions.issueCode(caller.tokenHash(), caller.name());
        String url = uri.getBaseUriBuilder().path("/console/sign-in/once").queryParam("code", issued.code()).build()
                .toString();
        return Response.status(201).entity(new SignInLink(url, issued.expiresAt())).build();
    }
}
