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
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.function.Function;

/**
 * Ingests results from {@code vantage.results} in batches.
 *
 * <ol>
 *   <li>Each record is decoded and checked as untrusted input ({@link ResultCheck}); a record that fails
 *       goes to the dead-letter topic with the reason.</li>
 *   <li>The batch is checked against the dispatched tasks: the survey and task must exist, the result must
 *       come from the agent the task was sent to, for the same site, vantage and requirement, and its start
 *       time must lie within the survey. Failures are dead-lettered too.</li>
 *   <li>In one transaction: each result is recorded as its task's answer ({@code task_answer}, whose primary
 *       key keeps the first answer only, so a redelivered result is not a second row and a further result for
 *       an answered task is not stored), the answering results are inserted, the latest status per probe is
 *       moved forward (with a new status version for its site) and the surveys' answer counts are raised.</li>
 *   <li>Surveys whose count reached their task count are completed.</li>
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
    /**
     * The worker pool that stores batches, {@code smallrye.messaging.worker.vantage-ingest.max-concurrency} at a
     * time: while one batch waits for PostgreSQL, the next is decoded and checked. Batches may commit out of
     * order; the commit strategy acknowledges an offset to Kafka only when every record before it is stored.
     */
    static final String WORKERS = "vantage-ingest";
    /**
     * One result per task, in this order: concurrent batches then take the answers' row locks in one order and
     * wait for each other instead of deadlocking.
     */
    private static final Comparator<TaskDirectory.Key> BY_SURVEY_AND_TASK = Comparator.comparing(TaskDirectory.Key::surveyId)
            .thenComparing(TaskDirectory.Key::taskId);
    private static final Logger LOG = Logger.getLogger(ResultIngest.class);

    private final AgroalDataSource db;
    private final SurveyCompletion completion;
    private final DeadLetters deadLetters;
    private final CoordinatorConfig.Ingest config;
    private final Counter ingested;
    private final Counter deadLettered;
    private final Counter superseded;
    private final Timer lag;
    private final TaskDirectory directory;

    public ResultIngest(AgroalDataSource db, SurveyCompletion completion, DeadLetters deadLetters,
                        CoordinatorConfig config, MeterRegistry metrics) {
        this.db = db;
        this.completion = completion;
        this.deadLetters = deadLetters;
        this.config = config.ingest();
        this.directory = new TaskDirectory(this.config.keptTasks());
        this.ingested = Counter.builder("vantage.results.ingested").description("results stored (first answers of their tasks)")
                .register(metrics);
        this.deadLettered = Counter.builder("vantage.results.dead.lettered")
                .description("result records refused and sent to the dead-letter topic").register(metrics);
        this.superseded = Counter.builder("vantage.results.superseded")
                .description("further results for a task that was already answered, not stored").register(metrics);
        this.lag = Timer.builder("vantage.ingest.lag").description("time from a result's publication to its commit")
                .register(metrics);
    }

    /** A record that passed the message checks. */
    record Item(ConsumerRecord<String, byte[]> record, ResultCheck.Checked checked, TaskDirectory.Key key) {
        Item(ConsumerRecord<String, byte[]> record, ResultCheck.Checked checked) {
            this(record, checked, new TaskDirectory.Key(checked.surveyId(), checked.taskId()));
        }

        ProbeResult result() {
            return checked.result();
        }
    }

    /** What storing a batch did: the records refused, the surveys now answered in full, the results stored. */
    record Stored(List<DeadLetters.Poison> poison, Set<UUID> surveys, int stored) {
    }

    @Incoming(CHANNEL)
    @Blocking(value = WORKERS, ordered = false)
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
        Map<TaskDirectory.Key, TaskDirectory.Task> tasks = directory.find(c, items.stream().map(Item::key).toList());
        Instant now = Instant.now();
        Instant latestAllowed = now.plus(config.clockSkew());
        List<DeadLetters.Poison> poison = new ArrayList<>();
        Map<TaskDirectory.Key, Item> accepted = new TreeMap<>(BY_SURVEY_AND_TASK);
        for (Item item : items) {
            String refusal = refusal(item.result(), tasks.get(item.key()), latestAllowed);
            if (refusal != null) {
                poison.add(new DeadLetters.Poison(item.record(), refusal));
                continue;
            }
            Item first = accepted.putIfAbsent(item.key(), item);
            if (first != null && !first.checked().resultId().equals(item.checked().resultId())) {
                supersede(item, first.checked().resultId());
            }
        }
        if (accepted.isEmpty()) {
            return new Stored(poison, Set.of(), 0);
        }
        Timestamp ingestedAt = Timestamp.from(now);
        List<Item> answers = answer(c, accepted.values(), ingestedAt);
        if (answers.isEmpty()) {
            return new Stored(poison, Set.of(), 0);
        }
        insertResults(c, answers, ingestedAt);
        upsertLatest(c, answers);
        newStatusVersions(c, answers);
        return new Stored(poison, countAnswers(c, answers), answers.size());
    }

    /**
     * Records the accepted results as the answers of their tasks; returns those that are (the first answer of
     * a task). The others are re-deliveries of the answer already stored, or a further, different result for an
     * answered task, which is not stored.
     */
    private List<Item> answer(Connection c, Collection<Item> accepted, Timestamp ingestedAt) throws SQLException {
        Set<UUID> answered = new LinkedHashSet<>();
        try (PreparedStatement s = c.prepareStatement("INSERT INTO task_answer (survey_id, task_id, result_id, answered_at) "
                + "SELECT k.survey_id, k.task_id, k.result_id, ? "
                + "FROM unnest(?::uuid[], ?::uuid[], ?::uuid[]) AS k(survey_id, task_id, result_id) "
                + "ON CONFLICT DO NOTHING RETURNING result_id")) {
            s.setTimestamp(1, ingestedAt);
            s.setArray(2, uuids(c, accepted, i -> i.checked().surveyId()));
            s.setArray(3, uuids(c, accepted, i -> i.checked().taskId()));
            s.setArray(4, uuids(c, accepted, i -> i.checked().resultId()));
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    answered.add(rs.getObject(1, UUID.class));
                }
            }
        }
        List<Item> answers = new ArrayList<>(answered.size());
        List<Item> others = new ArrayList<>();
        accepted.forEach(i -> (answered.contains(i.checked().resultId()) ? answers : others).add(i));
        if (!others.isEmpty()) {
            Map<TaskDirectory.Key, UUID> stored = storedAnswers(c, others);
            for (Item item : others) {
                UUID first = stored.get(item.key());
                if (first != null && !first.equals(item.checked().resultId())) {
                    supersede(item, first);
                }
            }
        }
        return answers;
    }

    private void supersede(Item item, UUID first) {
        // e.g. the agent's REFUSED answer to a re-sent task it had already run: the first answer stands
        superseded.increment();
        LOG.debugf("result %s for task %s ignored: the task was answered by %s", item.checked().resultId(),
                item.checked().taskId(), first);
    }

    private static Map<TaskDirectory.Key, UUID> storedAnswers(Connection c, List<Item> items) throws SQLException {
        Map<TaskDirectory.Key, UUID> out = new HashMap<>();
        try (PreparedStatement s = c.prepareStatement("SELECT a.survey_id, a.task_id, a.result_id FROM task_answer a "
                + "JOIN unnest(?::uuid[], ?::uuid[]) AS k(survey_id, task_id) "
                + "ON a.survey_id = k.survey_id AND a.task_id = k.task_id")) {
            s.setArray(1, uuids(c, items, i -> i.checked().surveyId()));
            s.setArray(2, uuids(c, items, i -> i.checked().taskId()));
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    out.put(new TaskDirectory.Key(rs.getObject(1, UUID.class), rs.getObject(2, UUID.class)),
                            rs.getObject(3, UUID.class));
                }
            }
        }
        return out;
    }

    private static void insertResults(Connection c, List<Item> items, Timestamp ingestedAt) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("INSERT INTO result (result_id, started_at, ingested_at, survey_id, "
                + "task_id, site_id, requirement_id, vantage, agent_id, kind, target, ports, outcome, summary, body) "
                + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb) ON CONFLICT DO NOTHING")) {
            for (Item item : items) {
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
    }

    /** Adds the new answers to their surveys' counts; returns the running surveys that now have every answer. */
    private static Set<UUID> countAnswers(Connection c, List<Item> answers) throws SQLException {
        Map<UUID, Integer> perSurvey = new TreeMap<>(); // one order of row locks for concurrent batches
        answers.forEach(i -> perSurvey.merge(i.checked().surveyId(), 1, Integer::sum));
        Set<UUID> complete = new LinkedHashSet<>();
        try (PreparedStatement s = c.prepareStatement("UPDATE survey SET answered = answered + ? WHERE id = ? "
                + "RETURNING state = 'running' AND answered >= task_count")) {
            for (Map.Entry<UUID, Integer> e : perSurvey.entrySet()) {
                s.setInt(1, e.getValue());
                s.setObject(2, e.getKey());
                try (ResultSet rs = s.executeQuery()) {
                    if (rs.next() && rs.getBoolean(1)) {
                        complete.add(e.getKey());
                    }
                }
            }
        }
        return complete;
    }

    private static java.sql.Array uuids(Connection c, Collection<Item> items, Function<Item, UUID> field)
            throws SQLException {
        return c.createArrayOf("uuid", items.stream().map(field).toArray());
    }

    /** Why a result does not answer its task, or null when it does. */
    private String refusal(ProbeResult r, TaskDirectory.Task task, Instant latestAllowed) {
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

    /** The probe's key in latest_status: kind and ports, e.g. {@code tcp 443}. */
    static String probe(ProbeResult r) {
        return r.kind().wireName() + (r.ports() == null ? "" : " " + r.ports());
    }

    private static void upsertLatest(Connection c, Collection<Item> items) throws SQLException {
        // one row per key in a statement: the batch is rewritten into one multi-row INSERT, and ON CONFLICT DO
        // UPDATE may not touch the same row twice in one statement
        Map<String, Item> latest = new TreeMap<>(); // sorted: one order of row locks for concurrent batches
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

    /**
     * A new status version for each site whose latest status the batch may have moved: the matrix documents the
     * replicas keep ({@code status.MatrixDocuments}) are rebuilt on their next read.
     */
    private static void newStatusVersions(Connection c, Collection<Item> items) throws SQLException {
        Set<String> sites = new TreeSet<>(); // sorted: one order of row locks for concurrent batches
        items.forEach(i -> sites.add(i.result().siteId()));
        try (PreparedStatement s = c.prepareStatement("UPDATE site SET status_version = nextval('site_status_seq') "
                + "WHERE id = ?")) {
            for (String site : sites) {
                s.setString(1, site);
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
