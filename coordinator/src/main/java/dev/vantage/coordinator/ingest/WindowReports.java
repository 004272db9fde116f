package dev.vantage.coordinator.ingest;

import dev.vantage.wire.ProbeKind;
import dev.vantage.wire.ProbeResult;
import dev.vantage.wire.ReceiptEvidence;

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

/**
 * The closing reports of responder windows ({@code window_report}): a respond task is answered by the report its
 * window sends when it opens ({@link TaskAnswers}); the report it sends when it closes carries what reached it
 * ({@link ReceiptEvidence}) and is kept here, the first one per task, insert-only like the answers.
 */
final class WindowReports {
    private WindowReports() {
    }

    /** True for a respond task's closing report: the result that carries the window's receipts. */
    static boolean isClosingReport(ProbeResult r) {
        return r.kind() == ProbeKind.RESPOND && r.evidence() instanceof ReceiptEvidence;
    }

    /**
     * Records the closing reports, one per task, in the order given (sorted, for the row locks); returns the ids of
     * those that became their window's report. Only a respond task of the survey has one: a result that claims to
     * close a probe task is not recorded (and not returned).
     */
    static Set<UUID> record(Connection c, Collection<ResultCheck.Checked> reports, Timestamp reportedAt)
            throws SQLException {
        Set<UUID> recorded = new LinkedHashSet<>();
        try (PreparedStatement s = c.prepareStatement("INSERT INTO window_report (survey_id, task_id, result_id, "
                + "reported_at) SELECT k.survey_id, k.task_id, k.result_id, ? "
                + "FROM unnest(?::uuid[], ?::uuid[], ?::uuid[]) WITH ORDINALITY AS k(survey_id, task_id, result_id, n) "
                + "JOIN survey_task t ON t.survey_id = k.survey_id AND t.task_id = k.task_id "
                + "WHERE t.task::jsonb ->> 'kind' = ? ORDER BY k.n "
                + "ON CONFLICT DO NOTHING RETURNING result_id")) {
            s.setTimestamp(1, reportedAt);
            s.setArray(2, TaskAnswers.uuids(c, reports, ResultCheck.Checked::surveyId));
            s.setArray(3, TaskAnswers.uuids(c, reports, ResultCheck.Checked::taskId));
            s.setArray(4, TaskAnswers.uuids(c, reports, ResultCheck.Checked::resultId));
            s.setString(5, ProbeKind.RESPOND.wireName());
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    recorded.add(rs.getObject(1, UUID.class));
                }
            }
        }
        return recorded;
    }

    /** The result ids recorded as the closing reports of these results' tasks, where recorded. */
    static Map<TaskDirectory.Key, UUID> stored(Connection c, Collection<ResultCheck.Checked> reports)
            throws SQLException {
        Map<TaskDirectory.Key, UUID> out = new HashMap<>();
        try (PreparedStatement s = c.prepareStatement("SELECT w.survey_id, w.task_id, w.result_id FROM window_report w "
                + "JOIN unnest(?::uuid[], ?::uuid[]) AS k(survey_id, task_id) "
                + "ON w.survey_id = k.survey_id AND w.task_id = k.task_id")) {
            s.setArray(1, TaskAnswers.uuids(c, reports, ResultCheck.Checked::surveyId));
            s.setArray(2, TaskAnswers.uuids(c, reports, ResultCheck.Checked::taskId));
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    out.put(new TaskDirectory.Key(rs.getObject(1, UUID.class), rs.getObject(2, UUID.class)),
                            rs.getObject(3, UUID.class));
                }
            }
        }
        return out;
    }
}
