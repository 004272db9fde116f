package dev.vantage.coordinator.survey;

import dev.vantage.catalog.Catalog;
import dev.vantage.catalog.Catalogs;
import dev.vantage.catalog.Mode;
import dev.vantage.coordinator.CoordinatorConfig;
import dev.vantage.coordinator.api.ApiProblem;
import dev.vantage.coordinator.registry.Agent;
import dev.vantage.coordinator.registry.Enrolment;
import dev.vantage.coordinator.registry.SiteRegistry;
import dev.vantage.plan.Plan;
import dev.vantage.plan.Planner;
import dev.vantage.plan.RequirementPlan;
import dev.vantage.site.Site;
import dev.vantage.site.Vantage;
import dev.vantage.wire.ProbeKind;
import dev.vantage.wire.ProbeTask;
import dev.vantage.wire.Topics;
import dev.vantage.wire.Wire;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Starts surveys: plans the site's current version for its trusted vantages ({@link Enrolment#forSurvey}: the
 * agents its site file lists, less rejected or untrusted ones, plus agents approved over the API) and writes
 * the survey, one task per agent and the outbox rows in one transaction, so a survey either exists with all
 * its tasks queued for dispatch or not at all.
 */
@ApplicationScoped
public class Surveys {
    /** A started survey. */
    public record Started(UUID id, String siteId, int siteVersion, Mode mode, int taskCount, Instant deadlineAt) {
    }

    /** Shorter windows cannot hold a range sweep and the agents' clock difference. */
    static final Duration MIN_RESPONDER_WINDOW = Duration.ofSeconds(20);

    private final SiteRegistry sites;
    private final AgroalDataSource db;
    private final CoordinatorConfig.Surveys config;

    public Surveys(SiteRegistry sites, AgroalDataSource db, CoordinatorConfig config) {
        this.sites = sites;
        this.db = db;
        this.config = config.surveys();
    }

    /**
     * Starts a survey of the site's current version.
     *
     * @param mediaResponder the media option (post-install surveys; ignored before installation, when the media
     *                       ranges have their responder anyway)
     */
    public Started start(String siteId, Mode mode, Duration deadline, Duration responderWindow, boolean mediaResponder,
                         String actor) {
        return start(siteId, mode, deadline, responderWindow, mediaResponder, Set.of(), actor);
    }

    /**
     * Starts a survey of the site's current version that checks only the chosen requirements (all when none is
     * chosen): only their probes and the responder windows those need are dispatched, and only they get verdicts.
     *
     * @throws ApiProblem 400 naming {@code requirements} when the site's catalog lacks one of them
     */
    @Transactional
    public Started start(String siteId, Mode mode, Duration deadline, Duration responderWindow, boolean mediaResponder,
                         Set<String> chosen, String actor) {
        Duration d = deadline == null ? config.defaultDeadline() : deadline;
        if (d.isNegative() || d.isZero() || d.compareTo(config.maxDeadline()) > 0) {
            throw ApiProblem.badRequest("deadline", deadline, "deadline must be a positive duration of at most "
                    + config.maxDeadline() + ", was " + deadline);
        }
        Duration window = responderWindow == null ? config.responderWindow() : responderWindow;
        if (window.compareTo(MIN_RESPONDER_WINDOW) < 0 || window.compareTo(config.maxDeadline()) > 0) {
            throw ApiProblem.badRequest("responderWindow", window, "responderWindow must be between "
                    + MIN_RESPONDER_WINDOW + " and " + config.maxDeadline() + ", was " + window);
        }
        boolean media = mediaResponder && mode == Mode.POST_INSTALL;
        Planner planner = new Planner(window, media);
        SiteRegistry.Versioned v = sites.current(siteId).orElseThrow(() -> ApiProblem.notFound("site", siteId));
        Site listed = v.site();
        List<String> listedIds = listed.vantages().stream().map(Vantage::agent).toList();
        List<Agent> known = listedIds.isEmpty() ? Agent.list("siteId", siteId)
                : Agent.list("id in ?1 or siteId = ?2", listedIds, siteId);
        Enrolment.SurveyVantages trusted = Enrolment.forSurvey(listed, known);
        Site site = Enrolment.withVantages(listed, trusted.vantages());
        Catalog catalog = Catalogs.bundled(site.catalog());
        List<String> unknown = Planner.unknownRequirements(catalog, chosen);
        if (!unknown.isEmpty()) {
            throw ApiProblem.badRequest("requirements", unknown, "requirements must be requirement ids of catalog "
                    + catalog.name() + " (as a survey's verdicts name them), which has no " + String.join(", ", unknown));
        }
        Plan plan = planner.plan(catalog, site, Set.of(), mode, chosen);
        List<RequirementPlan> requirements = explainExcluded(plan.requirements(), listed, known, trusted.excluded());

        UUID surveyId = UUID.randomUUID();
        Instant now = Instant.now();
        List<ProbeTask> tasks = new ArrayList<>();
        for (ProbeTask planned : plan.tasks()) {
            for (Vantage vantage : site.vantages()) {
                if (vantage.roles().contains(planned.vantage())) {
                    tasks.add(forAgent(planned, surveyId, vantage.agent()));
                }
            }
        }
        boolean responders = tasks.stream().anyMatch(t -> t.kind() == ProbeKind.RESPOND);
        if (responders && d.compareTo(config.responderLead()) <= 0) {
            throw ApiProblem.badRequest("deadline", deadline, "deadline must be longer than the responder lead ("
                    + config.responderLead() + "): this survey's probes may be dispatched that long after its responders, "
                    + "was " + deadline);
        }
        try (Connection c = db.getConnection()) {
            try (PreparedStatement s = c.prepareStatement("INSERT INTO survey (id, site_id, site_version, catalog, mode, "
                    + "state, task_count, plan, created_at, created_by, deadline_at, vantages, excluded_agents, "
                    + "media_responder, requirements) VALUES (?, ?, ?, ?, ?, 'running', ?, ?::jsonb, ?, ?, ?, ?::jsonb, "
                    + "?::jsonb, ?, ?)")) {
                s.setObject(1, surveyId);
                s.setString(2, siteId);
                s.setInt(3, v.version());
                s.setString(4, catalog.name());
                s.setString(5, mode.wireName());
                s.setInt(6, tasks.size());
                s.setString(7, Wire.encodeToString(requirements));
                s.setTimestamp(8, Timestamp.from(now));
                s.setString(9, actor);
                s.setTimestamp(10, Timestamp.from(now.plus(d)));
                s.setString(11, Wire.encodeToString(site.vantages()));
                s.setString(12, Wire.encodeToString(trusted.excluded()));
                s.setBoolean(13, media);
                s.setArray(14, chosen.isEmpty() ? null : c.createArrayOf("text", chosen.stream().sorted().toArray()));
                s.executeUpdate();
            }
            try (PreparedStatement st = c.prepareStatement("INSERT INTO survey_task (survey_id, task_id, agent_id, "
                    + "vantage, requirement_id, task) VALUES (?, ?, ?, ?, ?, ?)");
                 PreparedStatement ob = c.prepareStatement("INSERT INTO outbox (survey_id, task_id, topic, "
                         + "message_key, created_at, not_before) VALUES (?, ?, ?, ?, ?, ?)")) {
                Instant probesFrom = responders ? now.plus(config.responderLead()) : now;
                for (ProbeTask t : tasks) {
                    UUID taskId = UUID.fromString(t.taskId());
                    st.setObject(1, surveyId);
                    st.setObject(2, taskId);
                    st.setString(3, t.agentId());
                    st.setString(4, t.vantage());
                    st.setString(5, t.requirementId());
                    st.setString(6, Wire.encodeToString(t));
                    st.addBatch();
                    ob.setObject(1, surveyId);
                    ob.setObject(2, taskId);
                    ob.setString(3, Topics.tasks(siteId));
                    ob.setString(4, t.agentId());
                    ob.setTimestamp(5, Timestamp.from(now));
                    ob.setTimestamp(6, Timestamp.from(t.kind() == ProbeKind.RESPOND ? now : probesFrom));
                    ob.addBatch();
                }
                // survey_task first: the outbox rows reference them
                st.executeBatch();
                ob.executeBatch();
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot store survey " + surveyId + " of site " + siteId + ": "
                    + e.getMessage(), e);
        }
        return new Started(surveyId, siteId, v.version(), mode, tasks.size(), now.plus(d));
    }

    /**
     * Names the agents a survey left out where the planner found no vantage for a role they would have played,
     * so an UNTESTED requirement (or a gap) says which agent to approve rather than only that none plays it.
     */
    static List<RequirementPlan> explainExcluded(List<RequirementPlan> planned, Site listed, List<Agent> known,
                                                 Map<String, String> excluded) {
        if (excluded.isEmpty()) {
            return planned;
        }
        Map<String, List<String>> notes = new LinkedHashMap<>(); // role -> why its agents are left out
        for (Map.Entry<String, String> e : excluded.entrySet()) {
            List<String> roles = known.stream().filter(a -> a.id.equals(e.getKey())).findFirst()
                    .map(a -> Enrolment.rolesOf(listed, a))
                    .orElseGet(() -> Enrolment.listed(listed, e.getKey()).map(Vantage::roles).orElse(List.of()));
            for (String role : roles) {
                notes.computeIfAbsent(role, r -> new ArrayList<>()).add("agent " + e.getKey() + " is not used: "
                        + e.getValue());
            }
        }
        List<RequirementPlan> out = new ArrayList<>();
        for (RequirementPlan rp : planned) {
            String reason = rp.reason() == null ? null : explain(rp.reason(), notes);
            List<String> gaps = rp.gaps().stream().map(g -> explain(g, notes)).toList();
            out.add(new RequirementPlan(rp.requirementId(), rp.status(), reason, gaps, rp.untested()));
        }
        return out;
    }

    private static String explain(String text, Map<String, List<String>> notes) {
        int at = text.indexOf("no vantage plays ");
        if (at < 0) {
            return text;
        }
        List<String> added = new ArrayList<>();
        notes.forEach((role, why) -> {
            if (Pattern.compile("(?<![\\w-])" + Pattern.quote(role) + "(?![\\w-])").matcher(text).find()) {
                why.stream().filter(w -> !added.contains(w)).forEach(added::add);
            }
        });
        return added.isEmpty() ? text : text + " (" + String.join("; ", added) + ")";
    }

    /**
     * The task as one agent receives it. The id is new per survey and agent: agents keep a replay cache
     * of task ids, and two agents playing the same role each run (and answer) their own copy.
     */
    static ProbeTask forAgent(ProbeTask planned, UUID surveyId, String agentId) {
        String id = UUID.nameUUIDFromBytes((surveyId + "|" + planned.taskId() + "|" + agentId)
                .getBytes(StandardCharsets.UTF_8)).toString();
        return new ProbeTask(planned.schemaVersion(), id, surveyId.toString(), planned.siteId(), planned.vantage(),
                agentId, planned.requirementId(), planned.kind(), planned.target(), planned.ports(), planned.params(),
                planned.timeout());
    }
}
