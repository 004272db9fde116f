package dev.vantage.coordinator.registry;

import dev.vantage.catalog.Catalogs;
import dev.vantage.coordinator.CoordinatorConfig;
import dev.vantage.coordinator.api.ApiProblem;
import dev.vantage.coordinator.api.Paging;
import dev.vantage.coordinator.auth.Caller;
import dev.vantage.site.Site;
import dev.vantage.site.Vantage;
import dev.vantage.wire.Topics;
import io.quarkus.panache.common.Sort;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
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
 * Reads agents for the caller and carries out an operator's approval or rejection: what {@code /agents} does, for
 * the API and the console alike. An agent of a site the caller may not see does not exist for it (404).
 */
@ApplicationScoped
public class AgentDirectory {
    private static final Logger LOG = Logger.getLogger(AgentDirectory.class);

    private final Caller caller;
    private final Paging paging;
    private final SiteRegistry sites;
    private final Duration offlineAfter;

    public AgentDirectory(Caller caller, Paging paging, SiteRegistry sites, CoordinatorConfig config) {
        this.caller = caller;
        this.paging = paging;
        this.sites = sites;
        this.offlineAfter = config.agents().offlineAfter();
    }

    /** Agents the caller may see, of one site or (null) of all, by id. */
    @Transactional
    public List<AgentResource.AgentView> list(String siteId, Integer limit, Integer offset) {
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
        return agents.stream().map(a -> AgentResource.AgentView.of(a, siteById.computeIfAbsent(a.siteId, this::site),
                now, offlineAfter)).toList();
    }

    @Transactional
    public AgentResource.AgentView get(String id) {
        return view(visible(id));
    }

    /**
     * Approves an agent: for the roles its site file gives it, or (not listed) for {@code roles}, by default the
     * roles it claims. Approving an agent that was not approved binds the key it announces; {@code expectedKeyId},
     * when given, must be that key (the one the operator compared with the agent's log).
     *
     * @throws ApiProblem naming {@code roles} when they do not fit the site file or the catalog, or {@code keyId}
     *                    when the agent would be approved with another key
     */
    @Transactional
    public AgentResource.AgentView approve(String id, List<String> asked, String expectedKeyId) {
        Agent agent = visible(id);
        boolean bindsKey = agent.enrolment != Enrolment.State.APPROVED && agent.pendingKeyId != null;
        String key = bindsKey ? agent.pendingKeyId : agent.keyId;
        if (expectedKeyId != null && !expectedKeyId.equals(key)) {
            throw ApiProblem.conflict("keyId", expectedKeyId, "agent '" + id + "' would be approved with key " + key
                    + (bindsKey || agent.pendingKeyId == null ? "" : " (it announces " + agent.pendingKeyId
                    + ": approve that with POST /agents/" + id + "/key/approve)")
                    + "; compare the key id the agent logs when it starts");
        }
        Site site = site(agent.siteId).orElseThrow(() -> ApiProblem.conflict("siteId", agent.siteId, "agent '" + id
                + "' announces site '" + agent.siteId + "', which does not exist: register the site first"));
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

    /**
     * Binds the new key an agent announces, named by its key id: from then on its results count only when signed
     * with it.
     *
     * @throws ApiProblem naming {@code keyId} when it is missing or not the key the agent announces
     */
    @Transactional
    public AgentResource.AgentView approveKey(String id, String asked) {
        Agent agent = visible(id);
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

    /** Rejects a pending agent or revokes an approved one; its tasks not yet sent are dropped. */
    @Transactional
    public AgentResource.AgentView reject(String id) {
        Agent agent = visible(id);
        agent.approvedRoles = null;
        decide(agent, Enrolment.State.REJECTED);
        int dropped = Agent.getEntityManager().createNativeQuery("DELETE FROM outbox WHERE message_key = ?1 AND topic = ?2")
                .setParameter(1, id).setParameter(2, Topics.tasks(agent.siteId)).executeUpdate();
        LOG.infof("agent %s of site %s rejected by %s; %d queued tasks dropped", id, agent.siteId, caller.name(),
                dropped);
        return view(agent);
    }

    @Transactional
    public void delete(String id) {
        visible(id).delete();
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

    private AgentResource.AgentView view(Agent agent) {
        return AgentResource.AgentView.of(agent, site(agent.siteId), Instant.now(), offlineAfter);
    }

    private Optional<Site> site(String siteId) {
        return sites.current(siteId).map(SiteRegistry.Versioned::site);
    }
}
