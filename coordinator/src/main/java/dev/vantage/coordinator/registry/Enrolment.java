package dev.vantage.coordinator.registry;

import dev.vantage.site.Site;
import dev.vantage.site.Vantage;
import dev.vantage.wire.Heartbeat;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Which agents a site trusts. The site file is written by operations, so an agent it lists among the site's
 * vantages is approved by that listing, for exactly the roles the file gives it; every other agent that
 * announces itself is {@link State#PENDING} until an operator approves it (with the roles it may play) or
 * rejects it. A heartbeat is never trusted beyond that: one for a site that does not exist, or claiming roles
 * the site does not give the agent, is recorded with the reason and approves nothing; one naming another site
 * than the one an agent is enrolled at moves nothing. Surveys use the trusted agents only
 * ({@link #forSurvey}); the others are named with the reason.
 */
public final class Enrolment {
    /** An agent's enrolment. */
    public enum State {
        /** Announced itself, not trusted yet: gets no tasks. */
        PENDING,
        /** Listed in its site file with a trusted heartbeat, or approved by an operator: gets tasks. */
        APPROVED,
        /** Rejected or revoked by an operator: gets no tasks, even when its site file lists it. */
        REJECTED
    }

    /** Who approves an agent that its site file lists. */
    public static final String SITE_FILE = "site file";

    /** The vantages a survey uses, and the agents it leaves out with why. */
    public record SurveyVantages(List<Vantage> vantages, Map<String, String> excluded) {
    }

    private Enrolment() {
    }

    /** The vantage the site lists for this agent, if any. */
    public static Optional<Vantage> listed(Site site, String agentId) {
        return site.vantages().stream().filter(v -> v.agent().equals(agentId)).findFirst();
    }

    /**
     * Why a heartbeat is not trusted, or null when it is: its site must exist and give the agent every role it
     * claims (the site file's roles for a listed agent, the approved ones for an agent approved over the API).
     */
    static String problem(Heartbeat hb, Optional<Site> site, Agent known) {
        if (site.isEmpty()) {
            return "announces site '" + hb.siteId() + "', which does not exist: register the site or correct the "
                    + "agent's site id";
        }
        Optional<Vantage> listed = listed(site.get(), hb.agentId());
        List<String> given = listed.map(Vantage::roles)
                .orElse(known != null && known.approvedRoles != null ? known.approvedRoles : null);
        if (given != null && !given.containsAll(hb.roles())) {
            List<String> extra = hb.roles().stream().filter(r -> !given.contains(r)).toList();
            return "claims roles " + extra + " that site '" + hb.siteId() + "' does not give it (it plays "
                    + given + (listed.isPresent() ? " by the site file" : " as approved") + "); tasks follow "
                    + (listed.isPresent() ? "the site file" : "the approval");
        }
        return null;
    }

    /**
     * The vantages of a survey of {@code site}: the site file's, less the agents that are rejected or whose
     * heartbeat was not trusted, plus the agents approved over the API with their approved roles.
     * {@code agents} are the known agents listed by the site or announcing it; a listed agent that never sent a
     * heartbeat is used (the site file approves it; its tasks wait on its topic).
     */
    public static SurveyVantages forSurvey(Site site, List<Agent> agents) {
        Map<String, Agent> byId = new LinkedHashMap<>();
        agents.forEach(a -> byId.put(a.id, a));
        List<Vantage> vantages = new ArrayList<>();
        Map<String, String> excluded = new LinkedHashMap<>();
        for (Vantage v : site.vantages()) {
            Agent a = byId.get(v.agent());
            if (a == null || a.enrolment == State.APPROVED) {
                vantages.add(v);
            } else if (a.enrolment == State.REJECTED) {
                excluded.put(v.agent(), "rejected by " + a.decidedBy + " at " + a.decidedAt);
            } else {
                excluded.put(v.agent(), "pending approval: its heartbeat was not trusted ("
                        + (a.heartbeatProblem == null ? "announced before its site listed it" : a.heartbeatProblem) + ")");
            }
        }
        for (Agent a : agents) {
            if (!site.id().equals(a.siteId) || listed(site, a.id).isPresent()) {
                continue;
            }
            switch (a.enrolment) {
                case APPROVED -> {
                    if (a.approvedRoles == null || a.approvedRoles.isEmpty()) {
                        excluded.put(a.id, "approved without roles and not listed in the site file: approve it again "
                                + "with its roles");
                    } else {
                        vantages.add(new Vantage(a.id, a.approvedRoles));
                    }
                }
                case PENDING -> excluded.put(a.id, "pending approval: not listed in the site file; it claims roles "
                        + a.roles + " (POST /agents/" + a.id + "/approve)");
                case REJECTED -> excluded.put(a.id, "rejected by " + a.decidedBy + " at " + a.decidedAt);
            }
        }
        return new SurveyVantages(vantages, excluded);
    }

    /** The roles an excluded agent would have played at the site: the site file's, or those it claims. */
    public static List<String> rolesOf(Site site, Agent agent) {
        return listed(site, agent.id).map(Vantage::roles).orElse(agent.roles == null ? List.of() : agent.roles);
    }

    /** The same site with other vantages. */
    public static Site withVantages(Site s, List<Vantage> vantages) {
        return new Site(s.id(), s.name(), s.catalog(), s.fqdn(), s.topology(), s.modules(), s.roles(), s.dnsInternal(),
                s.dnsExternal(), s.destinations(), vantages);
    }
}
