package dev.vantage.coordinator.console;

import dev.vantage.coordinator.CoordinatorConfig;
import dev.vantage.coordinator.api.ApiProblem;
import dev.vantage.coordinator.auth.Allowed;
import dev.vantage.coordinator.auth.Caller;
import dev.vantage.coordinator.auth.Page;
import dev.vantage.coordinator.auth.Role;
import dev.vantage.coordinator.registry.AgentDirectory;
import dev.vantage.coordinator.registry.AgentResource;
import dev.vantage.coordinator.registry.Enrolment;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.RestForm;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;

/**
 * The Agents page: every agent the caller may see, online or offline since when, and the pending ones with approve
 * and reject for operators; through {@link AgentDirectory}, as {@code /agents} and its approve and reject.
 */
@Path("/console")
@Page
@Produces(MediaType.TEXT_HTML)
public class AgentsPage {
    /** An agent as the page lists it. */
    public record Row(AgentResource.AgentView agent, String state, String css, String heartbeat, boolean approved,
                      boolean rejected) {
    }

    @CheckedTemplate(basePath = "console")
    static class Templates {
        static native TemplateInstance agents(Frame frame, String site, List<Row> agents, String done, String error,
                                              String errorAgent);
    }

    private final Caller caller;
    private final AgentDirectory directory;
    private final int maxPage;

    public AgentsPage(Caller caller, AgentDirectory directory, CoordinatorConfig config) {
        this.caller = caller;
        this.directory = directory;
        this.maxPage = config.api().maxPageSize();
    }

    @GET
    @Path("/agents")
    @Allowed(Role.VIEWER)
    public TemplateInstance agents(@QueryParam("site") String site, @QueryParam("done") String done) {
        return page(site, done, null, null);
    }

    private TemplateInstance page(String site, String done, String error, String errorAgent) {
        String s = site == null || site.isBlank() ? null : site;
        Instant now = Instant.now();
        List<Row> rows = directory.list(s, maxPage, 0).stream().map(a -> new Row(a,
                a.online() ? "online" : "offline since " + a.lastSeenAt(), a.online() ? "agent-on" : "agent-off",
                Cells.age(a.lastSeenAt(), now) + " ago", a.enrolment() == Enrolment.State.APPROVED,
                a.enrolment() == Enrolment.State.REJECTED)).toList();
        return Templates.agents(Frame.of(caller, s == null ? "/agents" : "/agents?site=" + s), s, rows, done, error,
                errorAgent);
    }

    @POST
    @Path("/agents/{id}/approve")
    @Allowed(Role.OPERATOR)
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response approve(@PathParam("id") String id, @RestForm String csrf, @RestForm List<String> roles,
                            @RestForm String site) {
        caller.requireFormToken(csrf);
        try {
            directory.approve(id, roles == null || roles.isEmpty() ? null : roles, null);
        } catch (ApiProblem p) {
            if (p.status() != 400) {
                throw p;
            }
            return Response.status(400).entity(page(site, null, p.getMessage(), id)).build();
        }
        return back(site, "approved " + id);
    }

    @POST
    @Path("/agents/{id}/reject")
    @Allowed(Role.OPERATOR)
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response reject(@PathParam("id") String id, @RestForm String csrf, @RestForm String site) {
        caller.requireFormToken(csrf);
        directory.reject(id);
        return back(site, "rejected " + id);
    }

    private static Response back(String site, String done) {
        String query = "?done=" + URLEncoder.encode(done, StandardCharsets.UTF_8)
                + (site == null || site.isBlank() ? "" : "&site=" + URLEncoder.encode(site, StandardCharsets.UTF_8));
        return Response.seeOther(URI.create("/console/agents" + query)).build();
    }
}
