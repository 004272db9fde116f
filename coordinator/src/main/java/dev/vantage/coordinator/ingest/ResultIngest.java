package dev.vantage.coordinator.ingest;

import dev.vantage.coordinator.CoordinatorConfig;
import dev.vantage.coordinator.survey.SurveyCompletion;
import dev.vantage.wire.MalformedMessageException;
import dev.vantage.wire.ProbeResult;
import dev.vantage.wire.Wire;
import io.agroal.api.AgroalDataSource;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.runtime.Startup;
import io.smallrye.reactive.messaging.annotations.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Ingests results from {@code vantage.results} in batches.
 *
 * <ol>
 *   <li>Each record is decoded and checked as untrusted input ({@link ResultCheck}); a record that fails
 *       goes to the dead-letter topic with the reason.</li>
 *   <li>The batch is checked against the dispatched tasks: the survey and task must exist, the result must
 *       come from the agent the task was sent to, for the same site, vantage and requirement, and its start
 *       time must lie within the survey. Failures are dead-lettered too.</li>
 *   <li>In one transaction: results are inserted with {@code ON CONFLICT DO NOTHING} (a redelivered result
 *       is not a second row), each task is marked answered by its first result, and the latest status
 *       per probe is moved forward.</li>
 *   <li>Surveys whose last task was answered are completed.</li>
 * </ol>
 * While PostgreSQL is unreachable the batch is retried in place, with back-off, for as long as it takes;
 * the consumer is not acknowledged meanwhile, so nothing is lost and nothing is dead-lettered for a
 * database outage. The channel is not nacked by design: its failure strategy ({@code fail}) only fires
 * on a bug, and then stops the channel loudly (the readiness check turns red).
 */
@Startup // created eagerly so its meters are on /q/metrics from the start, not after the first result
@ApplicationScoped
public class ResultIngest {
    /** Channel name, configured in application.properties. */
    public static final String CHANNEL = "results";
    private static final Logger LOG = Logger.getLogger(ResultIngest.class);

    private final AgroalDataSource db;
    private final SurveyCompletion completion;
    private final DeadLetters deadLetters;
    private final CoordinatorConfig.Ingest config;
    private final Counter ingested;
    private final Counter deadLettered;
    private final Counter superseded;
    private final Timer lag;

    public ResultIngest(AgroalDataSource db, SurveyCompletion completion, DeadLetters deadLetters,
                        CoordinatorConfig config, MeterRegistry metrics) {
        this.db = db;
        this.completion = completion;
        this.deadLetters = deadLetters;
        this.config = config.ingest();
        this.ingested = Counter.builder("vantage.results.ingested").description("results stored (duplicates included)")
                .register(metrics);
        this.deadLettered = Counter.builder("vantage.results.dead.lettered")
                .description("result records refused and sent to the dead-letter topic").register(metrics);
        this.superseded = Counter.builder("vantage.results.superseded")
                .description("further results for a task that was already answered, not stored").register(metrics);
        this.lag = Timer.builder("vantage.ingest.lag").description("time from a result's publication to its commit")
                .register(metrics);
    }

    /** A record that passed the message checks. */
    record Item(ConsumerRecord<String, byte[]> record, ResultCheck.Checked checked) {
        ProbeResult result() {
            return checked.result();
        }
    }

    /** What storing a batch did. */
    record Stored(List<DeadLetters.Poison> poison, Set<UUID> surveys, int stored) {
    }

    @Incoming(CHANNEL)
    @Blocking
    public void onResults(ConsumerRecords<String, byte[]> records) throws Exception {
        long began = System.nanoTime();
        List<Item> items = new ArrayList<>();
        List<DeadLetters.Poison> poison = new ArrayList<>();
        for (ConsumerRecord<String, byte[]> record : records) {
            try {
                items.add(new Item(record, ResultCheck.decode(record.value())));
            } catch (MalformedMessageException e) {
                poison.add(new DeadLetters.Poison(record, e.reason()));
            }
        }
        Stored stored = items.isEmpty() ? new Stored(List.of(), Set.of(), 0)
                : Retry.whileUnavailable("storing " + items.size() + " results", config.retryBackoff(),
                        () -> storeOrSplit(items), false);
        poison.addAll(stored.poison());
        if (!poison.isEmpty()) {
            for (DeadLetters.Poison p : poison) {
                LOG.warnf("result record %s-%d@%d refused: %s", p.record().topic(), p.record().partition(),
                        p.record().offset(), p.reason());
            }
            Retry.whileUnavailable("dead-lettering " + poison.size() + " records", config.retryBackoff(),
                    () -> {
                        deadLetters.send(poison);
                        return null;
                    }, true);
            deadLettered.increment(poison.size());
        }
        ingested.increment(stored.stored());
        long now = System.currentTimeMillis();
        items.forEach(i -> lag.record(Duration.ofMillis(Math.max(0, now - i.record().timestamp()))));
        long storedAt = System.nanoTime();
        for (UUID survey : stored.surveys()) {
            Retry.whileUnavailable("completing survey " + survey, config.retryBackoff(),
                    () -> completion.completeIfAllAnswered(survey), false);
        }
        LOG.debugf("batch of %d records: %d stored, %d refused in %d ms (+%d ms completion checks)", records.count(),
                stored.stored(), poison.size(), (storedAt - began) / 1_000_000, (System.nanoTime() - storedAt) / 1_000_000);
    }

    /**
     * Stores the batch; when the database refuses it for a reason other than being unavailable (a value it
     * cannot store), stores the records one by one and dead-letters the ones it refuses.
     */
    Stored storeOrSplit(List<Item> items) throws SQLException {
        try {
            return store(items);
        } catch (SQLException e) {
            if (Retry.isUnavailable(e)) {
                throw e;
            }
            if (items.size() == 1) {
                return new Stored(List.of(new DeadLetters.Poison(items.get(0).record(),
                        "the database refused the result: " + e.getMessage())), Set.of(), 0);
            }
            LOG.warnf("a batch of %d results was refused (%s); storing them one by one", items.size(), e.getMessage());
            List<DeadLetters.Poison> poison = new ArrayList<>();
            Set<UUID> surveys = new LinkedHashSet<>();
            int stored = 0;
            for (Item item : items) {
                Stored one = storeOrSplit(List.of(item));
                poison.addAll(one.poison());
                surveys.addAll(one.surveys());
                stored += one.stored();
            }
            return new Stored(poison, surveys, stored);
        }
    }

    /** The dispatched task a result claims to answer. */
    private record Task(String agentId, String siteId, String vantage, String requirementId, UUID resultId,
                        Instant surveyCreatedAt) {
    }

    private Stored store(List<Item> items) throws SQLException {
        try (Connection c = db.getConnection()) {
            c.setAutoCommit(false);
            try {
                Stored s = store(c, items);
                c.commit();
                return s;
            } catch (SQLException | RuntimeException e) {
                rollbackQuietly(c);
                throw e;
            }
        }
    }

    private Stored store(Connection c, List<Item> items) throws SQLException {
        Map<String, Task> tasks = loadTasks(c, items);
        Instant now = Instant.now();
        Instant latestAllowed = now.plus(config.clockSkew());
        List<DeadLetters.Poison> poison = new ArrayList<>();
        Map<UUID, Item> accepted = new LinkedHashMap<>();
        Map<String, UUID> answeredBy = new HashMap<>();
        for (Item item : items) {
            ProbeResult r = item.result();
            String key = item.checked().surveyId() + "/" + item.checked().taskId();
            Task task = tasks.get(key);
            String refusal = refusal(r, task, latestAllowed);
            if (refusal != null) {
                poison.add(new DeadLetters.Poison(item.record(), refusal));
                continue;
            }
            UUID first = answeredBy.computeIfAbsent(key, k -> task.resultId() != null ? task.resultId()
                    : item.checked().resultId());
            if (!first.equals(item.checked().resultId())) {
                // e.g. the agent's REFUSED answer to a re-sent task it had already run: the first answer stands
                superseded.increment();
                LOG.debugf("result %s for task %s ignored: the task was answered by %s", r.resultId(), r.taskId(), first);
                continue;
            }
            accepted.putIfAbsent(item.checked().resultId(), item);
        }
        if (accepted.isEmpty()) {
            return new Stored(poison, Set.of(), 0);
        }
        Timestamp ingestedAt = Timestamp.from(now);
        try (PreparedStatement s = c.prepareStatement("INSERT INTO result (result_id, started_at, ingested_at, survey_id, "
                + "task_id, site_id, requirement_id, vantage, agent_id, kind, target, ports, outcome, summary, body) "
                + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb) ON CONFLICT DO NOTHING")) {
            for (Item item : accepted.values()) {
                ProbeResult r = item.result();
                s.setObject(1, item.checked().resultId());
                s.setTimestamp(2, Timestamp.from(r.startedAt()));
                s.setTimestamp(3, ingestedAt);
                s.setObject(4, item.checked().surveyId());
                s.setObject(5, item.checked().taskId());
                s.setString(6, r.siteId());
                s.setString(7, r.requirementId());
                s.setString(8, r.vantage());
                s.setString(9, r.agentId());
                s.setString(10, r.kind().wireName());
                s.setString(11, r.target());
                s.setString(12, r.ports() == null ? null : r.ports().toString());
                s.setString(13, r.outcome().name());
                s.setString(14, r.summary());
                s.setString(15, Wire.encodeToString(r));
                s.addBatch();
            }
            s.executeBatch();
        }
        // one set-based statement: a JDBC batch of single-row UPDATEs costs a round trip per row
        try (PreparedStatement s = c.prepareStatement("UPDATE survey_task t SET result_id = k.result_id, answered_at = ? "
                + "FROM unnest(?::uuid[], ?::uuid[], ?::uuid[]) AS k(survey_id, task_id, result_id) "
                + "WHERE t.survey_id = k.survey_id AND t.task_id = k.task_id AND t.result_id IS NULL")) {
            s.setTimestamp(1, ingestedAt);
            s.setArray(2, c.createArrayOf("uuid", accepted.values().stream().map(i -> i.checked().surveyId()).toArray()));
            s.setArray(3, c.createArrayOf("uuid", accepted.values().stream().map(i -> i.checked().taskId()).toArray()));
            s.setArray(4, c.createArrayOf("uuid", accepted.values().stream().map(i -> i.checked().resultId()).toArray()));
            s.executeUpdate();
        }
        upsertLatest(c, accepted.values());
        Set<UUID> surveys = new LinkedHashSet<>();
        accepted.values().forEach(i -> surveys.add(i.checked().surveyId()));
        return new Stored(poison, surveys, accepted.size());
    }

    /** Why a result does not answer its task, or null when it does. */
    private String refusal(ProbeResult r, Task task, Instant latestAllowed) {
        if (task == null) {
            return "unknown task " + r.taskId() + " of survey " + r.surveyId();
        }
        if (!task.agentId().equals(r.agentId())) {
            return "task " + r.taskId() + " was sent to agent " + task.agentId() + ", but the result names agent "
                    + r.agentId();
        }
        if (!task.siteId().equals(r.siteId()) || !task.vantage().equals(r.vantage())
                || !task.requirementId().equals(r.requirementId())) {
            return "result " + r.resultId() + " claims site/vantage/requirement " + r.siteId() + "/" + r.vantage() + "/"
                    + r.requirementId() + ", task " + r.taskId() + " is " + task.siteId() + "/" + task.vantage() + "/"
                    + task.requirementId();
        }
        Instant earliest = task.surveyCreatedAt().minus(config.clockSkew());
        if (r.startedAt().isBefore(earliest) || r.startedAt().isAfter(latestAllowed)) {
            return "result " + r.resultId() + " started at " + r.startedAt() + ", outside its survey (" + earliest
                    + " to " + latestAllowed + "): check the agent's clock";
        }
        return null;
    }

    private static Map<String, Task> loadTasks(Connection c, List<Item> items) throws SQLException {
        Map<String, Task> out = new HashMap<>();
        try (PreparedStatement s = c.prepareStatement("SELECT t.survey_id, t.task_id, t.agent_id, s.site_id, t.vantage, "
                + "t.requirement_id, t.result_id, s.created_at FROM survey_task t "
                + "JOIN unnest(?::uuid[], ?::uuid[]) AS k(survey_id, task_id) "
                + "ON t.survey_id = k.survey_id AND t.task_id = k.task_id JOIN survey s ON s.id = t.survey_id")) {
            s.setArray(1, c.createArrayOf("uuid", items.stream().map(i -> i.checked().surveyId()).toArray()));
            s.setArray(2, c.createArrayOf("uuid", items.stream().map(i -> i.checked().taskId()).toArray()));
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    out.put(rs.getObject(1) + "/" + rs.getObject(2), new Task(rs.getString(3), rs.getString(4),
                            rs.getString(5), rs.getString(6), rs.getObject(7, UUID.class),
                            rs.getTimestamp(8).toInstant()));
                }
            }
        }
        return out;
    }

    /** The probe's key in latest_status: kind and ports, e.g. {@code tcp 443}. */
    static String probe(ProbeResult r) {
        return r.kind().wireName() + (r.ports() == null ? "" : " " + r.ports());
    }

    private static void upsertLatest(Connection c, java.util.Collection<Item> items) throws SQLException {
        // one row per key in a statement: the batch is rewritten into one multi-row INSERT, and ON CONFLICT DO
        // UPDATE may not touch the same row twice in one statement
        Map<String, Item> latest = new LinkedHashMap<>();
        for (Item i : items) {
            ProbeResult r = i.result();
            String key = String.join("\u0000", r.siteId(), r.requirementId(), r.vantage(), r.target(), probe(r));
            latest.merge(key, i, (a, b) -> b.result().startedAt().isAfter(a.result().startedAt()) ? b : a);
        }
        try (PreparedStatement s = c.prepareStatement("INSERT INTO latest_status (site_id, requirement_id, vantage, "
                + "target, probe, outcome, result_id, survey_id, agent_id, started_at, summary) "
                + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
                + "ON CONFLICT (site_id, requirement_id, vantage, target, probe) DO UPDATE SET outcome = EXCLUDED.outcome, "
                + "result_id = EXCLUDED.result_id, survey_id = EXCLUDED.survey_id, agent_id = EXCLUDED.agent_id, "
                + "started_at = EXCLUDED.started_at, summary = EXCLUDED.summary "
                + "WHERE latest_status.started_at <= EXCLUDED.started_at")) {
            for (Item i : latest.values()) {
                ProbeResult r = i.result();
                s.setString(1, r.siteId());
                s.setString(2, r.requirementId());
                s.setString(3, r.vantage());
                s.setString(4, r.target());
                s.setString(5, probe(r));
                s.setString(6, r.outcome().name());
                s.setObject(7, i.checked().resultId());
                s.setObject(8, i.checked().surveyId());
                s.setString(9, r.agentId());
                s.setTimestamp(10, Timestamp.from(r.startedAt()));
                s.setString(11, r.summary());
                s.addBatch();
            }
            s.executeBatch();
        }
    }

    private static void rollbackQuietly(Connection c) {
        try {
            c.rollback();
        } catch (SQLException ignored) {
            // the connection is likely gone; the transaction dies with it
        }
    }
}
