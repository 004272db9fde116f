package dev.vantage.coordinator.registry;

import dev.vantage.catalog.Catalogs;
import dev.vantage.coordinator.CoordinatorConfig;
import dev.vantage.coordinator.api.ApiProblem;
import dev.vantage.coordinator.api.Paging;
import dev.vantage.coordinator.auth.Allowed;
import dev.vantage.coordinator.auth.Caller;
import dev.vantage.coordinator.auth.Role;
import dev.vantage.site.Site;
import dev.vantage.site.Vantage;
import dev.vantage.wire.Topics;
import io.quarkus.panache.common.Sort;
import jakarta.transaction.Transactional;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The agent registry. Agents announce themselves by their heartbeats ({@link HeartbeatIngest}) and are
 * enrolled by the rules of {@link Enrolment}; the API reads them, shows whether they are online and
 * trusted, lets an operator approve or reject one, and an admin forget one.
 */
@Path("/agents")
@Produces(MediaType.APPLICATION_JSON)
public class AgentResource {
    private static final Logger LOG = Logger.getLogger(AgentResource.class);

    /**
     * An agent as the API shows it: {@code online} when its last heartbeat is recent enough; {@code enrolment}
     * and {@code vantageRoles}, the roles surveys use it for (its site file's, or the approved ones; empty while it
     * gets no tasks); {@code heartbeatProblem}, why its last heartbeat was not trusted; {@code key}, the key its
     * results must be signed with (null until one is bound), and {@code pendingKey}, another key it announces, which
     * counts for nothing until an operator approves it.
     */
    public record AgentView(String id, String siteId, List<String> roles, String version,
                            List<String> capabilities, Instant firstSeenAt, Instant lastSeenAt, boolean online,
                            long lastHeartbeatAgeSeconds, Enrolment.State enrolment, List<String> vantageRoles,
                            String decidedBy, Instant decidedAt, String heartbeatProblem, BoundKey key,
                            PendingKey pendingKey) {
        static AgentView of(Agent a, Optional<Site> site, Instant now, Duration offlineAfter) {
            Duration age = Duration.between(a.lastSeenAt, now);
            List<String> vantageRoles = a.enrolment != Enrolment.State.APPROVED ? List.of()
                    : site.flatMap(s -> Enrolment.listed(s, a.id)).map(Vantage::roles)
                    .orElse(a.approvedRoles == null || site.isEmpty() ? List.of() : a.approvedRoles);
            return new AgentView(a.id, a.siteId, a.roles, a.version, a.capabilities, a.firstSeenAt, a.lastSeenAt,
                    age.compareTo(offlineAfter) <= 0, Math.max(0, age.toSeconds()), a.enrolment, vantageRoles,
                    a.decidedBy, a.decidedAt, a.heartbeatProblem,
                    a.keyId == null ? null : new BoundKey(a.keyId, a.publicKey, a.keyBoundAt, a.keyBoundBy),
                    a.pendingKeyId == null ? null : new PendingKey(a.pendingKeyId, a.pendingPublicKey, a.pendingKeySeenAt));
        }
    }

    /**
     * The key bound to an agent: {@code keyId}, the fingerprint the agent logs when it starts; {@code publicKey},
     * base64 X.509; when and by whom it was bound ({@code site file}, or the operator).
     */
    public record BoundKey(String keyId, String publicKey, Instant boundAt, String boundBy) {
    }

    /** A key the agent announces instead of its bound one, since {@code firstSeenAt}. */
    public record PendingKey(String keyId, String publicKey, Instant firstSeenAt) {
    }

    /**
     * The roles an operator approves an agent its site file does not list for (by default those it claims), and
     * optionally the key id the operator expects the agent to be approved with: approving an agent that was not
     * approved binds the key it announces, and a {@code keyId} makes sure that is the key the operator checked.
     */
    public record Approval(List<String> roles, String keyId) {
    }

    /** The key id of the pending key an operator approves, as the agent logs it and {@code pendingKey.keyId} shows it. */
    public record KeyApproval(String keyId) {
    }

    private final Caller caller;
    private final Paging paging;
    private final SiteRegistry sites;
    private final Duration offlineAfter;

    public AgentResource(Caller caller, Paging paging, SiteRegistry sites, CoordinatorConfig config) {
        this.caller = caller;
        this.paging = paging;
        this.sites = sites;
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
        Map<String, Optional<Site>> siteById = new HashMap<>();
        return agents.stream().map(a -> AgentView.of(a, siteById.computeIfAbsent(a.siteId, this::site), now,
                offlineAfter)).toList();
    }

    @GET
    @Path("/{id}")
    @Allowed(Role.VIEWER)
    @Transactional
    @Operation(summary = "One agent")
    public AgentView get(@PathParam("id") String id) {
        return view(visible(id));
    }

    @POST
    @Path("/{id}/approve")
    @Consumes(MediaType.APPLICATION_JSON)
    @Allowed(Role.OPERATOR)
    @Transactional
    @Operation(summary = "Approve an agent: it gets tasks for the roles its site file gives it or, when the site "
            + "file does not list it, for the roles given here (default: the roles it claims)")
    public AgentView approve(@PathParam("id") String id, Approval approval) {
        Agent agent = visible(id);
        boolean bindsKey = agent.enrolment != Enrolment.State.APPROVED && agent.pendingKeyId != null;
        String key = bindsKey ? agent.pendingKeyId : agent.keyId;
        String expected = approval == null ? null : approval.keyId();
        if (expected != null && !expected.equals(key)) {
            throw ApiProblem.conflict("keyId", expected, "agent '" + id + "' would be approved with key " + key
                    + (bindsKey || agent.pendingKeyId == null ? "" : " (it announces " + agent.pendingKeyId
                    + ": approve that with POST /agents/" + id + "/key/approve)")
                    + "; compare the key id the agent logs when it starts");
        }
        Site site = site(agent.siteId).orElseThrow(() -> ApiProblem.conflict("siteId", agent.siteId, "agent '" + id
                + "' announces site '" + agent.siteId + "', which does not exist: register the site first"));
        List<String> asked = approval == null ? null : approval.roles();
        Optional<Vantage> listed = Enrolment.listed(site, id);
        if (listed.isPresent()) {
            if (asked != null && !new HashSet<>(asked).equals(new HashSet<>(listed.get().roles()))) {
                throw ApiProblem.badRequest("roles", asked, "site '" + site.id() + "' lists agent '" + id
                        + "' with roles " + listed.get().roles() + "; change its roles in the site file (PUT /sites/"
                        + site.id() + ") or approve without roles");
            }
            agent.approvedRoles = null;
        } else {
            List<String> roles = asked != null ? asked : agent.roles;
            if (roles == null || roles.isEmpty()) {
                throw ApiProblem.badRequest("roles", roles, "agent '" + id + "' is not listed in site '" + site.id()
                        + "' and claims no roles: give the roles it plays, e.g. {\"roles\": [\"end-users\"]}");
            }
            Set<String> known = Catalogs.bundled(site.catalog()).roles().keySet();
            for (String role : roles) {
                if (!known.contains(role)) {
                    throw ApiProblem.badRequest("roles", role, "'" + role + "' is no role of catalog " + site.catalog()
                            + "; its roles are " + String.join(", ", known));
                }
            }
            agent.approvedRoles = List.copyOf(new LinkedHashSet<>(roles));
        }
        if (bindsKey) {
            AgentKeys.bindPending(agent, caller.name(), Instant.now());
        }
        decide(agent, Enrolment.State.APPROVED);
        LOG.infof("agent %s of site %s approved by %s for roles %s, key %s", id, site.id(), caller.name(),
                listed.map(Vantage::roles).orElse(agent.approvedRoles), agent.keyId);
        return view(agent);
    }

    @POST
    @Path("/{id}/key/approve")
    @Consumes(MediaType.APPLICATION_JSON)
    @Allowed(Role.OPERATOR)
    @Transactional
    @Operation(summary = "Approve the new key an agent announces (pendingKey), named by its key id: from then on its "
            + "results count only when signed with it, no longer with the key bound before")
    public AgentView approveKey(@PathParam("id") String id, KeyApproval approval) {
        Agent agent = visible(id);
        String asked = approval == null ? null : approval.keyId();
        if (asked == null || asked.isBlank()) {
            throw ApiProblem.badRequest("keyId", asked, "name the key to approve by its key id: the agent logs it when "
                    + "it starts, GET /agents/" + id + " shows it as pendingKey.keyId");
        }
        if (agent.pendingKeyId == null) {
            throw ApiProblem.conflict("keyId", asked, "agent '" + id + "' announces no key besides its bound key "
                    + agent.keyId + ": there is nothing to approve");
        }
        if (!agent.pendingKeyId.equals(asked)) {
            throw ApiProblem.conflict("keyId", asked, "agent '" + id + "' announces key " + agent.pendingKeyId + ", not "
                    + asked + ": compare with the key id the agent logs when it starts");
        }
        String before = agent.keyId;
        AgentKeys.bindPending(agent, caller.name(), Instant.now());
        agent.persist();
        LOG.infof("agent %s of site %s: key %s approved by %s (was %s)", id, agent.siteId, agent.keyId, caller.name(),
                before);
        return view(agent);
    }

    @POST
    @Path("/{id}/reject")
    @Allowed(Role.OPERATOR)
    @Transactional
    @Operation(summary = "Reject or revoke an agent: it gets no tasks, even if its site file lists it; tasks "
            + "queued for it and not yet sent are dropped")
    public AgentView reject(@PathParam("id") String id) {
        Agent agent = visible(id);
        agent.approvedRoles = null;
        decide(agent, Enrolment.State.REJECTED);
        int dropped = Agent.getEntityManager().createNativeQuery("DELETE FROM outbox WHERE message_key = ?1 AND topic = ?2")
                .setParameter(1, id).setParameter(2, Topics.tasks(agent.siteId)).executeUpdate();
        LOG.infof("agent %s of site %s rejected by %s; %d queued tasks dropped", id, agent.siteId, caller.name(),
                dropped);
        return view(agent);
    }

    @DELETE
    @Path("/{id}")
    @Allowed(Role.ADMIN)
    @Transactional
    @Operation(summary = "Forget an agent and its enrolment; it enrols again with its next heartbeat")
    public Response delete(@PathParam("id") String id) {
        visible(id).delete();
        return Response.noContent().build();
    }

    private Agent visible(String id) {
        Agent agent = Agent.findById(id);
        if (agent == null || !caller.maySee(agent.siteId)) {
            throw ApiProblem.notFound("agent", id);
        }
        return agent;
    }

    private void decide(Agent agent, Enrolment.State state) {
        agent.enrolment = state;
        agent.decidedBy = caller.name();
        agent.decidedAt = Instant.now();
        agent.persist();
    }

    private AgentView view(Agent agent) {
        return AgentView.of(agent, site(agent.siteId), Instant.now(), offlineAfter);
    }

    private Optional<Site> site(String siteId) {
        return sites.current(siteId).map(SiteRegistry.Versioned::site);
    }
}
