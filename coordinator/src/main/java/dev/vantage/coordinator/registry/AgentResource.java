package dev.vantage.coordinator.registry;

import dev.vantage.coordinator.CoordinatorConfig;
import dev.vantage.coordinator.api.ApiProblem;
import dev.vantage.coordinator.api.Paging;
import dev.vantage.coordinator.auth.Allowed;
import dev.vantage.coordinator.auth.Caller;
import dev.vantage.coordinator.auth.Role;
import io.quarkus.panache.common.Sort;
import jakarta.transaction.Transactional;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * The agent registry. Agents enrol themselves by their heartbeats ({@link HeartbeatIngest}); the API
 * reads them, shows whether they are online, and lets an admin forget one.
 */
@Path("/agents")
@Produces(MediaType.APPLICATION_JSON)
public class AgentResource {

    /** An agent as the API shows it; {@code online} when its last heartbeat is recent enough. */
    public record AgentView(String id, String siteId, List<String> roles, String version,
                            List<String> capabilities, Instant firstSeenAt, Instant lastSeenAt, boolean online,
                            long lastHeartbeatAgeSeconds) {
        static AgentView of(Agent a, Instant now, Duration offlineAfter) {
            Duration age = Duration.between(a.lastSeenAt, now);
            return new AgentView(a.id, a.siteId, a.roles, a.version, a.capabilities, a.firstSeenAt, a.lastSeenAt,
                    age.compareTo(offlineAfter) <= 0, Math.max(0, age.toSeconds()));
        }
    }

    private final Caller caller;
    private final Paging paging;
    private final Duration offlineAfter;

    public AgentResource(Caller caller, Paging paging, CoordinatorConfig config) {
        this.caller = caller;
        this.paging = paging;
        this.offlineAfter = config.agents().offlineAfter();
    }

    @GET
    @Allowed(Role.VIEWER)
    @Transactional
    @Operation(summary = "Agents, optionally of one site")
    public List<AgentView> list(@QueryParam("site") String siteId, @QueryParam("limit") Integer limit,
                                @QueryParam("offset") Integer offset) {
        Paging.Page page = paging.page(limit, offset);
        List<Agent> agents;
        if (siteId != null) {
            caller.requireSite(siteId);
            agents = Agent.find("siteId", Sort.by("id"), siteId).range(page.offset(), page.offset() + page.limit() - 1)
                    .list();
        } else {
            agents = caller.sites()
                    .map(ids -> Agent.<Agent>find("siteId in ?1", Sort.by("id"), ids))
                    .orElseGet(() -> Agent.findAll(Sort.by("id")))
                    .range(page.offset(), page.offset() + page.limit() - 1).list();
        }
        Instant now = Instant.now();
        return agents.stream().map(a -> AgentView.of(a, now, offlineAfter)).toList();
    }

    @GET
    @Path("/{id}")
    @Allowed(Role.VIEWER)
    @Transactional
    @Operation(summary = "One agent")
    public AgentView get(@PathParam("id") String id) {
        Agent agent = Agent.findById(id);
        if (agent == null || !caller.maySee(agent.siteId)) {
            throw ApiProblem.notFound("agent", id);
        }
        return AgentView.of(agent, Instant.now(), offlineAfter);
    }

    @DELETE
    @Path("/{id}")
    @Allowed(Role.ADMIN)
    @Transactional
    @Operation(summary = "Forget an agent; it enrols again with its next heartbeat")
    public Response delete(@PathParam("id") String id) {
        Agent agent = Agent.findById(id);
        if (agent == null || !caller.maySee(agent.siteId)) {
            throw ApiProblem.notFound("agent", id);
        }
        agent.delete();
        return Response.noContent().build();
    }
}
