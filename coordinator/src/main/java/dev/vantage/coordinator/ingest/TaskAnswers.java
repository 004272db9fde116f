package dev.vantage.coordinator.ingest;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;

/**
 * The answers of dispatched tasks ({@code task_answer}): the first result stored for a task is its answer, kept
 * once by the table's primary key, also between replicas. Insert-only, without a foreign key (BENCHMARKS.md: an
 * update of {@code survey_task} or a foreign-key check cost as much as the result insert itself).
 */
final class TaskAnswers {
    private TaskAnswers() {
    }

    /**
     * Records the results as their tasks' answers, one result per task, in the order given (sorted, so that
     * concurrent batches take the row locks in one order); returns the ids of those that became answers. The
     * others are re-deliveries of a stored answer, or further results for a task already answered.
     */
    static Set<UUID> record(Connection c, Collection<ResultCheck.Checked> results, Timestamp answeredAt)
            throws SQLException {
        Set<UUID> answered = new LinkedHashSet<>();
        try (PreparedStatement s = c.prepareStatement("INSERT INTO task_answer (survey_id, task_id, result_id, answered_at) "
                + "SELECT k.survey_id, k.task_id, k.result_id, ? "
                + "FROM unnest(?::uuid[], ?::uuid[], ?::uuid[]) AS k(survey_id, task_id, result_id) "
                + "ON CONFLICT DO NOTHING RETURNING result_id")) {
            s.setTimestamp(1, answeredAt);
            s.setArray(2, uuids(c, results, ResultCheck.Checked::surveyId));
            s.setArray(3, uuids(c, results, ResultCheck.Checked::taskId));
            s.setArray(4, uuids(c, results, ResultCheck.Checked::resultId));
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    answered.add(rs.getObject(1, UUID.class));
                }
            }
        }
        return answered;
    }

    /** The result ids that answer the tasks of these results, where answered. */
    static Map<TaskDirectory.Key, UUID> stored(Connection c, Collection<ResultCheck.Checked> results) throws SQLException {
        Map<TaskDirectory.Key, UUID> out = new HashMap<>();
        try (PreparedStatement s = c.prepareStatement("SELECT a.survey_id, a.task_id, a.result_id FROM task_answer a "
                + "JOIN unnest(?::uuid[], ?::uuid[]) AS k(survey_id, task_id) "
                + "ON a.survey_id = k.survey_id AND a.task_id = k.task_id")) {
            s.setArray(1, uuids(c, results, ResultCheck.Checked::surveyId));
            s.setArray(2, uuids(c, results, ResultCheck.Checked::taskId));
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    out.put(new TaskDirectory.Key(rs.getObject(1, UUID.class), rs.getObject(2, UUID.class)),
                            rs.getObject(3, UUID.class));
                }
            }
        }
        return out;
    }

    static java.sql.Array uuids(Connection c, Collection<ResultCheck.Checked> results,
                                Function<ResultCheck.Checked, UUID> field) throws SQLException {
        return c.createArrayOf("uuid", results.stream().map(field).toArray());
    }
}
