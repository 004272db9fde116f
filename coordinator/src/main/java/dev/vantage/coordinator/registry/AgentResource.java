package dev.vantage.coordinator.registry;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import java.time.Instant;
import java.util.List;

/** Read access to the agent registry. */
@Path("/agents")
@Produces(MediaType.APPLICATION_JSON)
public class AgentResource {

    /** An agent as the API shows it. */
    public record AgentView(String id, String siteId, List<String> roles, String version,
                            List<String> capabilities, Instant firstSeenAt, Instant lastSeenAt) {
        static AgentView of(Agent a) {
            return new AgentView(a.id, a.siteId, a.roles, a.version, a.capabilities, a.firstSeenAt, a.lastSeenAt);
        }
    }

    @GET
    public List<AgentView> list(@QueryParam("site") String siteId) {
        List<Agent> agents = siteId == null ? Agent.listAll() : Agent.ofSite(siteId);
        return agents.stream().map(AgentView::of).toList();
    }

    @GET
    @Path("/{id}")
    public AgentView get(@PathParam("id") String id) {
        Agent agent = Agent.findById(id);
        if (agent == null) {
            throw new NotFoundException("no agent with id '" + id + "'");
        }
        return AgentView.of(agent);
    }
}
