package dev.vantage.coordinator.survey;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.vantage.catalog.Catalog;
import dev.vantage.catalog.Catalogs;
import dev.vantage.catalog.Mode;
import dev.vantage.catalog.Severity;
import dev.vantage.coordinator.CoordinatorConfig;
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
import java.time.Duration;
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
 * Moves surveys on. When every task of a running survey is answered (called by ingest), the agents that opened
 * responder windows for it are told to close them ({@link Dispatcher#closeResponders}) and the survey is
 * {@code closing}: it waits for the closing reports of the windows that opened (what reached them), and completes
 * when the last one is in, when every window still without one was opened by an agent that has restarted since (its
 * windows went with its process, their reports never come), when {@code vantage.surveys.receipt-grace} has passed
 * since it began closing, or when its deadline passes (a scheduled check on every replica), whichever comes first;
 * a survey without open windows completes at once. Completion is one transaction that flips the state with a conditional update, so of several
 * replicas racing exactly one stores the verdicts; it drops tasks still waiting in the outbox and hands the survey,
 * with its closing reports, to the {@link SurveyAnalysis}.
 */
@ApplicationScoped
public class SurveyCompletion {
    private static final Logger LOG = Logger.getLogger(SurveyCompletion.class);
    /** Every task answered and every window that opened reported what reached it. */
    public static final String ALL_RESULTS = "all-results";
    public static final String DEADLINE = "deadline";
    /** Every task answered, but not every window's closing report arrived within the receipt grace. */
    public static final String RECEIPT_GRACE = "receipt-grace";
    /**
     * Every task answered; the windows without a closing report were opened by agents that restarted since (their
     * heartbeat's {@code startedAt} is later than the window's report of opening), and will never report.
     */
    public static final String AGENT_RESTARTED = "agent-restarted";

    private final AgroalDataSource db;
    private final SiteRegistry sites;
    private final SurveyAnalysis analysis;
    private final MeterRegistry metrics;
    private final Dispatcher dispatcher;
    private final Duration receiptGrace;

    public SurveyCompletion(AgroalDataSource db, SiteRegistry sites, SurveyAnalysis analysis, MeterRegistry metrics,
                            Dispatcher dispatcher, CoordinatorConfig config) {
        this.db = db;
        this.sites = sites;
        this.analysis = analysis;
        this.metrics = metrics;
        this.dispatcher = dispatcher;
        this.receiptGrace = config.surveys().receiptGrace();
    }

    /** What one step did to a survey. */
    private enum Step {
        NOTHING, CLOSING, COMPLETED, COMPLETED_WITHOUT_CLOSING;

        boolean completed() {
            return this == COMPLETED || this == COMPLETED_WITHOUT_CLOSING;
        }
    }

    /**
     * Moves the survey on when every task has its answer: to closing while windows that opened have not reported,
     * else to completed. True when this call completed it.
     */
    public boolean completeIfAllAnswered(UUID surveyId) {
        return after(surveyId, QuarkusTransaction.requiringNew().call(() -> {
            try (Connection c = db.getConnection();
                 // ingest counts answers and reports in the transactions that store them; the row lock orders this
                 // decision after theirs
                 PreparedStatement s = c.prepareStatement("SELECT state, answered >= task_count, "
                         + "windows_reported >= windows_opened FROM survey WHERE id = ? FOR UPDATE")) {
                s.setObject(1, surveyId);
                try (ResultSet rs = s.executeQuery()) {
                    if (!rs.next() || rs.getString(1).equals("completed") || !rs.getBoolean(2)) {
                        return Step.NOTHING;
                    }
                    if (rs.getBoolean(3)) {
                        return complete(surveyId, ALL_RESULTS);
                    }
                }
                try (PreparedStatement u = c.prepareStatement("UPDATE survey SET state = 'closing', closing_at = ? "
                        + "WHERE id = ? AND state = 'running'")) {
                    u.setTimestamp(1, Timestamp.from(Instant.now()));
                    u.setObject(2, surveyId);
                    return u.executeUpdate() == 1 ? Step.CLOSING : Step.NOTHING;
                }
            }
        }));
    }

    /**
     * After the transaction: a survey whose probes are done needs its responder windows no longer; they close and
     * send their closing reports. One completed straight from running has not told them yet.
     */
    private boolean after(UUID surveyId, Step step) {
        if (step.completed()) {
            newStatusVersion(surveyId);
        }
        if (step == Step.CLOSING || step == Step.COMPLETED_WITHOUT_CLOSING) {
            dispatcher.closeResponders(surveyId);
        }
        return step.completed();
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
     * Completes the surveys whose deadline has passed or (closing) whose receipt grace ran out or whose missing closing
     * reports will never come, and first moves on those with every answer stored: ingest completes
     * a survey right after the commit that stores its last answers, and a coordinator killed between the two leaves it
     * answered and running, while the results Kafka re-delivers afterwards store nothing new.
     */
    @Scheduled(every = "${vantage.surveys.deadline-check-interval:5s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void completeOverdue() {
        for (UUID id : answeredButOpen()) {
            try {
                completeIfAllAnswered(id);
            } catch (RuntimeException e) {
                LOG.errorf(e, "completing answered survey %s failed; retrying on the next check", id);
            }
        }
        Map<UUID, String> overdue = QuarkusTransaction.requiringNew().call(() -> {
            Map<UUID, String> ids = new LinkedHashMap<>();
            try (Connection c = db.getConnection();
                 // the reasons are this class's constants
                 PreparedStatement s = c.prepareStatement("(SELECT id, '" + DEADLINE + "' FROM survey "
                         + "WHERE state = 'running' AND deadline_at < now() ORDER BY deadline_at LIMIT 100) UNION ALL "
                         + "(SELECT id, CASE WHEN deadline_at < now() THEN '" + DEADLINE + "' WHEN closing_at < ? THEN '"
                         + RECEIPT_GRACE + "' ELSE '" + AGENT_RESTARTED + "' END FROM survey WHERE state = 'closing' "
                         + "AND (deadline_at < now() OR closing_at < ? OR " + EVERY_MISSING_REPORT_LOST + ") "
                         + "ORDER BY closing_at LIMIT 100)")) {
                Timestamp graceOver = Timestamp.from(Instant.now().minus(receiptGrace));
                s.setTimestamp(1, graceOver);
                s.setTimestamp(2, graceOver);
                try (ResultSet rs = s.executeQuery()) {
                    while (rs.next()) {
                        ids.put(rs.getObject(1, UUID.class), rs.getString(2));
                    }
                }
            }
            return ids;
        });
        overdue.forEach((id, reason) -> {
            try {
                after(id, QuarkusTransaction.requiringNew().call(() -> complete(id, reason)));
            } catch (RuntimeException e) {
                LOG.errorf(e, "completing survey %s (%s) failed; retrying on the next check", id, reason);
            }
        });
    }

    /**
     * Of a closing survey: every window that opened and has not reported was opened (by the agent's clock) before its
     * agent's process started, as the agent's last trusted heartbeat says; false when no window waits, or for one of
     * an agent that never said when it started.
     */
    private static final String EVERY_MISSING_REPORT_LOST = "(SELECT bool_and(coalesce((SELECT g.started_at FROM agent g "
            + "WHERE g.id = t.agent_id) > r.started_at, false)) " + SurveyQueries.windowsWithoutReport("survey.id") + ")";

    /**
     * Up to 100 surveys with every answer stored that ingest did not move on: running, or closing with every window's
     * report stored (a coordinator killed between the commit that stored the last of them and the step after it).
     */
    private List<UUID> answeredButOpen() {
        return QuarkusTransaction.requiringNew().call(() -> {
            List<UUID> ids = new ArrayList<>();
            try (Connection c = db.getConnection();
                 PreparedStatement s = c.prepareStatement("SELECT id FROM survey WHERE answered >= task_count AND "
                         + "(state = 'running' OR state = 'closing' AND windows_reported >= windows_opened) "
                         + "ORDER BY deadline_at LIMIT 100");
                 ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    ids.add(rs.getObject(1, UUID.class));
                }
            }
            return ids;
        });
    }

    /** Must run inside a transaction. */
    private Step complete(UUID surveyId, String reason) throws SQLException {
        try (Connection c = db.getConnection()) {
            String siteId;
            int siteVersion;
            Mode mode;
            List<RequirementPlan> planned;
            List<Vantage> vantages;
            boolean closedBefore;
            try (PreparedStatement s = c.prepareStatement("UPDATE survey SET state = 'completed', completed_at = ?, "
                    + "completion = ? WHERE id = ? AND state IN ('running', 'closing') RETURNING site_id, site_version, "
                    + "mode, plan, vantages, closing_at IS NOT NULL")) {
                s.setTimestamp(1, Timestamp.from(Instant.now()));
                s.setString(2, reason);
                s.setObject(3, surveyId);
                try (ResultSet rs = s.executeQuery()) {
                    if (!rs.next()) {
                        return Step.NOTHING; // completed already, by us or by another replica
                    }
                    siteId = rs.getString(1);
                    siteVersion = rs.getInt(2);
                    mode = Mode.valueOf(rs.getString(3).toUpperCase(java.util.Locale.ROOT).replace('-', '_'));
                    planned = Wire.mapper().readValue(rs.getString(4), new TypeReference<List<RequirementPlan>>() {
                    });
                    String used = rs.getString(5);
                    vantages = used == null ? null : Wire.mapper().readValue(used, new TypeReference<List<Vantage>>() {
                    });
                    closedBefore = rs.getBoolean(6);
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
            // the tasks' answers and the responder windows' closing reports (a closing report may be an answer too)
            try (PreparedStatement s = c.prepareStatement("SELECT r.body::text FROM result r JOIN (SELECT result_id "
                    + "FROM task_answer WHERE survey_id = ? UNION SELECT result_id FROM window_report WHERE survey_id = ?) a "
                    + "ON a.result_id = r.result_id WHERE r.survey_id = ?")) {
                s.setObject(1, surveyId);
                s.setObject(2, surveyId);
                s.setObject(3, surveyId);
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
            LOG.infof("survey %s of site %s completed (%s): %d of %d tasks answered, %d results, %d verdicts", surveyId,
                    siteId, reason, tasks.stream().filter(t -> t.resultId() != null).count(), tasks.size(),
                    results.size(), verdicts.size());
            return closedBefore ? Step.COMPLETED : Step.COMPLETED_WITHOUT_CLOSING;
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
