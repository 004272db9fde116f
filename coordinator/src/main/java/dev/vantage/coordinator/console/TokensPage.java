package dev.vantage.coordinator.console;

import dev.vantage.coordinator.api.ApiProblem;
import dev.vantage.coordinator.auth.Allowed;
import dev.vantage.coordinator.auth.Caller;
import dev.vantage.coordinator.auth.Page;
import dev.vantage.coordinator.auth.Role;
import dev.vantage.coordinator.auth.TokenResource;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.RestForm;

import java.net.URI;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

/** The Tokens page, for admins: the tokens, issuing one (its secret shown once) and revoking one, as {@code /tokens}. */
@Path("/console")
@Page
@Produces(MediaType.TEXT_HTML)
public class TokensPage {
    @CheckedTemplate(basePath = "console")
    static class Templates {
        static native TemplateInstance tokens(Frame frame, List<TokenResource.TokenView> tokens,
                                              TokenResource.TokenView issued, String field, String error);
    }

    private final Caller caller;
    private final TokenResource tokens;

    public TokensPage(Caller caller, TokenResource tokens) {
        this.caller = caller;
        this.tokens = tokens;
    }

    @GET
    @Path("/tokens")
    @Allowed(Role.ADMIN)
    public TemplateInstance list() {
        return Templates.tokens(Frame.of(caller, "/tokens"), tokens.list(), null, null, null);
    }

    @POST
    @Path("/tokens")
    @Allowed(Role.ADMIN)
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response issue(@RestForm String csrf, @RestForm String name, @RestForm String role, @RestForm String sites) {
        caller.requireFormToken(csrf);
        List<String> limited = sites == null || sites.isBlank() ? null
                : Arrays.stream(sites.split("[,\\s]+")).filter(s -> !s.isBlank()).toList();
        try {
            TokenResource.TokenView issued = (TokenResource.TokenView) tokens
                    .issue(new TokenResource.TokenRequest(name, role, limited)).getEntity();
            return Response.ok(Templates.tokens(Frame.of(caller, "/tokens"), tokens.list(), issued, null, null))
                    .header("Cache-Control", "no-store").build();
        } catch (ApiProblem p) {
            if (p.status() != 400) {
                throw p;
            }
            return Response.status(400).entity(Templates.tokens(Frame.of(caller, "/tokens"), tokens.list(), null,
                    p.field(), p.getMessage())).build();
        }
    }

    @POST
    @Path("/tokens/{id}/revoke")
    @Allowed(Role.ADMIN)
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response revoke(@PathParam("id") UUID id, @RestForm String csrf) {
        caller.requireFormToken(csrf);
        tokens.revoke(id);
        return Response.seeOther(URI.create("/console/tokens")).build();
    }
}
