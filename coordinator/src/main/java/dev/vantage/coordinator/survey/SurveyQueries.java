package dev.vantage.coordinator.survey;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.vantage.coordinator.api.ApiProblem;
import dev.vantage.coordinator.auth.Caller;
import dev.vantage.wire.ProbeResult;
import dev.vantage.wire.Wire;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/** Reads surveys and their verdicts for the API. */
@ApplicationScoped
public class SurveyQueries {
    /**
     * A survey's status as the API shows it. {@code state} is {@code running}, {@code closing} (every task answered;
     * waiting for the closing reports of its responder windows) or {@code completed}; {@code waitingFor} names the
     * agents whose answers are missing, or while closing (and after a completion by {@code receipt-grace} or
     * {@code agent-restarted}) whose windows' closing reports are; {@code mediaResponder}: a post-install survey with the media option;
     * {@code requirements}: the ids of the requirements a survey of chosen requirements checks, null for a survey of
     * all.
     */
    public record SurveyView(UUID id, String siteId, int siteVersion, String catalog, String mode, String state,
                             int taskCount, int answered, List<String> waitingFor, Instant createdAt,
                             String createdBy, Instant deadlineAt, Instant completedAt, String completion,
                             Map<String, String> excludedAgents, boolean mediaResponder, List<String> requirements) {
        /** Whether the survey checks chosen requirements only (and so cannot decide go-live). */
        public boolean chosen() {
            return requirements != null;
        }
    }

    /** One result of a survey with what the analysis said about it (null while the survey runs). */
    public record EvidenceItem(ProbeResult result, CheckRow check) {
    }

    private final AgroalDataSource db;

    /**
     * FROM and WHERE of the responder windows of the survey {@code surveyId} (a column) that opened (their task was
     * answered {@code LISTENED}) and have not sent their closing report: {@code t} the task, {@code a} its answer,
     * {@code r} the opening report. What the survey waits for while closing.
     */
    static String windowsWithoutReport(String surveyId) {
        return "FROM survey_task t JOIN task_answer a ON a.survey_id = t.survey_id AND a.task_id = t.task_id "
                + "JOIN result r ON r.survey_id = a.survey_id AND r.result_id = a.result_id WHERE t.survey_id = "
                + surveyId + " AND r.kind = 'respond' AND r.outcome = 'LISTENED' AND NOT EXISTS (SELECT 1 "
                + "FROM window_report w WHERE w.survey_id = t.survey_id AND w.task_id = t.task_id)";
    }

    public SurveyQueries(AgroalDataSource db) {
        this.db = db;
    }

    private static final String SELECT = "SELECT s.id, s.site_id, s.site_version, s.catalog, s.mode, s.state, "
            + "s.task_count, s.answered, "
            + "CASE WHEN s.answered < s.task_count THEN (SELECT coalesce(array_agg(DISTINCT t.agent_id ORDER BY t.agent_id), "
            + "'{}') FROM survey_task t WHERE t.survey_id = s.id AND NOT EXISTS (SELECT 1 FROM task_answer a "
            + "WHERE a.survey_id = t.survey_id AND a.task_id = t.task_id)) "
            // closing: the agents whose windows opened and have not sent their closing report
            + "WHEN s.state = 'closing' OR s.completion IN ('receipt-grace', 'agent-restarted') THEN (SELECT coalesce(array_agg(DISTINCT "
            + "t.agent_id ORDER BY t.agent_id), '{}') " + windowsWithoutReport("s.id") + ") ELSE '{}' END, "
            + "s.created_at, s.created_by, s.deadline_at, s.completed_at, s.completion, s.excluded_agents::text, "
            + "s.media_responder, s.requirements "
            + "FROM survey s ";

    public Optional<SurveyView> find(UUID id) {
        try (Connection c = db.getConnection();
             PreparedStatement s = c.prepareStatement(SELECT + "WHERE s.id = ?")) {
            s.setObject(1, id);
            try (ResultSet rs = s.executeQuery()) {
                return rs.next() ? Optional.of(read(rs)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw new IllegalStateException("reading survey " + id + ": " + e.getMessage(), e);
        }
    }

    /** Surveys of a site, newest first. */
    public List<SurveyView> ofSite(String siteId, int limit, int offset) {
        return list("reading surveys of site " + siteId, SELECT + "WHERE s.site_id = ? ORDER BY s.created_at DESC "
                + "LIMIT ? OFFSET ?", siteId, limit, offset);
    }

    /** The site's last completed survey of all requirements: only such a survey decides go-live. */
    public Optional<SurveyView> lastCompletedOfAll(String siteId) {
        List<SurveyView> found = list("reading the last survey of all requirements of site " + siteId, SELECT
                + "WHERE s.site_id = ? AND s.state = 'completed' AND s.requirements IS NULL ORDER BY s.created_at DESC "
                + "LIMIT 1", siteId);
        return found.stream().findFirst();
    }

    /**
     * The site's completed surveys of chosen requirements that started after {@code since} (all of them when null),
     * newest first, at most {@code limit}: each judged only its requirements, newer than the survey of all.
     */
    public List<SurveyView> completedOfChosenSince(String siteId, Instant since, int limit) {
        return list("reading the surveys of chosen requirements of site " + siteId, SELECT + "WHERE s.site_id = ? "
                + "AND s.state = 'completed' AND s.requirements IS NOT NULL AND s.created_at > ? ORDER BY s.created_at DESC "
                + "LIMIT ?", siteId, Timestamp.from(since == null ? Instant.EPOCH : since), limit);
    }

    private List<SurveyView> list(String what, String sql, Object... params) {
        try (Connection c = db.getConnection(); PreparedStatement s = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                s.setObject(i + 1, params[i]);
            }
            List<SurveyView> out = new ArrayList<>();
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    out.add(read(rs));
                }
            }
            return out;
        } catch (SQLException e) {
            throw new IllegalStateException(what + ": " + e.getMessage(), e);
        }
    }

    /** The completed survey of the same site that completed last before this one started. */
    public Optional<SurveyView> previous(SurveyView survey) {
        try (Connection c = db.getConnection();
             PreparedStatement s = c.prepareStatement(SELECT + "WHERE s.site_id = ? AND s.state = 'completed' "
                     + "AND s.id <> ? AND s.completed_at <= coalesce(?, now()) ORDER BY s.completed_at DESC LIMIT 1")) {
            s.setString(1, survey.siteId());
            s.setObject(2, survey.id());
            s.setTimestamp(3, survey.completedAt() == null ? null : Timestamp.from(survey.completedAt()));
            try (ResultSet rs = s.executeQuery()) {
                return rs.next() ? Optional.of(read(rs)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw new IllegalStateException("reading the survey before " + survey.id() + ": " + e.getMessage(), e);
        }
    }

    /** The verdicts of a completed survey in requirement order; empty while it runs. */
    public List<VerdictRow> verdicts(UUID surveyId) {
        try (Connection c = db.getConnection();
             PreparedStatement s = c.prepareStatement("SELECT requirement_id, verdict, severity, diagnosis_code, "
                     + "diagnosis, evidence_result_ids FROM verdict WHERE survey_id = ? ORDER BY requirement_id")) {
            s.setObject(1, surveyId);
            List<VerdictRow> out = new ArrayList<>();
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    out.add(SurveyCompletion.readVerdict(rs));
                }
            }
            return out;
        } catch (SQLException e) {
            throw new IllegalStateException("reading verdicts of survey " + surveyId + ": " + e.getMessage(), e);
        }
    }

    /** The survey, or 404 when it does not exist or belongs to a site the caller may not see. */
    public SurveyView visible(String id, Caller caller) {
        UUID surveyId = surveyId("id", id);
        SurveyView s = find(surveyId).orElseThrow(() -> ApiProblem.notFound("survey", id));
        if (!caller.maySee(s.siteId())) {
            throw ApiProblem.notFound("survey", id);
        }
        return s;
    }

    /** What changed since the site's previous completed survey; empty when this is the first. */
    public Optional<Changes> changesSincePrevious(SurveyView to) {
        return previous(to).map(from -> Changes.between(from, verdicts(from.id()), to, verdicts(to.id())));
    }

    /**
     * The results of a survey, of one requirement or (null) of all, by requirement, vantage, agent and target, each
     * with the analysis' check of it.
     */
    public List<EvidenceItem> evidence(UUID surveyId, String requirementId) {
        try (Connection c = db.getConnection();
             PreparedStatement s = c.prepareStatement("SELECT r.body::text, k.verdict, k.diagnosis_code, k.diagnosis "
                     + "FROM result r LEFT JOIN result_check k ON k.survey_id = r.survey_id AND k.result_id = r.result_id "
                     + "WHERE r.survey_id = ?" + (requirementId == null ? "" : " AND r.requirement_id = ?")
                     + " ORDER BY r.requirement_id, r.vantage, r.agent_id, r.target, r.kind, r.ports")) {
            s.setObject(1, surveyId);
            if (requirementId != null) {
                s.setString(2, requirementId);
            }
            List<EvidenceItem> out = new ArrayList<>();
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    ProbeResult r = Wire.decode(rs.getString(1), ProbeResult.class);
                    String verdict = rs.getString(2);
                    out.add(new EvidenceItem(r, verdict == null ? null : new CheckRow(r.requirementId(), r.resultId(),
                            Verdict.valueOf(verdict), rs.getString(3), rs.getString(4))));
                }
            }
            return out;
        } catch (SQLException e) {
            throw new IllegalStateException("reading the evidence of survey " + surveyId + ": " + e.getMessage(), e);
        }
    }

    /** @throws ApiProblem 400 naming the parameter when the text is not a UUID */
    public static UUID surveyId(String field, String text) {
        try {
            return UUID.fromString(text);
        } catch (IllegalArgumentException e) {
            throw ApiProblem.badRequest(field, text, field + " must be a survey id (a UUID), was '" + text + "'");
        }
    }

    private static SurveyView read(ResultSet rs) throws SQLException {
        return new SurveyView(rs.getObject(1, UUID.class), rs.getString(2), rs.getInt(3), rs.getString(4),
                rs.getString(5), rs.getString(6), rs.getInt(7), rs.getInt(8),
                List.of((String[]) rs.getArray(9).getArray()), instant(rs.getTimestamp(10)), rs.getString(11),
                instant(rs.getTimestamp(12)), instant(rs.getTimestamp(13)), rs.getString(14), excluded(rs.getString(15)),
                rs.getBoolean(16), rs.getArray(17) == null ? null : List.of((String[]) rs.getArray(17).getArray()));
    }

    private static Map<String, String> excluded(String json) {
        try {
            return json == null ? Map.of() : Wire.mapper().readValue(json, new TypeReference<LinkedHashMap<String, String>>() {
            });
        } catch (java.io.IOException e) {
            throw new IllegalStateException("stored excluded agents unreadable: " + e.getMessage(), e);
        }
    }

    private static Instant instant(Timestamp t) {
        return t == null ? null : t.toInstant();
    }
}
