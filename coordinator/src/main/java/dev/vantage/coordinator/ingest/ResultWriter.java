package dev.vantage.coordinator.ingest;

import dev.vantage.wire.ProbeResult;
import dev.vantage.wire.Wire;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.Collection;

/**
 * Writes a batch of accepted results in the caller's transaction: one {@code COPY} into a session-local
 * staging table, then two set-based statements from it — the results into {@code result} with
 * {@code ON CONFLICT DO NOTHING} (a redelivered result stays one row), and the latest status per probe moved
 * forward — and one {@code UPDATE} that marks each task still open answered by its result.
 *
 * <p>Why not a JDBC batch of {@code INSERT}s: {@code COPY} is a single stream of rows the server parses
 * without planning a statement per 128 rows, and it cannot do {@code ON CONFLICT} itself, hence the
 * staging table. The staging table is a temporary table of the connection ({@code ON COMMIT DELETE ROWS}),
 * so replicas and pooled connections never see each other's rows and a rolled-back batch leaves nothing.
 */
final class ResultWriter {
    static final String STAGING = "result_in";
    static final String COLUMNS = "result_id, started_at, ingested_at, survey_id, task_id, site_id, requirement_id, "
            + "vantage, agent_id, kind, target, ports, outcome, summary, body";
    /** The columns of a COPY line: the time stored first, so that the rest can be built before the transaction. */
    static final String COPY_COLUMNS = "ingested_at, result_id, started_at, survey_id, task_id, site_id, requirement_id, "
            + "vantage, agent_id, kind, target, ports, outcome, summary, body";

    private ResultWriter() {
    }

    /**
     * Stores the results (already checked against their tasks, one per result id) as received at {@code now}
     * and marks the tasks of {@code answering} (those of them whose task was still open) answered.
     */
    static void write(Connection c, Collection<ResultIngest.Item> accepted, Collection<ResultIngest.Item> answering,
                      Instant now) throws SQLException {
        try (Statement s = c.createStatement()) {
            // a temporary table lives as long as the pooled connection: after its first batch this is a no-op
            s.execute("CREATE TEMP TABLE IF NOT EXISTS " + STAGING + " (LIKE result) ON COMMIT DELETE ROWS");
        }
        copy(c, accepted, now);
        try (Statement s = c.createStatement()) {
            s.executeUpdate("INSERT INTO result (" + COLUMNS + ") SELECT " + COLUMNS + " FROM " + STAGING
                    + " ON CONFLICT DO NOTHING");
            // ON CONFLICT DO UPDATE may not touch a row twice in one statement: one row per key, the newest
            s.executeUpdate("INSERT INTO latest_status (site_id, requirement_id, vantage, target, probe, outcome, "
                    + "result_id, survey_id, agent_id, started_at, summary) SELECT DISTINCT ON (site_id, requirement_id, "
                    + "vantage, target, probe) site_id, requirement_id, vantage, target, probe, outcome, result_id, "
                    + "survey_id, agent_id, started_at, summary FROM (SELECT *, kind || coalesce(' ' || ports, '') AS probe "
                    + "FROM " + STAGING + ") i ORDER BY site_id, requirement_id, vantage, target, probe, started_at DESC "
                    + "ON CONFLICT (site_id, requirement_id, vantage, target, probe) DO UPDATE SET outcome = EXCLUDED.outcome, "
                    + "result_id = EXCLUDED.result_id, survey_id = EXCLUDED.survey_id, agent_id = EXCLUDED.agent_id, "
                    + "started_at = EXCLUDED.started_at, summary = EXCLUDED.summary "
                    + "WHERE latest_status.started_at <= EXCLUDED.started_at");
        }
        answer(c, answering, now);
    }

    /**
     * Marks each task answered by its result, unless a result answered it meanwhile. Joined to arrays rather
     * than to the staging table: the staging table has no statistics, and with a large survey_task the planner
     * chose a hash join over the whole table (300 ms a batch of 1,560 instead of about 80, in the benchmark).
     */
    private static void answer(Connection c, Collection<ResultIngest.Item> accepted, Instant now) throws SQLException {
        if (accepted.isEmpty()) {
            return;
        }
        try (PreparedStatement s = c.prepareStatement("UPDATE survey_task t SET result_id = k.result_id, answered_at = ? "
                + "FROM unnest(?::uuid[], ?::uuid[], ?::uuid[]) AS k(survey_id, task_id, result_id) "
                + "WHERE t.survey_id = k.survey_id AND t.task_id = k.task_id AND t.result_id IS NULL")) {
            s.setTimestamp(1, Timestamp.from(now));
            s.setArray(2, c.createArrayOf("uuid", accepted.stream().map(i -> i.checked().surveyId()).toArray()));
            s.setArray(3, c.createArrayOf("uuid", accepted.stream().map(i -> i.checked().taskId()).toArray()));
            s.setArray(4, c.createArrayOf("uuid", accepted.stream().map(i -> i.checked().resultId()).toArray()));
            s.executeUpdate();
        }
    }

    private static void copy(Connection c, Collection<ResultIngest.Item> accepted, Instant now) throws SQLException {
        byte[] ingestedAt = timestamp(now).getBytes(StandardCharsets.US_ASCII);
        int size = 0;
        for (ResultIngest.Item item : accepted) {
            size += ingestedAt.length + item.row().length;
        }
        byte[] rows = new byte[size];
        int at = 0;
        for (ResultIngest.Item item : accepted) {
            System.arraycopy(ingestedAt, 0, rows, at, ingestedAt.length);
            at += ingestedAt.length;
            System.arraycopy(item.row(), 0, rows, at, item.row().length);
            at += item.row().length;
        }
        CopyIn in = c.unwrap(PGConnection.class).getCopyAPI().copyIn("COPY " + STAGING + " (" + COPY_COLUMNS
                + ") FROM STDIN");
        try {
            in.writeToCopy(rows, 0, rows.length);
            in.endCopy();
        } finally {
            if (in.isActive()) {
                in.cancelCopy();
            }
        }
    }

    /**
     * The result's line in PostgreSQL's COPY text format, without its first column (the time it is stored,
     * written in front of it by {@link #write}): every column of {@code result} but {@code ingested_at}, in
     * the order of {@link #COPY_COLUMNS}, tab-separated, ending in a newline. Built while decoding, off the
     * transaction.
     */
    static byte[] row(ResultCheck.Checked checked) {
        ProbeResult r = checked.result();
        Row out = new Row();
        out.field(checked.resultId().toString());
        out.field(timestamp(r.startedAt()));
        out.field(checked.surveyId().toString());
        out.field(checked.taskId().toString());
        out.field(r.siteId());
        out.field(r.requirementId());
        out.field(r.vantage());
        out.field(r.agentId());
        out.field(r.kind().wireName());
        out.field(r.target());
        out.field(r.ports() == null ? null : r.ports().toString());
        out.field(r.outcome().name());
        out.field(r.summary());
        out.field(Wire.encode(r));
        out.write('\n');
        return out.toByteArray();
    }

    /** A growing line of COPY text: each field preceded by a tab, {@code \N} for null, backslash escapes. */
    private static final class Row {
        private byte[] bytes = new byte[1024];
        private int length;

        void field(String value) {
            if (value == null) {
                write('\t');
                write('\\');
                write('N');
            } else {
                field(value.getBytes(StandardCharsets.UTF_8));
            }
        }

        /** UTF-8 bytes: the escaped characters are ASCII, which never occurs inside a multi-byte sequence. */
        void field(byte[] utf8) {
            if (bytes.length < length + 1 + 2 * utf8.length) {
                bytes = Arrays.copyOf(bytes, Math.max(2 * bytes.length, length + 1 + 2 * utf8.length));
            }
            bytes[length++] = '\t';
            for (byte b : utf8) {
                byte escaped = switch (b) {
                    case '\\' -> '\\';
                    case '\t' -> 't';
                    case '\n' -> 'n';
                    case '\r' -> 'r';
                    default -> 0;
                };
                if (escaped == 0) {
                    bytes[length++] = b;
                } else {
                    bytes[length++] = '\\';
                    bytes[length++] = escaped;
                }
            }
        }

        void write(char ascii) {
            if (length == bytes.length) {
                bytes = Arrays.copyOf(bytes, 2 * bytes.length);
            }
            bytes[length++] = (byte) ascii;
        }

        byte[] toByteArray() {
            return Arrays.copyOf(bytes, length);
        }
    }

    /**
     * The instant as PostgreSQL stores it, rounded to microseconds the way the JDBC driver rounds a
     * {@link Timestamp}: a redelivered result must land on the same primary key {@code (result_id, started_at)}.
     */
    static String timestamp(Instant t) {
        Instant micros = t.plusNanos(500).truncatedTo(ChronoUnit.MICROS);
        return micros.toString();
    }
}
