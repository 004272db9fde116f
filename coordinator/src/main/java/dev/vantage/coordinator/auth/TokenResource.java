package dev.vantage.coordinator.auth;

import dev.vantage.coordinator.api.ApiProblem;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;

import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.regex.Pattern;

/** Token management, for admins. */
@Path("/tokens")
@Produces(MediaType.APPLICATION_JSON)
@Allowed(Role.ADMIN)
public class TokenResource {
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9 ._@-]{0,99}");

    /** What to issue: a name people recognise, a role, and optionally the only sites it may see. */
    public record TokenRequest(String name, String role, List<String> sites) {
    }

    /** A token as listed; the secret only appears in the answer to its creation. */
    public record TokenView(UUID id, String name, String role, List<String> sites, Instant createdAt,
                            String createdBy, Instant revokedAt, String secret) {
        static TokenView of(ApiToken t, String secret) {
            return new TokenView(t.id, t.name, t.role, t.sites, t.createdAt, t.createdBy, t.revokedAt, secret);
        }
    }

    private final Tokens tokens;
    private final Caller caller;

    public TokenResource(Tokens tokens, Caller caller) {
        this.tokens = tokens;
        this.caller = caller;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Issue a token; the answer holds its secret, which is not shown again")
    public Response issue(TokenRequest request) {
        if (request == null) {
            throw ApiProblem.badRequest("body", null, "send {\"name\": ..., \"role\": ..., \"sites\": [...]}");
        }
        if (request.name() == null || !NAME.matcher(request.name()).matches()) {
            throw ApiProblem.badRequest("name", request.name(), "name must be 1-100 letters, digits, spaces, "
                    + "'.', '_', '@' or '-', was '" + request.name() + "'");
        }
        Role role;
        try {
            role = Role.fromWireName(request.role());
        } catch (IllegalArgumentException e) {
            throw ApiProblem.badRequest("role", request.role(), e.getMessage());
        }
        if (request.sites() != null && request.sites().isEmpty()) {
            throw ApiProblem.badRequest("sites", "[]", "sites is empty: omit it for a token that sees every site");
        }
        if (role == Role.ADMIN && request.sites() != null) {
            throw ApiProblem.badRequest("sites", request.sites(), "an admin token manages tokens for every site "
                    + "and cannot be limited to sites; use role operator");
        }
        Tokens.Issued issued = tokens.issue(request.name(), role, request.sites(), caller.name());
        return Response.status(201).entity(TokenView.of(issued.token(), issued.secret())).build();
    }

    @GET
    @Operation(summary = "Every token, without secrets")
    public List<TokenView> list() {
        return tokens.list().stream().map(t -> TokenView.of(t, null)).toList();
    }

    @DELETE
    @Path("/{id}")
    @Operation(summary = "Revoke a token")
    public Response revoke(@PathParam("id") UUID id) {
        if (!tokens.revoke(id)) {
            throw ApiProblem.notFound("active token", id.toString());
        }
        return Response.noContent().build();
    }
}
