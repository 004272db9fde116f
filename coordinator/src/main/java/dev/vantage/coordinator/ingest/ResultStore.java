package dev.vantage.coordinator.ingest;

import dev.vantage.wire.Outcome;
import dev.vantage.wire.ProbeKind;
import dev.vantage.wire.ProbeResult;
import dev.vantage.wire.Wire;
import org.jboss.logging.Logger;

import javax.sql.DataSource;
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
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * Stores batches of checked results in PostgreSQL over plain JDBC (batched statements and {@code unnest} arrays:
 * the path BENCHMARKS.md measures against a raw insert of the same rows). Kafka is not its business: it takes
 * decoded results ({@link ResultCheck#decode}) and says, by their position in the batch, which it refused.
 *
 * <p>A batch is one transaction. Each result must answer a dispatched task ({@link TaskDirectory}: a deleted
 * site's surveys and tasks are gone, so its late results are refused) from the agent the task was sent to, within
 * the survey's time ({@link ResultCheck#againstTask}), and be signed with the key bound to that agent
 * ({@link ResultCheck#againstKey}, {@link BoundKeys}). The accepted results are recorded as their tasks' answers
 * ({@link TaskAnswers}: the first answer of a task wins, a redelivered result is not stored twice, and a further,
 * different result for an answered task is counted as superseded and not stored); the answering results are
 * inserted, the latest status per probe is moved forward ({@link LatestStatus}) and the surveys' answer counts are
 * raised. A responder window's closing report (the second result of a respond task, with its receipts) is not an
 * answer but is kept as well ({@link WindowReports}, once per task): inserted, and counted in its survey's
 * {@code windows_reported}, as a respond task answered {@code LISTENED} is in {@code windows_opened}, so that
 * completion can wait for the windows that opened ({@code survey.SurveyCompletion}). A closing report whose task
 * has no answer yet (its opening report was lost) answers it too. When a survey's respond tasks are all answered, its probes waiting
 * for the responder lead are released ({@link ProbeRelease}).
 *
 * <p>Any number of batches may be stored at once, also by several replicas: answers, latest-status keys, sites and
 * surveys are written in sorted order, so concurrent transactions take their row locks in one order and wait for
 * each other instead of deadlocking.
 */
final class ResultStore {
    private static final Logger LOG = Logger.getLogger(ResultStore.class);
    private static final Comparator<TaskDirectory.Key> BY_SURVEY_AND_TASK = Comparator.comparing(TaskDirectory.Key::surveyId)
            .thenComparing(TaskDirectory.Key::taskId);

    /** A result of the batch that was not stored, by its position in the batch, and why. */
    record Refused(int index, ResultCheck.Refusal refusal) {
    }

    /**
     * What storing a batch did: the results refused; the surveys not completed that now have every answer (and may
     * move on: to closing, or completed); how many results were stored (first answers of their tasks and closing
     * reports of responder windows); how many were further answers of answered tasks.
     */
    record Stored(List<Refused> refused, Set<UUID> completed, int stored, int superseded) {
        static final Stored NOTHING = new Stored(List.of(), Set.of(), 0, 0);
    }

    /** A result with its position in the batch. */
    private record Entry(int index, ResultCheck.Checked checked, TaskDirectory.Key key) {
        ProbeResult result() {
            return checked.result();
        }
    }

    private final DataSource db;
    private final Duration clockSkew;
    private final TaskDirectory directory;
    private final BoundKeys keys = new BoundKeys();

    /**
     * @param clockSkew how far a result's start may lie outside its survey (agent clocks)
     * @param keptTasks how many dispatched tasks to keep in memory ({@link TaskDirectory})
     */
    ResultStore(DataSource db, Duration clockSkew, int keptTasks) {
        this.db = db;
        this.clockSkew = clockSkew;
        this.directory = new TaskDirectory(keptTasks);
    }

    /**
     * Stores the batch. A result PostgreSQL refuses for its value (not for being unavailable) is refused alone:
     * the batch is then stored result by result.
     *
     * @throws SQLException when PostgreSQL is unavailable ({@link Retry#isUnavailable}); nothing of the batch is
     *                      then stored, and it can be stored again
     */
    Stored store(List<ResultCheck.Checked> batch) throws SQLException {
        List<Entry> entries = new ArrayList<>(batch.size());
        for (int i = 0; i < batch.size(); i++) {
            ResultCheck.Checked c = batch.get(i);
            entries.add(new Entry(i, c, new TaskDirectory.Key(c.surveyId(), c.taskId())));
        }
        return entries.isEmpty() ? Stored.NOTHING : storeOrSplit(entries);
    }

    private Stored storeOrSplit(List<Entry> entries) throws SQLException {
        try {
            return storeInOneTransaction(entries);
        } catch (SQLException e) {
            if (Retry.isUnavailable(e)) {
                throw e;
            }
            if (entries.size() == 1) {
                return new Stored(List.of(new Refused(entries.get(0).index(), new ResultCheck.Refusal(
                        ResultCheck.Cause.DATABASE, "the database refused the result: " + e.getMessage()))), Set.of(), 0, 0);
            }
            LOG.warnf("a batch of %d results was refused (%s); storing them one by one", entries.size(), e.getMessage());
            List<Refused> refused = new ArrayList<>();
            Set<UUID> completed = new LinkedHashSet<>();
            int stored = 0;
            int superseded = 0;
            for (Entry entry : entries) {
                Stored one = storeOrSplit(List.of(entry));
                refused.addAll(one.refused());
                completed.addAll(one.completed());
                stored += one.stored();
                superseded += one.superseded();
            }
            return new Stored(refused, completed, stored, superseded);
        }
    }

    private Stored storeInOneTransaction(List<Entry> entries) throws SQLException {
        try (Connection c = db.getConnection()) {
            c.setAutoCommit(false);
            try {
                Stored s = store(c, entries);
                c.commit();
                return s;
            } catch (SQLException | RuntimeException e) {
                rollbackQuietly(c);
                throw e;
            }
        }
    }

    private Stored store(Connection c, List<Entry> entries) throws SQLException {
        Map<TaskDirectory.Key, TaskDirectory.Task> tasks = directory.find(c, entries.stream().map(Entry::key).toList());
        Map<String, BoundKeys.Bound> bound = keys.of(c, tasks.values().stream().map(TaskDirectory.Task::agentId)
                .collect(Collectors.toSet()));
        Instant now = Instant.now();
        List<Refused> refused = new ArrayList<>();
        Map<TaskDirectory.Key, Entry> accepted = new TreeMap<>(BY_SURVEY_AND_TASK); // one result per task, sorted
        Map<TaskDirectory.Key, Entry> closing = new TreeMap<>(BY_SURVEY_AND_TASK); // one closing report per task
        int superseded = 0;
        for (Entry entry : entries) {
            TaskDirectory.Task task = tasks.get(entry.key());
            String refusal = ResultCheck.againstTask(entry.result(), task, clockSkew, now);
            if (refusal != null) {
                refused.add(new Refused(entry.index(), new ResultCheck.Refusal(ResultCheck.Cause.TASK, refusal)));
                continue;
            }
            // the key of the agent the task was signed for, whatever agent the result names
            ResultCheck.Refusal unproven = ResultCheck.againstKey(entry.checked(), task.agentId(), bound.get(task.agentId()));
            if (unproven != null) {
                refused.add(new Refused(entry.index(), unproven));
                continue;
            }
            Entry first = (WindowReports.isClosingReport(entry.result()) ? closing : accepted)
                    .putIfAbsent(entry.key(), entry);
            if (first != null) {
                superseded += superseded(entry, first.checked().resultId());
            }
        }
        if (accepted.isEmpty() && closing.isEmpty()) {
            return new Stored(refused, Set.of(), 0, superseded);
        }
        Timestamp ingestedAt = Timestamp.from(now);
        List<Entry> answers = new ArrayList<>();
        superseded += recordAnswers(c, accepted.values(), ingestedAt, answers);
        List<Entry> reports = new ArrayList<>();
        if (!closing.isEmpty()) {
            List<ResultCheck.Checked> all = closing.values().stream().map(Entry::checked).toList();
            Set<UUID> recorded = WindowReports.record(c, all, ingestedAt);
            List<Entry> others = new ArrayList<>();
            closing.values().forEach(e -> (recorded.contains(e.checked().resultId()) ? reports : others).add(e));
            if (!others.isEmpty()) {
                Map<TaskDirectory.Key, UUID> stored = WindowReports.stored(c, others.stream().map(Entry::checked).toList());
                for (Entry entry : others) {
                    UUID report = stored.get(entry.key());
                    if (report == null) { // not recorded, and nothing was before: the task is no responder window
                        refused.add(new Refused(entry.index(), new ResultCheck.Refusal(ResultCheck.Cause.TASK,
                                "result " + entry.checked().resultId() + " carries receipts, but task "
                                        + entry.checked().taskId() + " is not a responder window")));
                    } else {
                        superseded += superseded(entry, report);
                    }
                }
            }
            if (!reports.isEmpty()) {
                // a closing report whose task has no answer (the opening report was lost) answers it as well
                Set<UUID> answering = TaskAnswers.record(c, reports.stream().map(Entry::checked).toList(), ingestedAt);
                reports.stream().filter(e -> answering.contains(e.checked().resultId())).forEach(answers::add);
            }
        }
        if (answers.isEmpty() && reports.isEmpty()) {
            return new Stored(refused, Set.of(), 0, superseded);
        }
        Set<ResultCheck.Checked> rows = new java.util.LinkedHashSet<>();
        answers.forEach(e -> rows.add(e.checked()));
        reports.forEach(e -> rows.add(e.checked()));
        insertResults(c, List.copyOf(rows), ingestedAt);
        List<ResultCheck.Checked> answered = answers.stream().map(Entry::checked).toList();
        if (!answered.isEmpty()) {
            LatestStatus.moveForward(c, answered);
        }
        Set<UUID> complete = count(c, answered, reports.stream().map(Entry::checked).toList());
        Set<UUID> windowsAnswered = answered.stream().filter(a -> a.result().kind() == ProbeKind.RESPOND)
                .map(ResultCheck.Checked::surveyId).collect(Collectors.toCollection(TreeSet::new));
        if (!windowsAnswered.isEmpty()) {
            ProbeRelease.whereWindowsAnswered(c, windowsAnswered); // after count(): it holds the surveys' row locks
        }
        return new Stored(refused, complete, rows.size(), superseded);
    }

    /**
     * Records the entries as their tasks' answers and adds those that became answers to {@code answers}; returns how
     * many of the others were further, different answers (superseded), not re-deliveries.
     */
    private static int recordAnswers(Connection c, Collection<Entry> entries, Timestamp at, List<Entry> answers)
            throws SQLException {
        if (entries.isEmpty()) {
            return 0;
        }
        Set<UUID> answered = TaskAnswers.record(c, entries.stream().map(Entry::checked).toList(), at);
        List<Entry> others = new ArrayList<>();
        entries.forEach(e -> (answered.contains(e.checked().resultId()) ? answers : others).add(e));
        int superseded = 0;
        if (!others.isEmpty()) {
            Map<TaskDirectory.Key, UUID> stored = TaskAnswers.stored(c, others.stream().map(Entry::checked).toList());
            for (Entry entry : others) {
                superseded += superseded(entry, stored.get(entry.key()));
            }
        }
        return superseded;
    }

    /** 1 when the result is another than the task's answer, 0 when it is the answer again (a re-delivery). */
    private static int superseded(Entry entry, UUID answer) {
        if (answer == null || answer.equals(entry.checked().resultId())) {
            return 0;
        }
        // e.g. the agent's REFUSED answer to a re-sent task it had already run: the first answer stands
        LOG.debugf("result %s for task %s ignored: the task was answered by %s", entry.checked().resultId(),
                entry.checked().taskId(), answer);
        return 1;
    }

    private static void insertResults(Connection c, List<ResultCheck.Checked> results, Timestamp ingestedAt)
            throws SQLException {
        try (PreparedStatement s = c.prepareStatement("INSERT INTO result (result_id, started_at, ingested_at, survey_id, "
                + "task_id, site_id, requirement_id, vantage, agent_id, kind, target, ports, outcome, summary, body) "
                + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb) ON CONFLICT DO NOTHING")) {
            for (ResultCheck.Checked checked : results) {
                ProbeResult r = checked.result();
                s.setObject(1, checked.resultId());
                s.setTimestamp(2, Timestamp.from(r.startedAt()));
                s.setTimestamp(3, ingestedAt);
                s.setObject(4, checked.surveyId());
                s.setObject(5, checked.taskId());
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

    /**
     * Adds the new answers and closing reports to their surveys' counts (answers; windows opened: respond tasks
     * answered {@code LISTENED}; windows reported); returns the surveys not completed that now have every answer.
     */
    private static Set<UUID> count(Connection c, List<ResultCheck.Checked> answers, List<ResultCheck.Checked> reports)
            throws SQLException {
        Map<UUID, int[]> perSurvey = new TreeMap<>(); // sorted: one order of row locks for concurrent batches
        for (ResultCheck.Checked a : answers) {
            int[] n = perSurvey.computeIfAbsent(a.surveyId(), k -> new int[3]);
            n[0]++;
            if (a.result().kind() == ProbeKind.RESPOND && a.result().outcome() == Outcome.LISTENED) {
                n[1]++;
            }
        }
        reports.forEach(r -> perSurvey.computeIfAbsent(r.surveyId(), k -> new int[3])[2]++);
        Set<UUID> complete = new LinkedHashSet<>();
        try (PreparedStatement s = c.prepareStatement("UPDATE survey SET answered = answered + ?, "
                + "windows_opened = windows_opened + ?, windows_reported = windows_reported + ? WHERE id = ? "
                + "RETURNING state <> 'completed' AND answered >= task_count")) {
            for (Map.Entry<UUID, int[]> e : perSurvey.entrySet()) {
                s.setInt(1, e.getValue()[0]);
                s.setInt(2, e.getValue()[1]);
                s.setInt(3, e.getValue()[2]);
                s.setObject(4, e.getKey());
                try (ResultSet rs = s.executeQuery()) {
                    if (rs.next() && rs.getBoolean(1)) {
                        complete.add(e.getKey());
                    }
                }
            }
        }
        return complete;
    }

    private static void rollbackQuietly(Connection c) {
        try {
            c.rollback();
        } catch (SQLException ignored) {
            // the connection is likely gone; the transaction dies with it
        }
    }
}
