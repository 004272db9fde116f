package dev.vantage.coordinator.bench;

import dev.vantage.coordinator.Api;
import dev.vantage.coordinator.TestAgent;
import dev.vantage.testing.TestInfrastructure;
import dev.vantage.testing.TestPostgres;
import dev.vantage.wire.Outcome;
import dev.vantage.wire.PortRange;
import dev.vantage.wire.ProbeKind;
import dev.vantage.wire.ProbeResult;
import dev.vantage.wire.Topics;
import dev.vantage.wire.Wire;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Benchmarks of the coordinator, run on demand only:
 *
 * <pre>
 * ./mvnw -B -pl coordinator -am verify -Dtest=CoordinatorBenchmark -Dsurefire.failIfNoSpecifiedTests=false \
 *     -Dbench=true [-Dbench.results=200000] [-Dbench.history-rows=10000000]
 * </pre>
 *
 * It prints its figures; they are copied into BENCHMARKS.md by hand, with the machine they ran on.
 */
@QuarkusTest
@WithTestResource(TestInfrastructure.class)
@EnabledIfSystemProperty(named = "bench", matches = "true")
class CoordinatorBenchmark {
    private static final int RESULTS = Integer.getInteger("bench.results", 200_000);
    private static final int HISTORY_ROWS = Integer.getInteger("bench.history-rows", 10_000_000);

    /** A survey with {@code n} tasks written straight into the tables, so that n distinct results are valid. */
    private static UUID syntheticSurvey(Connection c, String site, int n) throws Exception {
        UUID survey = UUID.randomUUID();
        try (PreparedStatement s = c.prepareStatement("INSERT INTO survey (id, site_id, site_version, catalog, mode, state, "
                + "task_count, plan, created_at, created_by, deadline_at) VALUES (?, ?, 1, 'jtel-container-stack', "
                + "'post-install', 'running', ?, '[]', now() - interval '1 minute', 'bench', now() + interval '1 hour')")) {
            s.setObject(1, survey);
            s.setString(2, site);
            s.setInt(3, n);
            s.executeUpdate();
        }
        try (PreparedStatement s = c.prepareStatement("INSERT INTO survey_task (survey_id, task_id, agent_id, vantage, "
                + "requirement_id, task) SELECT ?, md5(? || i)::uuid, 'bench-agent-' || (i % 10), 'end-users', "
                + "'req.' || (i % 50), '{}' FROM generate_series(1, ?) i")) {
            s.setObject(1, survey);
            s.setString(2, survey.toString());
            s.setInt(3, n);
            s.executeUpdate();
        }
        return survey;
    }

    private static List<ProbeResult> results(Connection c, UUID survey, String site) throws Exception {
        List<ProbeResult> out = new ArrayList<>();
        try (PreparedStatement s = c.prepareStatement("SELECT task_id, agent_id, requirement_id FROM survey_task "
                + "WHERE survey_id = ?")) {
            s.setObject(1, survey);
            try (ResultSet rs = s.executeQuery()) {
                int i = 0;
                while (rs.next()) {
                    out.add(new ProbeResult(Wire.SCHEMA_VERSION, UUID.randomUUID().toString(), rs.getString(1),
                            survey.toString(), site, "end-users", rs.getString(2), "0.1.0", rs.getString(3),
                            ProbeKind.TCP, "10.20.0." + (i % 200), PortRange.of(443 + i % 20), Outcome.OPEN,
                            "10.20.10.5:41000", "10.20.0.10:443", "ipv4", "tcp", Instant.now(),
                            Map.of("connect", 830L, "total", 900L), "tcp 10.20.0.10:443 open in 0.9 ms", null));
                    i++;
                }
            }
        }
        return out;
    }

    private static long count(Connection c, UUID survey) throws Exception {
        try (PreparedStatement s = c.prepareStatement("SELECT count(*) FROM result WHERE survey_id = ?")) {
            s.setObject(1, survey);
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    @Test
    void ingestThroughputAgainstRawJdbcBatch() throws Exception {
        String site = Api.createExampleSite("bench");
        try (Connection c = batchingConnection()) {
            // raw JDBC: the same INSERT the ingest uses, 500 rows a batch, one commit per batch
            UUID rawSurvey = syntheticSurvey(c, site, RESULTS);
            List<ProbeResult> raw = results(c, rawSurvey, site);
            c.setAutoCommit(false);
            long t0 = System.nanoTime();
            try (PreparedStatement s = c.prepareStatement("INSERT INTO result (result_id, started_at, ingested_at, "
                    + "survey_id, task_id, site_id, requirement_id, vantage, agent_id, kind, target, ports, outcome, "
                    + "summary, body) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb) ON CONFLICT DO NOTHING")) {
                int n = 0;
                for (ProbeResult r : raw) {
                    s.setObject(1, UUID.fromString(r.resultId()));
                    s.setTimestamp(2, Timestamp.from(r.startedAt()));
                    s.setTimestamp(3, Timestamp.from(Instant.now()));
                    s.setObject(4, rawSurvey);
                    s.setObject(5, UUID.fromString(r.taskId()));
                    s.setString(6, site);
                    s.setString(7, r.requirementId());
                    s.setString(8, r.vantage());
                    s.setString(9, r.agentId());
                    s.setString(10, r.kind().wireName());
                    s.setString(11, r.target());
                    s.setString(12, r.ports().toString());
                    s.setString(13, r.outcome().name());
                    s.setString(14, r.summary());
                    s.setString(15, Wire.encodeToString(r));
                    s.addBatch();
                    if (++n % 500 == 0) {
                        s.executeBatch();
                        c.commit();
                    }
                }
                s.executeBatch();
                c.commit();
            }
            double rawSeconds = (System.nanoTime() - t0) / 1e9;
            c.setAutoCommit(true);

            UUID survey = syntheticSurvey(c, site, RESULTS);
            List<byte[]> encoded = results(c, survey, site).stream().map(Wire::encode).toList();
            long t1 = System.nanoTime();
            try (KafkaProducer<String, byte[]> producer = TestAgent.producer()) {
                for (byte[] value : encoded) {
                    producer.send(new ProducerRecord<>(Topics.RESULTS, survey.toString(), value));
                }
            }
            double produced = (System.nanoTime() - t1) / 1e9;
            while (count(c, survey) < RESULTS) {
                Thread.sleep(100);
            }
            double ingestSeconds = (System.nanoTime() - t1) / 1e9;
            System.out.printf("BENCH ingest: %d results; raw JDBC batch %.1f s = %.0f results/s; "
                            + "Kafka -> coordinator ingest %.1f s = %.0f results/s (%.0f%% of raw; producing took %.1f s)%n",
                    RESULTS, rawSeconds, RESULTS / rawSeconds, ingestSeconds, RESULTS / ingestSeconds,
                    100 * rawSeconds / ingestSeconds, produced);
        }
    }

    @Test
    void matrixAndHistoryQueriesOverManyRows() throws Exception {
        String site = Api.createExampleSite("bench-q");
        try (Connection c = TestPostgres.database().connect(); Statement st = c.createStatement()) {
            long t0 = System.nanoTime();
            // HISTORY_ROWS results over the last 30 days for 100 sites, 50 requirements, 5 vantages, 20 targets;
            // site 0 is the one queried
            st.execute("INSERT INTO result (result_id, started_at, ingested_at, survey_id, task_id, site_id, "
                    + "requirement_id, vantage, agent_id, kind, target, ports, outcome, summary, body) "
                    + "SELECT gen_random_uuid(), now() - (i * (interval '30 days' / " + HISTORY_ROWS + ")), now(), "
                    + "gen_random_uuid(), gen_random_uuid(), CASE WHEN i % 100 = 0 THEN '" + site + "' ELSE 'other-' || (i % 100) END, "
                    + "'req.' || (i / 100 % 50), 'vantage-' || (i / 5000 % 5), 'agent', 'tcp', '10.0.0.' || (i / 250 % 20), '443', "
                    + "'OPEN', 'tcp open', '{\"kind\": \"tcp\", \"outcome\": \"OPEN\"}' FROM generate_series(1, "
                    + HISTORY_ROWS + ") i");
            st.execute("ANALYZE result");
            double load = (System.nanoTime() - t0) / 1e9;
            // latest status of the site, as ingest would have left it: one row per (requirement, vantage, target)
            st.execute("INSERT INTO latest_status SELECT DISTINCT ON (requirement_id, vantage, target) site_id, "
                    + "requirement_id, vantage, target, 'tcp 443', outcome, result_id, survey_id, agent_id, started_at, "
                    + "summary FROM result WHERE site_id = '" + site + "' ORDER BY requirement_id, vantage, target, "
                    + "started_at DESC ON CONFLICT DO NOTHING");
            String token = Api.ADMIN_TOKEN;
            double[] matrix = time(50, () -> Api.as(token).get("/sites/{id}/matrix", site).then().statusCode(200));
            double[] matrixSql = timeSql(c, 200, "SELECT requirement_id, vantage, target, probe, outcome, result_id, "
                    + "survey_id, agent_id, started_at, summary FROM latest_status WHERE site_id = '" + site
                    + "' ORDER BY requirement_id, vantage, target, probe");
            String from = Instant.now().minusSeconds(86_400).toString();
            double[] history = time(50, () -> Api.as(token).queryParam("requirement", "req.7")
                    .queryParam("vantage", "vantage-2").queryParam("from", from).queryParam("limit", 1000)
                    .get("/sites/{id}/history", site).then().statusCode(200));
            double[] historySql = timeSql(c, 200, "SELECT result_id, survey_id, requirement_id, vantage, agent_id, "
                    + "target, kind, ports, outcome, started_at, summary FROM result WHERE site_id = '" + site
                    + "' AND requirement_id = 'req.7' AND started_at >= now() - interval '24 hours' "
                    + "AND started_at < now() AND vantage = 'vantage-2' ORDER BY started_at DESC LIMIT 1000");
            long rows;
            try (ResultSet rs = st.executeQuery("SELECT count(*) FROM result")) {
                rs.next();
                rows = rs.getLong(1);
            }
            System.out.printf("BENCH queries: %d rows in result (loaded %d in %.0f s); matrix REST median %.2f ms "
                            + "p95 %.2f ms, SQL median %.2f ms; history 24 h REST median %.2f ms p95 %.2f ms, "
                            + "SQL median %.2f ms%n", rows, HISTORY_ROWS, load, matrix[0], matrix[1], matrixSql[0],
                    history[0], history[1], historySql[0]);
        }
    }

    /** A connection with the same batching the coordinator's pool has. */
    private static Connection batchingConnection() throws java.sql.SQLException {
        TestPostgres.Database db = TestPostgres.database();
        java.util.Properties p = new java.util.Properties();
        p.setProperty("user", db.user());
        p.setProperty("password", db.password());
        p.setProperty("reWriteBatchedInserts", "true");
        return java.sql.DriverManager.getConnection(db.jdbcUrl(), p);
    }

    private static double[] time(int n, Runnable call) {
        for (int i = 0; i < 5; i++) {
            call.run();
        }
        double[] ms = new double[n];
        for (int i = 0; i < n; i++) {
            long t = System.nanoTime();
            call.run();
            ms[i] = (System.nanoTime() - t) / 1e6;
        }
        Arrays.sort(ms);
        return new double[] {ms[n / 2], ms[(int) (n * 0.95)]};
    }

    private static double[] timeSql(Connection c, int n, String sql) {
        return time(n, () -> {
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
                while (rs.next()) {
                    rs.getString(1);
                }
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
    }
}
