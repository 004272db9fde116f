package dev.vantage.coordinator.ingest;

import dev.vantage.wire.ProbeResult;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.Collection;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The latest outcome per probe ({@code latest_status}, which the matrix reads instead of the history), moved
 * forward by stored results and never back: an older result arriving late leaves a newer status as it is.
 */
final class LatestStatus {
    private LatestStatus() {
    }

    /** The probe's key in latest_status: kind and ports, e.g. {@code tcp 443}. */
    static String probe(ProbeResult r) {
        return r.kind().wireName() + (r.ports() == null ? "" : " " + r.ports());
    }

    /**
     * Moves the latest status of each probe these results observed forward, and gives each of their sites a new
     * status version, so that the matrix documents the replicas keep ({@code status.MatrixDocuments}) are rebuilt
     * on their next read. Rows are written in sorted order: concurrent batches take their row locks in one order.
     */
    static void moveForward(Connection c, Collection<ResultCheck.Checked> results) throws SQLException {
        upsert(c, results);
        newStatusVersions(c, results);
    }

    private static void upsert(Connection c, Collection<ResultCheck.Checked> results) throws SQLException {
        // one row per key in a statement: the batch is rewritten into one multi-row INSERT, and ON CONFLICT DO
        // UPDATE may not touch the same row twice in one statement
        Map<String, ResultCheck.Checked> latest = new TreeMap<>(); // sorted: one order of row locks
        for (ResultCheck.Checked checked : results) {
            ProbeResult r = checked.result();
            String key = String.join("\u0000", r.siteId(), r.requirementId(), r.vantage(), r.target(), probe(r));
            latest.merge(key, checked, (a, b) -> b.result().startedAt().isAfter(a.result().startedAt()) ? b : a);
        }
        try (PreparedStatement s = c.prepareStatement("INSERT INTO latest_status (site_id, requirement_id, vantage, "
                + "target, probe, outcome, result_id, survey_id, agent_id, started_at, summary) "
                + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
                + "ON CONFLICT (site_id, requirement_id, vantage, target, probe) DO UPDATE SET outcome = EXCLUDED.outcome, "
                + "result_id = EXCLUDED.result_id, survey_id = EXCLUDED.survey_id, agent_id = EXCLUDED.agent_id, "
                + "started_at = EXCLUDED.started_at, summary = EXCLUDED.summary "
                + "WHERE latest_status.started_at <= EXCLUDED.started_at")) {
            for (ResultCheck.Checked checked : latest.values()) {
                ProbeResult r = checked.result();
                s.setString(1, r.siteId());
                s.setString(2, r.requirementId());
                s.setString(3, r.vantage());
                s.setString(4, r.target());
                s.setString(5, probe(r));
                s.setString(6, r.outcome().name());
                s.setObject(7, checked.resultId());
                s.setObject(8, checked.surveyId());
                s.setString(9, r.agentId());
                s.setTimestamp(10, Timestamp.from(r.startedAt()));
                s.setString(11, r.summary());
                s.addBatch();
            }
            s.executeBatch();
        }
    }

    private static void newStatusVersions(Connection c, Collection<ResultCheck.Checked> results) throws SQLException {
        Set<String> sites = new TreeSet<>();
        results.forEach(r -> sites.add(r.result().siteId()));
        try (PreparedStatement s = c.prepareStatement("UPDATE site SET status_version = nextval('site_status_seq') "
                + "WHERE id = ?")) {
            for (String site : sites) {
                s.setString(1, site);
                s.addBatch();
            }
            s.executeBatch();
        }
    }
}
