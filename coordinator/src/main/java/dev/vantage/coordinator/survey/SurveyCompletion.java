package dev.vantage.coordinator.survey;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.vantage.catalog.Catalog;
import dev.vantage.catalog.Catalogs;
import dev.vantage.catalog.Mode;
import dev.vantage.catalog.Severity;
import dev.vantage.coordinator.dispatch.Dispatcher;
import dev.vantage.coordinator.registry.Enrolment;
import dev.vantage.coordinator.registry.SiteRegistry;
import dev.vantage.plan.Plan;
import dev.vantage.plan.RequirementPlan;
import dev.vantage.site.Site;
import dev.vantage.site.Vantage;
import dev.vantage.wire.ProbeResult;
import dev.vantage.wire.ProbeTask;
import dev.vantage.wire.Wire;
import io.agroal.api.AgroalDataSource;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Completes surveys: when the last result is in (called by ingest) or when the deadline passes (a
 * scheduled check on every replica). Completion is one transaction that flips the state with a
 * conditional update, so of several replicas racing exactly one stores the verdicts; it drops tasks
 * still waiting in the outbox and hands the survey to the {@link SurveyAnalysis}. After the commit the agents
 * that opened responder windows for the survey are told to close them ({@link Dispatcher#closeResponders}).
 */
@ApplicationScoped
public class SurveyCompletion {
    private static final Logger LOG = Logger.getLogger(SurveyCompletion.class);
    public static final String ALL_RESULTS = "all-results";
    public static final String DEADLINE = "deadline";

    private final AgroalDataSource db;
    private final SiteRegistry sites;
    private final SurveyAnalysis analysis;
    private final MeterRegistry metrics;
    private final Dispatcher dispatcher;

    public SurveyCompletion(AgroalDataSource db, SiteRegistry sites, SurveyAnalysis analysis, MeterRegistry metrics,
                            Dispatcher dispatcher) {
        this.db = db;
        this.sites = sites;
        this.analysis = analysis;
        this.metrics = metrics;
        this.dispatcher = dispatcher;
    }

    /** Completes the survey if every task has its result; true when this call completed it. */
    public boolean completeIfAllAnswered(UUID surveyId) {
        return closedAfter(surveyId, QuarkusTransaction.requiringNew().call(() -> {
            try (Connection c = db.getConnection();
                 // ingest counts the answers in the transaction that stores them
                 PreparedStatement s = c.prepareStatement("SELECT answered >= task_count FROM survey WHERE id = ?")) {
                s.setObject(1, surveyId);
                try (ResultSet rs = s.executeQuery()) {
                    if (!rs.next() || !rs.getBoolean(1)) {
                        return false;
                    }
                }
            }
            return complete(surveyId, ALL_RESULTS);
        }));
    }

    /** After the transaction that completed a survey: its responder windows are no longer needed. */
    private boolean closedAfter(UUID surveyId, boolean completed) {
        if (completed) {
            newStatusVersion(surveyId);
            dispatcher.closeResponders(surveyId);
        }
        return completed;
    }

    /**
     * The survey's checks are in: its site gets a new status version, so a kept matrix document
     * ({@code status.MatrixDocuments}) is built again with them. A statement of its own after the commit: ingest
     * moves the site's version before it counts a survey's answers, so doing it inside the completion (which
     * holds the survey row) could deadlock with a late batch of the same survey.
     */
    private void newStatusVersion(UUID surveyId) {
        try (Connection c = db.getConnection();
             PreparedStatement s = c.prepareStatement("UPDATE site SET status_version = nextval('site_status_seq') "
                     + "WHERE id = (SELECT site_id FROM survey WHERE id = ?)")) {
            s.setObject(1, surveyId);
            s.executeUpdate();
        } catch (SQLException e) {
            LOG.warnf("survey %s: the matrix shows its checks after the site's next result (%s)", surveyId,
                    e.getMessage());
        }
    }

    /**
     * Completes the running surveys whose deadline has passed, and first those that have every answer: ingest completes
     * a survey right after the commit that stores its last answers, and a coordinator killed between the two leaves it
     * answered and running, while the results Kafka re-delivers afterwards store nothing new.
     */
    @Scheduled(every = "${vantage.surveys.deadline-check-interval:5s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void completeOverdue() {
        for (UUID id : running("answered >= task_count")) {
            try {
                completeIfAllAnswered(id);
            } catch (RuntimeException e) {
                LOG.errorf(e, "completing answered survey %s failed; retrying on the next check", id);
            }
        }
        for (UUID id : running("deadline_at < now()")) {
            try {
                closedAfter(id, QuarkusTransaction.requiringNew().call(() -> complete(id, DEADLINE)));
            } catch (RuntimeException e) {
                LOG.errorf(e, "completing overdue survey %s failed; retrying on the next check", id);
            }
        }
    }

    /** Up to 100 running surveys that meet {@code condition} (a constant SQL condition on the survey row). */
    private List<UUID> running(String condition) {
        return QuarkusTransaction.requiringNew().call(() -> {
            List<UUID> ids = new ArrayList<>();
            try (Connection c = db.getConnection();
                 PreparedStatement s = c.prepareStatement("SELECT id FROM survey WHERE state = 'running' "
                         + "AND " + condition + " ORDER BY deadline_at LIMIT 100")) {
                try (ResultSet rs = s.executeQuery()) {
                    while (rs.next()) {
                        ids.add(rs.getObject(1, UUID.class));
                    }
                }
            }
            return ids;
        });
    }

    /** Must run inside a transaction. */
    boolean complete(UUID surveyId, String reason) throws SQLException {
        try (Connection c = db.getConnection()) {
            String siteId;
            int siteVersion;
            Mode mode;
            List<RequirementPlan> planned;
            List<Vantage> vantages;
            try (PreparedStatement s = c.prepareStatement("UPDATE survey SET state = 'completed', completed_at = ?, "
                    + "completion = ? WHERE id = ? AND state = 'running' RETURNING site_id, site_version, mode, plan, "
                    + "vantages")) {
                s.setTimestamp(1, Timestamp.from(Instant.now()));
                s.setString(2, reason);
                s.setObject(3, surveyId);
                try (ResultSet rs = s.executeQuery()) {
                    if (!rs.next()) {
                        return false; // completed already, by us or by another replica
                    }
                    siteId = rs.getString(1);
                    siteVersion = rs.getInt(2);
                    mode = Mode.valueOf(rs.getString(3).toUpperCase(java.util.Locale.ROOT).replace('-', '_'));
                    planned = Wire.mapper().readValue(rs.getString(4), new TypeReference<List<RequirementPlan>>() {
                    });
                    String used = rs.getString(5);
                    vantages = used == null ? null : Wire.mapper().readValue(used, new TypeReference<List<Vantage>>() {
                    });
                }
            } catch (java.io.IOException e) {
                throw new IllegalStateException("stored plan of survey " + surveyId + " is unreadable", e);
            }
            try (PreparedStatement s = c.prepareStatement("DELETE FROM outbox WHERE survey_id = ?")) {
                s.setObject(1, surveyId);
                int dropped = s.executeUpdate();
                if (dropped > 0) {
                    LOG.warnf("survey %s completed (%s) with %d tasks never dispatched", surveyId, reason, dropped);
                }
            }
            List<SurveyAnalysis.DispatchedTask> tasks = new ArrayList<>();
            try (PreparedStatement s = c.prepareStatement("SELECT t.task, a.result_id FROM survey_task t "
                    + "LEFT JOIN task_answer a ON a.survey_id = t.survey_id AND a.task_id = t.task_id WHERE t.survey_id = ? "
                    + "ORDER BY t.requirement_id, t.task_id")) {
                s.setObject(1, surveyId);
                try (ResultSet rs = s.executeQuery()) {
                    while (rs.next()) {
                        UUID result = rs.getObject(2, UUID.class);
                        tasks.add(new SurveyAnalysis.DispatchedTask(Wire.decode(rs.getString(1), ProbeTask.class),
                                result == null ? null : result.toString()));
                    }
                }
            }
            List<ProbeResult> results = new ArrayList<>();
            try (PreparedStatement s = c.prepareStatement("SELECT r.body::text FROM result r JOIN task_answer a "
                    + "ON a.survey_id = r.survey_id AND a.result_id = r.result_id WHERE r.survey_id = ?")) {
                s.setObject(1, surveyId);
                try (ResultSet rs = s.executeQuery()) {
                    while (rs.next()) {
                        results.add(Wire.decode(rs.getString(1), ProbeResult.class));
                    }
                }
            }
            Site site = sites.version(siteId, siteVersion).orElseThrow().site();
            if (vantages != null) {
                site = Enrolment.withVantages(site, vantages); // the vantages the survey was planned for
            }
            Catalog catalog = Catalogs.bundled(site.catalog());
            Set<String> roles = new LinkedHashSet<>();
            site.vantages().forEach(v -> roles.addAll(v.roles()));
            Plan plan = new Plan(siteId, catalog.name(), mode, roles, tasks.stream().map(SurveyAnalysis.DispatchedTask::task)
                    .toList(), planned);
            Map<String, VerdictRow> previous = previousVerdicts(c, siteId, surveyId);
            SurveyAnalysis.Analysed analysed = analysis.analyse(new SurveyAnalysis.Input(catalog, site, plan, tasks,
                    results, previous, DEADLINE.equals(reason)));
            List<VerdictRow> verdicts = analysed.verdicts();
            store(c, surveyId, verdicts);
            storeChecks(c, surveyId, analysed.checks());
            ChangeRequestRows.store(c, surveyId, analysed.changeRequest());
            metrics.counter("vantage.surveys.completed", "reason", reason).increment();
            LOG.infof("survey %s of site %s completed (%s): %d of %d tasks answered, %d verdicts", surveyId, siteId,
                    reason, results.size(), tasks.size(), verdicts.size());
            return true;
        }
    }

    private static Map<String, VerdictRow> previousVerdicts(Connection c, String siteId, UUID surveyId)
            throws SQLException {
        Map<String, VerdictRow> out = new LinkedHashMap<>();
        try (PreparedStatement s = c.prepareStatement("SELECT v.requirement_id, v.verdict, v.severity, v.diagnosis_code, "
                + "v.diagnosis, v.evidence_result_ids FROM verdict v WHERE v.survey_id = (SELECT id FROM survey "
                + "WHERE site_id = ? AND state = 'completed' AND id <> ? ORDER BY completed_at DESC LIMIT 1)")) {
            s.setString(1, siteId);
            s.setObject(2, surveyId);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    VerdictRow row = readVerdict(rs);
                    out.put(row.requirementId(), row);
                }
            }
        }
        return out;
    }

    /** Reads a verdict row from columns requirement_id, verdict, severity, diagnosis_code, diagnosis, evidence_result_ids. */
    public static VerdictRow readVerdict(ResultSet rs) throws SQLException {
        Array ids = rs.getArray(6);
        List<String> evidence = ids == null ? List.of()
                : Arrays.stream((Object[]) ids.getArray()).map(String::valueOf).toList();
        return new VerdictRow(rs.getString(1), Verdict.valueOf(rs.getString(2)),
                Severity.valueOf(rs.getString(3).toUpperCase(java.util.Locale.ROOT)), rs.getString(4), rs.getString(5),
                evidence);
    }

    /** The analysis' word on each result, for the matrix cells and the evidence pages. */
    private static void storeChecks(Connection c, UUID surveyId, List<CheckRow> checks) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("INSERT INTO result_check (survey_id, result_id, requirement_id, "
                + "verdict, diagnosis_code, diagnosis) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING")) {
            for (CheckRow check : checks) {
                s.setObject(1, surveyId);
                s.setObject(2, UUID.fromString(check.resultId()));
                s.setString(3, check.requirementId());
                s.setString(4, check.verdict().name());
                s.setString(5, check.diagnosisCode());
                s.setString(6, check.diagnosis());
                s.addBatch();
            }
            s.executeBatch();
        }
    }

    private static void store(Connection c, UUID surveyId, List<VerdictRow> verdicts) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("INSERT INTO verdict (survey_id, requirement_id, verdict, severity, "
                + "diagnosis_code, diagnosis, evidence_result_ids) VALUES (?, ?, ?, ?, ?, ?, ?)")) {
            for (VerdictRow v : verdicts) {
                s.setObject(1, surveyId);
                s.setString(2, v.requirementId());
                s.setString(3, v.verdict().name());
                s.setString(4, v.severity().wireName());
                s.setString(5, v.diagnosisCode());
                s.setString(6, v.diagnosis());
                s.setArray(7, c.createArrayOf("uuid", v.evidenceResultIds().stream().map(UUID::fromString).toArray()));
                s.addBatch();
            }
            s.executeBatch();
        }
    }
}
