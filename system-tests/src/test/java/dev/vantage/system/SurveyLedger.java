package dev.vantage.system;

import java.sql.Array;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What PostgreSQL holds about surveys, read directly with the coordinator's own credentials: the ground truth the
 * fault tests check, beside what the API says. The tables are those of coordinator/src/main/resources/db/migration:
 * {@code survey_task} (one row per dispatched task), {@code outbox} (tasks not sent yet), {@code task_answer} (the
 * result that answered a task, primary key survey and task) and {@code result} (every stored result).
 *
 * <p>Each call opens its own connection, so a ledger outlives a PostgreSQL restart.
 */
final class SurveyLedger {
    private final String url;
    private final String user;
    private final String password;

    /** From the env file {@code services up} writes ({@code VANTAGE_DB_URL}, {@code _USER}, {@code _PASSWORD}). */
    SurveyLedger(Map<String, String> env) {
        this.url = env.get("VANTAGE_DB_URL");
        this.user = env.get("VANTAGE_DB_USER");
        this.password = env.get("VANTAGE_DB_PASSWORD");
    }

    /** Tasks answered so far in these surveys ({@code task_answer} rows). */
    long answered(Collection<String> surveys) throws SQLException {
        return number("SELECT count(*) FROM task_answer WHERE survey_id = ANY(?)", surveys);
    }

    /**
     * Waits until these surveys have more than {@code answered} answers and returns how many they have then; polls
     * every 10 ms on one connection, so a kill can follow the first stored batch closely. Fails after {@code within}.
     */
    long awaitAnsweredAbove(Collection<String> surveys, long answered, Duration within) throws Exception {
        long until = System.nanoTime() + within.toNanos();
        try (Connection c = connect(); PreparedStatement s = c.prepareStatement(
                "SELECT count(*) FROM task_answer WHERE survey_id = ANY(?)")) {
            s.setArray(1, uuids(c, surveys));
            while (true) {
                try (ResultSet rs = s.executeQuery()) {
                    rs.next();
                    long now = rs.getLong(1);
                    if (now > answered) {
                        return now;
                    }
                }
                assertThat(System.nanoTime()).as("more than %d answers within %s", answered, within).isLessThan(until);
                Thread.sleep(10);
            }
        }
    }

    /** Tasks of these surveys ({@code survey_task} rows). */
    long tasks(Collection<String> surveys) throws SQLException {
        return number("SELECT count(*) FROM survey_task WHERE survey_id = ANY(?)", surveys);
    }

    /** Tasks of these surveys still waiting in the outbox (not yet sent to Kafka). */
    long undispatched(Collection<String> surveys) throws SQLException {
        return number("SELECT count(*) FROM outbox WHERE survey_id = ANY(?)", surveys);
    }

    /** Of these surveys, how many are completed. */
    long completed(Collection<String> surveys) throws SQLException {
        return number("SELECT count(*) FROM survey WHERE id = ANY(?) AND state = 'completed'", surveys);
    }

    /** Tasks of the agent in the survey that are answered so far. */
    long answeredBy(String survey, String agent) throws SQLException {
        return number("SELECT count(*) FROM task_answer a JOIN survey_task t USING (survey_id, task_id) "
                + "WHERE a.survey_id = ANY(?) AND t.agent_id = ?", List.of(survey), agent);
    }

    /** Probe tasks (not responder windows) of the agent in the survey that are answered. */
    long probesAnsweredBy(String survey, String agent) throws SQLException {
        return number("SELECT count(*) FROM task_answer a JOIN survey_task t USING (survey_id, task_id) "
                + "WHERE a.survey_id = ANY(?) AND t.agent_id = ? AND t.task::jsonb ->> 'kind' <> 'respond'",
                List.of(survey), agent);
    }

    /** Respond tasks (responder windows) of the survey, of every agent. */
    long windows(String survey) throws SQLException {
        return number("SELECT count(*) FROM survey_task t WHERE t.survey_id = ANY(?) AND t.task::jsonb ->> 'kind' = 'respond'",
                List.of(survey));
    }

    /** Respond tasks (responder windows) of the agent in the survey. */
    long windows(String survey, String agent) throws SQLException {
        return number("SELECT count(*) FROM survey_task t WHERE t.survey_id = ANY(?) AND t.agent_id = ? "
                + "AND t.task::jsonb ->> 'kind' = 'respond'", List.of(survey), agent);
    }

    /** Respond tasks of the agent in the survey that are answered: windows it reported open. */
    long windowsOpen(String survey, String agent) throws SQLException {
        return number("SELECT count(*) FROM survey_task t JOIN task_answer a USING (survey_id, task_id) "
                + "WHERE t.survey_id = ANY(?) AND t.agent_id = ? AND t.task::jsonb ->> 'kind' = 'respond'",
                List.of(survey), agent);
    }

    /** When the survey was completed, or null while it runs. */
    Instant completedAt(String survey) throws SQLException {
        try (Connection c = connect(); PreparedStatement s = c.prepareStatement(
                "SELECT completed_at FROM survey WHERE id = ?")) {
            s.setObject(1, UUID.fromString(survey));
            try (ResultSet rs = s.executeQuery()) {
                return rs.next() && rs.getTimestamp(1) != null ? rs.getTimestamp(1).toInstant() : null;
            }
        }
    }

    /**
     * How many rows {@code result} holds with this id that count: as its task's answer ({@code task_answer}) or as its
     * responder window's closing report ({@code window_report}); a result stored twice would be two.
     */
    long stored(String resultId) throws SQLException {
        try (Connection c = connect(); PreparedStatement s = c.prepareStatement(
                "SELECT count(*) FROM result r WHERE r.result_id = ? AND (EXISTS (SELECT 1 FROM task_answer a WHERE "
                        + "a.survey_id = r.survey_id AND a.result_id = r.result_id) OR EXISTS (SELECT 1 FROM window_report w "
                        + "WHERE w.survey_id = r.survey_id AND w.result_id = r.result_id))")) {
            s.setObject(1, UUID.fromString(resultId));
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    /**
     * Every way the survey breaks "each dispatched task has exactly one answer, and each result is stored once";
     * empty when it holds. A task still in the outbox was never dispatched, and is named too. A respond task may have
     * one more stored result, its window's closing report (recorded in {@code window_report}); anything beyond that,
     * or a closing report the survey does not count, is named.
     */
    List<String> problems(String survey) throws SQLException {
        List<String> problems = new ArrayList<>();
        lines(problems, "SELECT 'task ' || o.task_id || ' was never dispatched (still in the outbox)' FROM outbox o "
                + "WHERE o.survey_id = ANY(?)", survey);
        lines(problems, "SELECT 'task ' || t.task_id || ' of ' || t.agent_id || ' (' || t.requirement_id || ') has no answer' "
                + "FROM survey_task t LEFT JOIN task_answer a USING (survey_id, task_id) WHERE t.survey_id = ANY(?) "
                + "AND a.task_id IS NULL", survey);
        lines(problems, "SELECT 'an answer for task ' || a.task_id || ', which was not dispatched' FROM task_answer a "
                + "LEFT JOIN survey_task t USING (survey_id, task_id) WHERE a.survey_id = ANY(?) AND t.task_id IS NULL", survey);
        lines(problems, "SELECT 'task ' || a.task_id || ' is answered by result ' || a.result_id || ', which is not stored' "
                + "FROM task_answer a LEFT JOIN result r ON r.survey_id = a.survey_id AND r.result_id = a.result_id "
                + "WHERE a.survey_id = ANY(?) AND r.result_id IS NULL", survey);
        lines(problems, "SELECT 'result ' || result_id || ' is stored ' || count(*) || ' times' FROM result "
                + "WHERE survey_id = ANY(?) GROUP BY result_id HAVING count(*) > 1", survey);
        lines(problems, "SELECT 'task ' || r.task_id || ' has ' || count(*) || ' stored results besides its window''s closing "
                + "report' FROM result r WHERE r.survey_id = ANY(?) AND NOT EXISTS (SELECT 1 FROM window_report w WHERE "
                + "w.survey_id = r.survey_id AND w.result_id = r.result_id) GROUP BY r.task_id HAVING count(*) > 1", survey);
        lines(problems, "SELECT 'task ' || w.task_id || ' has the closing report ' || w.result_id || ', which is not stored' "
                + "FROM window_report w LEFT JOIN result r ON r.survey_id = w.survey_id AND r.result_id = w.result_id "
                + "WHERE w.survey_id = ANY(?) AND r.result_id IS NULL", survey);
        lines(problems, "SELECT 'the survey counts ' || s.windows_reported || ' closing reports, window_report holds ' || "
                + "(SELECT count(*) FROM window_report w WHERE w.survey_id = s.id) FROM survey s WHERE s.id = ANY(?) AND "
                + "s.windows_reported <> (SELECT count(*) FROM window_report w WHERE w.survey_id = s.id)", survey);
        lines(problems, "SELECT 'the survey counts ' || s.answered || ' answers of ' || s.task_count || ' tasks, task_answer "
                + "holds ' || (SELECT count(*) FROM task_answer a WHERE a.survey_id = s.id) || ' and survey_task ' "
                + "|| (SELECT count(*) FROM survey_task t WHERE t.survey_id = s.id) FROM survey s WHERE s.id = ANY(?) "
                + "AND NOT (s.answered = s.task_count AND s.task_count = (SELECT count(*) FROM task_answer a WHERE "
                + "a.survey_id = s.id) AND s.task_count = (SELECT count(*) FROM survey_task t WHERE t.survey_id = s.id))",
                survey);
        return problems;
    }

    private void lines(List<String> into, String sql, String survey) throws SQLException {
        try (Connection c = connect(); PreparedStatement s = c.prepareStatement(sql)) {
            s.setArray(1, uuids(c, List.of(survey)));
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    into.add(rs.getString(1));
                }
            }
        }
    }

    /** A count; the surveys are the first parameter ({@code = ANY(?)}), then {@code more}. */
    private long number(String sql, Collection<String> surveys, Object... more) throws SQLException {
        try (Connection c = connect(); PreparedStatement s = c.prepareStatement(sql)) {
            s.setArray(1, uuids(c, surveys));
            for (int i = 0; i < more.length; i++) {
                s.setObject(i + 2, more[i]);
            }
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private static Array uuids(Connection c, Collection<String> surveys) throws SQLException {
        return c.createArrayOf("uuid", surveys.stream().map(UUID::fromString).toArray());
    }

    private Connection connect() throws SQLException {
        return DriverManager.getConnection(url, user, password);
    }
}
