package dev.vantage.coordinator.bench;

import dev.vantage.coordinator.Api;
import dev.vantage.testing.KafkaClients;
import dev.vantage.testing.TestInfrastructure;
import dev.vantage.testing.TestKafka;
import dev.vantage.testing.TestPostgres;
import dev.vantage.trust.Ed25519Keys;
import dev.vantage.wire.Outcome;
import dev.vantage.wire.PortRange;
import dev.vantage.wire.ProbeKind;
import dev.vantage.wire.ProbeResult;
import dev.vantage.wire.SignedResult;
import dev.vantage.wire.Topics;
import dev.vantage.wire.Wire;
import dev.vantage.coordinator.auth.Tokens;
import dev.vantage.coordinator.ingest.ResultIngest;
import dev.vantage.coordinator.status.StatusQueries;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import jakarta.inject.Inject;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.reactive.messaging.kafka.KafkaClientService;
import io.smallrye.reactive.messaging.kafka.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.postgresql.PGConnection;
import org.bouncycastle.math.ec.rfc8032.Ed25519;
import org.postgresql.copy.CopyManager;

import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Benchmarks of the coordinator, run on demand only:
 *
 * <pre>
 * ./mvnw -B -pl coordinator -am verify -Dtest=CoordinatorBenchmark -Dsurefire.failIfNoSpecifiedTests=false \
 *     -Dbench=true [-Dbench.results=200000] [-Dbench.raw-batch=500] [-Dbench.history-rows=10000000] [-Dbench.rounds=300]
 * </pre>
 *
 * {@code -Dtest='CoordinatorBenchmark#matrixAndHistoryQueriesOverManyRows'} runs only the queries part,
 * {@code -Dtest='CoordinatorBenchmark#ingestThroughputAgainstRawJdbcBatch'} only the ingest part (without
 * loading the 10 million rows).
 *
 * It prints its figures; they are copied into BENCHMARKS.md by hand, with the machine they ran on.
 */
@QuarkusTest
@WithTestResource(TestInfrastructure.class)
@EnabledIfSystemProperty(named = "bench", matches = "true")
class CoordinatorBenchmark {
    @TestHTTPResource("/")
    URI base;
    @Inject
    Tokens tokens;
    @Inject
    StatusQueries queries;
    @Inject
    KafkaClientService kafka;
    @Inject
    dev.vantage.coordinator.status.MatrixDocuments documents;

    private static final int RESULTS = Integer.getInteger("bench.results", 200_000);
    private static final int HISTORY_ROWS = Integer.getInteger("bench.history-rows", 10_000_000);
    private static final int ROUNDS = Integer.getInteger("bench.rounds", 300);
    private static final String SENTINEL = "bench-never-answers";
    /** Rows per JDBC batch or COPY, and per commit, on the raw side. */
    private static final int BATCH = Integer.getInteger("bench.raw-batch", 500);

    /** A survey with {@code n} tasks written straight into the tables, so that n distinct results are valid. */
    private static UUID syntheticSurvey(Connection c, String site, int n) throws Exception {
        UUID survey = UUID.randomUUID();
        try (PreparedStatement s = c.prepareStatement("INSERT INTO survey (id, site_id, site_version, catalog, mode, state, "
                + "task_count, plan, created_at, created_by, deadline_at) VALUES (?, ?, 1, 'jtel-container-stack', "
                + "'post-install', 'running', ?, '[]', now() - interval '1 minute', 'bench', now() + interval '1 hour')")) {
            s.setObject(1, survey);
            s.setString(2, site);
            s.setInt(3, n + 1); // the sentinel below
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
        // one task never answered keeps the survey running: completing it would run the analysis over the
        // synthetic tasks (which are not real task JSON) in the ingest's thread, during the next measurement
        try (PreparedStatement s = c.prepareStatement("INSERT INTO survey_task (survey_id, task_id, agent_id, vantage, "
                + "requirement_id, task) VALUES (?, gen_random_uuid(), '" + SENTINEL + "', 'end-users', 'req.0', '{}')")) {
            s.setObject(1, survey);
            s.executeUpdate();
        }
        return survey;
    }

    private static List<ProbeResult> results(Connection c, UUID survey, String site) throws Exception {
        List<ProbeResult> out = new ArrayList<>();
        try (PreparedStatement s = c.prepareStatement("SELECT task_id, agent_id, requirement_id FROM survey_task "
                + "WHERE survey_id = ? AND agent_id <> '" + SENTINEL + "'")) {
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

    /** True once every task but the sentinel has its result (the ingest counts answers in the transaction storing them). */
    private static boolean allAnswered(Connection c, UUID survey) throws Exception {
        try (PreparedStatement s = c.prepareStatement("SELECT answered = task_count - 1 FROM survey WHERE id = ?")) {
            s.setObject(1, survey);
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getBoolean(1);
            }
        }
    }

    /**
     * CPU seconds used so far by this JVM (the coordinator, the Kafka broker, the benchmark), by the coordinator's
     * result consumer and ingest threads within it, and by PostgreSQL.
     */
    private record Cpu(double jvm, double ingestThreads, double postgres) {
        static Cpu now() throws IOException {
            double jvm = ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
                    .getOperatingSystemMXBean()).getProcessCpuTime() / 1e9;
            java.lang.management.ThreadMXBean threads = java.lang.management.ManagementFactory.getThreadMXBean();
            long ingest = 0;
            for (java.lang.management.ThreadInfo t : threads.getThreadInfo(threads.getAllThreadIds())) {
                if (t != null && (t.getThreadName().startsWith("vantage-ingest")
                        || t.getThreadName().startsWith("smallrye-kafka-consumer-thread"))) {
                    ingest += Math.max(0, threads.getThreadCpuTime(t.getThreadId()));
                }
            }
            long ticks = 0;
            try (var procs = Files.list(Path.of("/proc"))) {
                for (Path p : procs.filter(p -> p.getFileName().toString().matches("\\d+")).toList()) {
                    try {
                        String stat = Files.readString(p.resolve("stat"));
                        if (stat.contains("(postgres)")) {
                            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                            ticks += Long.parseLong(f[11]) + Long.parseLong(f[12]); // utime, stime
                        }
                    } catch (IOException gone) {
                        // the process ended meanwhile
                    }
                }
            }
            return new Cpu(jvm, ingest / 1e9, ticks / 100.0); // USER_HZ
        }

        String since(Cpu before, int rows) {
            double per = 100_000.0 / rows;
            return String.format("CPU per 100,000 results: JVM %.2f s (coordinator's result consumer and ingest threads "
                    + "%.2f s), PostgreSQL %.2f s", (jvm - before.jvm) * per, (ingestThreads - before.ingestThreads) * per,
                    (postgres - before.postgres) * per);
        }
    }

    private static String load() throws Exception {
        return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
    }

    private static final String INSERT_RESULT = "INSERT INTO result (result_id, started_at, ingested_at, survey_id, "
            + "task_id, site_id, requirement_id, vantage, agent_id, kind, target, ports, outcome, summary, body) "
            + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb) ON CONFLICT DO NOTHING";

    /** The INSERT the ingest uses, {@code BATCH} rows a JDBC batch, one commit per batch: the practical limit. */
    private static double rawInsert(Connection c, UUID survey, String site, List<ProbeResult> rows) throws Exception {
        c.setAutoCommit(false);
        long t0 = System.nanoTime();
        try (PreparedStatement s = c.prepareStatement(INSERT_RESULT)) {
            int n = 0;
            for (ProbeResult r : rows) {
                s.setObject(1, UUID.fromString(r.resultId()));
                s.setTimestamp(2, Timestamp.from(r.startedAt()));
                s.setTimestamp(3, Timestamp.from(Instant.now()));
                s.setObject(4, survey);
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
                if (++n % BATCH == 0) {
                    s.executeBatch();
                    c.commit();
                }
            }
            s.executeBatch();
            c.commit();
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        c.setAutoCommit(true);
        return seconds;
    }

    /**
     * The same rows by COPY straight into {@code result}, {@code BATCH} rows a COPY and commit: no conflict
     * handling (COPY has none), so the upper bound of any loader, not an idempotent ingest.
     */
    private static double rawCopy(Connection c, List<ProbeResult> rows) throws Exception {
        c.setAutoCommit(false);
        CopyManager copy = c.unwrap(PGConnection.class).getCopyAPI();
        long t0 = System.nanoTime();
        StringBuilder chunk = new StringBuilder();
        int n = 0;
        for (ProbeResult r : rows) {
            // the bench's rows need no COPY escaping (no tab, newline or backslash in any value)
            chunk.append(r.resultId()).append('\t').append(r.startedAt()).append('\t').append(Instant.now()).append('\t')
                    .append(r.surveyId()).append('\t').append(r.taskId()).append('\t').append(r.siteId()).append('\t')
                    .append(r.requirementId()).append('\t').append(r.vantage()).append('\t').append(r.agentId())
                    .append('\t').append(r.kind().wireName()).append('\t').append(r.target()).append('\t')
                    .append(r.ports()).append('\t').append(r.outcome().name()).append('\t').append(r.summary())
                    .append('\t').append(Wire.encodeToString(r)).append('\n');
            if (++n % BATCH == 0 || n == rows.size()) {
                copy.copyIn("COPY result (result_id, started_at, ingested_at, survey_id, task_id, site_id, "
                        + "requirement_id, vantage, agent_id, kind, target, ports, outcome, summary, body) FROM STDIN",
                        new StringReader(chunk.toString()));
                c.commit();
                chunk.setLength(0);
            }
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        c.setAutoCommit(true);
        return seconds;
    }

    /**
     * The ceiling of any client: PostgreSQL generates rows like the benchmark's (the same body, fresh ids) and
     * inserts them into {@code result} in one statement, with no client, protocol or parameters involved.
     */
    private static double serverOnly(Connection c, String site, ProbeResult sample) throws Exception {
        long t0 = System.nanoTime();
        try (PreparedStatement s = c.prepareStatement("INSERT INTO result (result_id, started_at, ingested_at, survey_id, "
                + "task_id, site_id, requirement_id, vantage, agent_id, kind, target, ports, outcome, summary, body) "
                + "SELECT gen_random_uuid(), now() - i * interval '1 ms', now(), ?, gen_random_uuid(), ?, 'req.' || (i % 50), "
                + "'end-users', 'bench-agent-' || (i % 10), 'tcp', '10.20.0.' || (i % 200), (443 + i % 20)::text, 'OPEN', "
                + "?, ?::jsonb FROM generate_series(1, ?) i")) {
            s.setObject(1, UUID.randomUUID());
            s.setString(2, site);
            s.setString(3, sample.summary());
            s.setString(4, Wire.encodeToString(sample));
            s.setInt(5, RESULTS);
            s.executeUpdate();
        }
        return (System.nanoTime() - t0) / 1e9;
    }

    @Test
    void ingestThroughputAgainstRawJdbcBatch() throws Exception {
        String site = Api.createExampleSite("bench");
        try (Connection c = batchingConnection()) {
            AgentSigners signers = AgentSigners.bound(c);
            // both paths once with a tenth of the rows first, so that neither measurement pays for the JIT compiler
            int warmUp = Math.max(1000, RESULTS / 10);
            UUID warmRaw = syntheticSurvey(c, site, warmUp);
            rawInsert(c, warmRaw, site, results(c, warmRaw, site));
            UUID warmIngest = syntheticSurvey(c, site, warmUp);
            produce(warmIngest, results(c, warmIngest, site).stream().map(signers::signed).toList());
            waitUntilStored(c, warmIngest, warmUp);

            UUID rawSurvey = syntheticSurvey(c, site, RESULTS);
            List<ProbeResult> raw = results(c, rawSurvey, site);
            String loadBefore = load();
            Cpu cpu0 = Cpu.now();
            double rawSeconds = rawInsert(c, rawSurvey, site, raw);
            String rawCpu = Cpu.now().since(cpu0, RESULTS);
            UUID copySurvey = syntheticSurvey(c, site, RESULTS);
            List<ProbeResult> copied = results(c, copySurvey, site);
            double copySeconds = rawCopy(c, copied);
            double serverSeconds = serverOnly(c, site, copied.get(0));
            String loadAfterRaw = load();

            // the consumer runs while the results are produced, on the same two cores
            UUID survey = syntheticSurvey(c, site, RESULTS);
            List<byte[]> encoded = results(c, survey, site).stream().map(signers::signed).toList();
            Cpu cpu1 = Cpu.now();
            long t1 = System.nanoTime();
            produce(survey, encoded);
            double produced = (System.nanoTime() - t1) / 1e9;
            long inWhenProduced = count(c, survey);
            waitUntilStored(c, survey, RESULTS);
            double ingestSeconds = (System.nanoTime() - t1) / 1e9;
            String ingestCpu = Cpu.now().since(cpu1, RESULTS);
            String loadAfterIngest = load();

            // a backlog: the coordinator's consumer is paused while the results are produced, then drains them
            // with the two cores to itself and the broker
            UUID backlog = syntheticSurvey(c, site, RESULTS);
            KafkaConsumer<Object, Object> consumer = kafka.getConsumer(ResultIngest.CHANNEL);
            consumer.pause().await().indefinitely();
            produce(backlog, results(c, backlog, site).stream().map(signers::signed).toList());
            Thread.sleep(2000);
            long inBeforeResume = count(c, backlog);
            Cpu cpu2 = Cpu.now();
            long t2 = System.nanoTime();
            consumer.resume().await().indefinitely();
            waitUntilStored(c, backlog, RESULTS);
            double drainSeconds = (System.nanoTime() - t2) / 1e9;
            String drainCpu = Cpu.now().since(cpu2, RESULTS);
            String loadAfterDrain = load();

            System.out.printf("BENCH ingest: %d results; raw JDBC batch INSERT %.1f s = %.0f results/s; raw COPY %.1f s "
                            + "= %.0f results/s; load average %s before raw, %s after%n",
                    RESULTS, rawSeconds, RESULTS / rawSeconds, copySeconds, RESULTS / copySeconds, loadBefore, loadAfterRaw);
            System.out.printf("BENCH ingest: Kafka -> coordinator ingest, produced meanwhile: %.1f s = %.0f results/s = "
                            + "%.0f%% of raw INSERT, %.0f%% of raw COPY (producing took %.1f s, %d rows were in by then; "
                            + "after it %.0f results/s); load average %s after%n",
                    ingestSeconds, RESULTS / ingestSeconds, 100 * rawSeconds / ingestSeconds,
                    100 * copySeconds / ingestSeconds, produced, inWhenProduced,
                    (RESULTS - inWhenProduced) / (ingestSeconds - produced), loadAfterIngest);
            System.out.printf("BENCH ingest: Kafka -> coordinator ingest, a backlog of %d results (%d stored while paused): "
                            + "%.1f s = %.0f results/s = %.0f%% of raw INSERT, %.0f%% of raw COPY; load average %s after%n",
                    RESULTS - inBeforeResume, inBeforeResume, drainSeconds, (RESULTS - inBeforeResume) / drainSeconds,
                    100 * rawSeconds / drainSeconds * (RESULTS - inBeforeResume) / RESULTS,
                    100 * copySeconds / drainSeconds * (RESULTS - inBeforeResume) / RESULTS, loadAfterDrain);
            System.out.printf("BENCH ingest: PostgreSQL alone, generating the rows itself (no client): %.1f s = %.0f rows/s%n",
                    serverSeconds, RESULTS / serverSeconds);
            System.out.printf("BENCH ingest: raw INSERT %s%n", rawCpu);
            System.out.printf("BENCH ingest: ingest, produced meanwhile (producer included) %s%n", ingestCpu);
            System.out.printf("BENCH ingest: ingest of a backlog %s%n", drainCpu);
            verificationCost(signers, results(c, syntheticSurvey(c, site, 20_000), site));
        }
    }

    /**
     * What verifying a result's signature costs by itself, per result, on this machine: Bouncy Castle as ingest does
     * it (the key decoded once) and the JDK 17 provider, over the same signed results, after a warm-up of each. CPU
     * time of this thread, so that other processes on the cores do not count.
     */
    private static void verificationCost(AgentSigners signers, List<ProbeResult> results) {
        List<SignedResult> signed = results.stream().map(r -> Wire.decode(signers.signed(r), SignedResult.class)).toList();
        Map<String, Ed25519.PublicPoint> points = new HashMap<>();
        signers.publicKeys().forEach((agent, raw) -> points.put(signers.keyIds().get(agent),
                Ed25519.validatePublicKeyFullExport(raw, 0)));
        java.lang.management.ThreadMXBean threads = java.lang.management.ManagementFactory.getThreadMXBean();
        for (int round = 0; round < 2; round++) { // the first round warms up both
            long t0 = threads.getCurrentThreadCpuTime();
            int ok = 0;
            for (SignedResult r : signed) {
                byte[] message = r.result().getBytes(java.nio.charset.StandardCharsets.UTF_8);
                ok += Ed25519.verify(java.util.Base64.getDecoder().decode(r.signature()), 0, points.get(r.keyId()),
                        message, 0, message.length) ? 1 : 0;
            }
            double bc = (threads.getCurrentThreadCpuTime() - t0) / 1e3 / signed.size();
            t0 = threads.getCurrentThreadCpuTime();
            for (SignedResult r : signed) {
                ok += dev.vantage.trust.Signatures.verifies(signers.jdkKeys().get(r.keyId()), r.result(), r.signature())
                        ? 1 : 0;
            }
            double jdk = (threads.getCurrentThreadCpuTime() - t0) / 1e3 / signed.size();
            if (ok != 2 * signed.size()) {
                throw new AssertionError(ok + " of " + 2 * signed.size() + " signatures verified");
            }
            if (round == 1) {
                System.out.printf("BENCH ingest: Ed25519 verification alone, %d signed results, CPU per result: Bouncy "
                        + "Castle %.0f us, JDK 17 provider %.0f us%n", signed.size(), bc, jdk);
            }
        }
    }

    /**
     * The bench agents' keys, bound to them as their approval would, and their signatures: the same RFC 8032
     * Ed25519 signatures the agents make with the JDK, made with Bouncy Castle so that signing 200,000 results before
     * each measurement takes seconds rather than minutes. Signing is never timed; verifying is part of the ingest.
     */
    private record AgentSigners(Map<String, byte[]> seeds, Map<String, byte[]> publicKeys, Map<String, String> keyIds,
                                Map<String, java.security.PublicKey> jdkKeys) {
        static AgentSigners bound(Connection c) throws SQLException {
            Map<String, byte[]> seeds = new HashMap<>();
            Map<String, byte[]> publicKeys = new HashMap<>();
            Map<String, String> keyIds = new HashMap<>();
            Map<String, java.security.PublicKey> jdkKeys = new HashMap<>(); // by key id
            try (PreparedStatement s = c.prepareStatement("INSERT INTO agent (id, site_id, version, first_seen_at, "
                    + "last_seen_at, agent_clock_at, enrolment, key_id, public_key, key_bound_at, key_bound_by) VALUES "
                    + "(?, 'bench', '0.1.0', now(), now(), now(), 'APPROVED', ?, ?, now(), 'bench') ON CONFLICT (id) DO "
                    + "UPDATE SET key_id = excluded.key_id, public_key = excluded.public_key")) {
                for (int i = 0; i < 10; i++) {
                    String agent = "bench-agent-" + i;
                    java.security.KeyPair pair = Ed25519Keys.generate();
                    byte[] pkcs8 = pair.getPrivate().getEncoded(); // the 32-byte seed comes last (RFC 8410)
                    seeds.put(agent, Arrays.copyOfRange(pkcs8, pkcs8.length - 32, pkcs8.length));
                    publicKeys.put(agent, Ed25519Keys.raw(pair.getPublic()));
                    keyIds.put(agent, Ed25519Keys.fingerprint(pair.getPublic()));
                    jdkKeys.put(keyIds.get(agent), pair.getPublic());
                    s.setString(1, agent);
                    s.setString(2, keyIds.get(agent));
                    s.setString(3, Ed25519Keys.encode(pair.getPublic()));
                    s.executeUpdate();
                }
            }
            return new AgentSigners(seeds, publicKeys, keyIds, jdkKeys);
        }

        byte[] signed(ProbeResult r) {
            String json = Wire.encodeToString(r);
            byte[] message = json.getBytes(java.nio.charset.StandardCharsets.UTF_8);
            byte[] signature = new byte[Ed25519.SIGNATURE_SIZE];
            Ed25519.sign(seeds.get(r.agentId()), 0, publicKeys.get(r.agentId()), 0, message, 0, message.length,
                    signature, 0);
            return Wire.encode(new SignedResult(Wire.SCHEMA_VERSION, keyIds.get(r.agentId()), json,
                    java.util.Base64.getEncoder().encodeToString(signature)));
        }
    }

    /**
     * Produces the results as fast as the broker takes them: batches of up to 1 MiB that wait up to 20 ms to
     * fill (the default 16 KiB batches sent at once made the producer take a third of the run's CPU, which the
     * ingest it measures did not have). Agents produce on their own machines; only this stand-in shares the cores.
     */
    private static void produce(UUID survey, List<byte[]> values) {
        Map<String, Object> config = new HashMap<>(KafkaClients.producerConfig(TestKafka.bootstrapServers()));
        config.put(ProducerConfig.LINGER_MS_CONFIG, 20);
        config.put(ProducerConfig.BATCH_SIZE_CONFIG, 1 << 20);
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(config)) {
            for (byte[] value : values) {
                producer.send(new ProducerRecord<>(Topics.RESULTS, survey.toString(), value));
            }
        }
    }

    /**
     * Waits until every task of the survey has its result, then checks the row count. Polls a cheap index
     * probe: a count(*) of the survey's rows every 100 ms cost the server more and more CPU as the rows grew,
     * CPU the ingest then did not have.
     */
    private static void waitUntilStored(Connection c, UUID survey, int results) throws Exception {
        while (!allAnswered(c, survey)) {
            Thread.sleep(20);
        }
        long stored = count(c, survey);
        if (stored != results) {
            throw new AssertionError("every task answered but " + stored + " rows in result, expected " + results);
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
            // a second site with the largest matrix the generator above can make: 50 requirements x 5 vantages x 20
            // targets (the first site's rows only combine each requirement with one target)
            String big = Api.createExampleSite("bench-big");
            st.execute("INSERT INTO latest_status SELECT '" + big + "', 'req.' || r, 'vantage-' || v, '10.0.0.' || t, "
                    + "'tcp 443', 'OPEN', gen_random_uuid(), gen_random_uuid(), 'agent-' || v, now() - interval '1 hour', "
                    + "'tcp 10.0.0.' || t || ':443 open in 0.9 ms' FROM generate_series(0, 49) r, generate_series(0, 4) v, "
                    + "generate_series(0, 19) t");
            long cells;
            try (ResultSet rs = st.executeQuery("SELECT count(*) FROM latest_status WHERE site_id = '" + site + "'")) {
                rs.next();
                cells = rs.getLong(1);
            }
            String admin = Api.ADMIN_TOKEN;
            // what a real client holds: a stored viewer token limited to the site
            String viewer = Api.admin().contentType("application/json").body(Map.of("name", "bench-viewer-" + site,
                    "role", "viewer", "sites", List.of(site, big))).post("/tokens").then().statusCode(201).extract()
                    .path("secret");
            URI matrixUri = base.resolve("/sites/" + site + "/matrix");
            URI bigMatrixUri = base.resolve("/sites/" + big + "/matrix");
            String from = Instant.now().minusSeconds(86_400).toString();
            URI historyUri = base.resolve("/sites/" + site + "/history?requirement=req.7&vantage=vantage-2&limit=1000&from="
                    + from);
            HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            long matrixBytes = get(http, matrixUri, viewer).length;
            long bigMatrixBytes = get(http, bigMatrixUri, viewer).length;
            long historyBytes = get(http, historyUri, viewer).length;

            // the coordinator's query (it sorts in Java)
            String matrixSql = "SELECT requirement_id, vantage, target, probe, outcome, result_id, survey_id, agent_id, "
                    + "started_at, summary FROM latest_status WHERE site_id = '" + site + "'";
            String historySql = "SELECT result_id, survey_id, requirement_id, vantage, agent_id, target, kind, ports, "
                    + "outcome, started_at, summary FROM result WHERE site_id = '" + site + "' AND requirement_id = 'req.7' "
                    + "AND started_at >= now() - interval '24 hours' AND started_at < now() AND vantage = 'vantage-2' "
                    + "ORDER BY started_at DESC LIMIT 1000";
            // the variants take turns, round after round, so that the load of other processes on this shared
            // machine falls on all of them alike
            Map<String, Runnable> variants = new LinkedHashMap<>();
            variants.put("matrix REST", () -> get(http, matrixUri, viewer));
            variants.put("matrix REST admin", () -> get(http, matrixUri, admin));
            variants.put("matrix REST 5000", () -> get(http, bigMatrixUri, viewer));
            // what the first read after an ingest costs: a new status version, then the call (the UPDATE alone is
            // measured below and taken off)
            String bump = "UPDATE site SET status_version = nextval('site_status_seq') WHERE id = '" + big + "'";
            // the UPDATE alone on a third site, so that it does not make the next kept reads rebuild
            String bumpOther = "UPDATE site SET status_version = nextval('site_status_seq') WHERE id = '"
                    + Api.createExampleSite("bench-bump") + "'";
            String bumpSite = "UPDATE site SET status_version = nextval('site_status_seq') WHERE id = '" + site + "'";
            variants.put("matrix REST 5000 rebuilt", () -> {
                update(c, bump);
                get(http, bigMatrixUri, viewer);
            });
            variants.put("matrix REST rebuilt", () -> {
                update(c, bumpSite);
                get(http, matrixUri, viewer);
            });
            variants.put("status version UPDATE", () -> update(c, bumpOther));
            variants.put("matrix document 5000", () -> documents.matrix(big));
            variants.put("latest status 5000", () -> queries.latest(big));
            variants.put("matrix SQL", () -> sql(c, matrixSql));
            variants.put("history REST", () -> get(http, historyUri, viewer));
            variants.put("history SQL", () -> sql(c, historySql));
            variants.put("token resolve", () -> tokens.resolve(viewer));
            variants.put("latest status", () -> queries.latest(site));
            Map<String, double[]> t = interleaved(ROUNDS, variants);

            // RestAssured builds a new connection and a Groovy response per call: fewer rounds, shown for comparison
            // with the first figures in BENCHMARKS.md
            double[] matrixAssured = time(50, () -> Api.as(admin).get("/sites/{id}/matrix", site).then().statusCode(200));
            double[] historyAssured = time(50, () -> Api.as(admin).queryParam("requirement", "req.7")
                    .queryParam("vantage", "vantage-2").queryParam("from", from).queryParam("limit", 1000)
                    .get("/sites/{id}/history", site).then().statusCode(200));
            long rows;
            try (ResultSet rs = st.executeQuery("SELECT count(*) FROM result")) {
                rs.next();
                rows = rs.getLong(1);
            }
            System.out.printf("BENCH queries: %d rows in result (loaded %d in %.0f s); load average after the "
                    + "measurements: %s%n", rows, HISTORY_ROWS, load, loadAverage());
            System.out.printf("BENCH matrix: %d cells, %d bytes; REST (java.net.http, keep-alive, stored viewer token "
                            + "limited to the site) %s; with the bootstrap admin token %s; RestAssured (admin) %s; SQL %s%n",
                    cells, matrixBytes, fmt(t.get("matrix REST")), fmt(t.get("matrix REST admin")), fmt(matrixAssured),
                    fmt(t.get("matrix SQL")));
            System.out.printf("BENCH matrix, 5000 cells: %d bytes; REST (viewer) %s; site check and latest status in "
                    + "process %s%n", bigMatrixBytes, fmt(t.get("matrix REST 5000")), fmt(t.get("latest status 5000")));
            System.out.printf("BENCH matrix, 5000 cells, kept document in process (status version read, kept bytes): "
                    + "%s%n", fmt(t.get("matrix document 5000")));
            System.out.printf("BENCH matrix, first read after a new status version (the UPDATE included; alone it "
                            + "took %s): 250 cells %s, 5000 cells %s%n", fmt(t.get("status version UPDATE")),
                    fmt(t.get("matrix REST rebuilt")), fmt(t.get("matrix REST 5000 rebuilt")));
            System.out.printf("BENCH history 24 h: %d bytes; REST (java.net.http, viewer) %s; RestAssured (admin) %s; "
                    + "SQL %s%n", historyBytes, fmt(t.get("history REST")), fmt(historyAssured), fmt(t.get("history SQL")));
            System.out.printf("BENCH in process: token resolve %s; site check and latest status %s%n",
                    fmt(t.get("token resolve")), fmt(t.get("latest status")));
        }
    }

    /** The 1, 5 and 15 minute load averages: the machine is shared, so they belong next to every figure. */
    private static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).split(" ");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (IOException e) {
            return "unknown (" + e.getMessage() + ")";
        }
    }

    private static String fmt(double[] ms) {
        return String.format("median %.2f ms p95 %.2f ms", ms[0], ms[1]);
    }

    private static void update(Connection c, String sql) {
        try (Statement s = c.createStatement()) {
            s.executeUpdate(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void sql(Connection c, String sql) {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) {
                rs.getString(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Median and p95 of each variant, run in turns: 20 warm-up rounds, then {@code n}. */
    private static Map<String, double[]> interleaved(int n, Map<String, Runnable> variants) {
        for (int i = 0; i < 20; i++) {
            variants.values().forEach(Runnable::run);
        }
        Map<String, double[]> ms = new LinkedHashMap<>();
        variants.keySet().forEach(k -> ms.put(k, new double[n]));
        for (int i = 0; i < n; i++) {
            for (Map.Entry<String, Runnable> v : variants.entrySet()) {
                long t = System.nanoTime();
                v.getValue().run();
                ms.get(v.getKey())[i] = (System.nanoTime() - t) / 1e6;
            }
        }
        Map<String, double[]> out = new LinkedHashMap<>();
        ms.forEach((k, a) -> {
            Arrays.sort(a);
            out.put(k, new double[] {a[n / 2], a[(int) (n * 0.95)]});
        });
        return out;
    }

    private static byte[] get(HttpClient http, URI uri, String token) {
        try {
            HttpResponse<byte[]> r = http.send(HttpRequest.newBuilder(uri).header("Authorization", "Bearer " + token)
                    .GET().build(), HttpResponse.BodyHandlers.ofByteArray());
            if (r.statusCode() != 200) {
                throw new IllegalStateException(uri + " answered " + r.statusCode() + ": " + new String(r.body()));
            }
            return r.body();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
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
        for (int i = 0; i < 20; i++) {
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
}
