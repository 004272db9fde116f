package dev.vantage.agent.transport;

import dev.vantage.testing.KafkaBrokerProcess;
import dev.vantage.testing.KafkaClients;
import dev.vantage.wire.Outcome;
import dev.vantage.wire.PortRange;
import dev.vantage.wire.ProbeKind;
import dev.vantage.wire.ProbeResult;
import dev.vantage.wire.Topics;
import dev.vantage.wire.Wire;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * No result is lost when the broker goes away: against a real Kafka broker process that the test
 * stops and starts again on the same port and log directory.
 */
class ResultOutboxTest {
    private static KafkaBrokerProcess broker;

    @BeforeAll
    static void startBroker() throws Exception {
        broker = KafkaBrokerProcess.start();
    }

    @AfterAll
    static void stopBroker() throws Exception {
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void resultsProducedWhileTheBrokerIsDownArriveAfterItRestarts(@TempDir Path spoolDir) throws Exception {
        String survey = "survey-" + UUID.randomUUID();
        AgentKafkaConfig kafka = AgentKafkaConfig.plaintext(broker.bootstrapServers());
        List<String> published = new ArrayList<>();
        ResultSpool spool = new ResultSpool(spoolDir, 10_000, 64L * 1024 * 1024);
        try (ResultOutbox outbox = new ResultOutbox(kafka, spool, Duration.ofMillis(500))) {
            publish(outbox, survey, 20, published);
            assertThat(outbox.flush(Duration.ofSeconds(30))).as("first batch acknowledged").isTrue();

            broker.stop();
            publish(outbox, survey, 30, published);
            assertThat(outbox.pending()).as("results kept on disk while the broker is down").isEqualTo(30);

            broker.startAgain();
            assertThat(outbox.flush(Duration.ofSeconds(90))).as("spool drained after the restart").isTrue();
        }

        Map<String, Integer> seen = consume(survey, published.size());
        assertThat(seen.keySet()).containsExactlyInAnyOrderElementsOf(published);
        assertThat(spool.evicted()).isZero();
    }

    @Test
    void aNewAgentProcessSendsWhatAnEarlierOneLeftSpooled(@TempDir Path spoolDir) throws Exception {
        String survey = "survey-" + UUID.randomUUID();
        List<String> published = new ArrayList<>();
        // an outbox whose broker never answers: everything stays on disk, as after a crash
        try (ResultOutbox dead = new ResultOutbox(AgentKafkaConfig.plaintext("127.0.0.1:1"),
                new ResultSpool(spoolDir, 100, 1 << 20), Duration.ofSeconds(30))) {
            publish(dead, survey, 5, published);
        }
        ResultSpool spool = new ResultSpool(spoolDir, 100, 1 << 20);
        assertThat(spool.pending()).hasSize(5);
        try (ResultOutbox outbox = new ResultOutbox(AgentKafkaConfig.plaintext(broker.bootstrapServers()), spool,
                Duration.ofMillis(200))) {
            assertThat(outbox.flush(Duration.ofSeconds(30))).isTrue();
        }
        assertThat(consume(survey, 5).keySet()).containsExactlyInAnyOrderElementsOf(published);
    }

    @Test
    void aFullSpoolEvictsTheOldestAndCountsIt(@TempDir Path spoolDir) {
        ResultSpool spool = new ResultSpool(spoolDir, 3, 1 << 20);
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            ProbeResult r = result("s", i);
            ids.add(r.resultId());
            spool.write(r);
        }
        assertThat(spool.evicted()).isEqualTo(2);
        assertThat(spool.pending()).extracting(p -> Wire.decode(spool.read(p), ProbeResult.class).resultId())
                .containsExactlyElementsOf(ids.subList(2, 5));
    }

    @Test
    void anOversizedResultIsKeptWithoutItsEvidence(@TempDir Path spoolDir) {
        ProbeResult base = result("s", 1);
        ProbeResult huge = new ProbeResult(base.schemaVersion(), base.resultId(), base.taskId(), base.surveyId(),
                base.siteId(), base.vantage(), base.agentId(), base.agentVersion(), base.requirementId(), base.kind(),
                base.target(), base.ports(), base.outcome(), base.sourceAddress(), base.destinationAddress(),
                base.addressFamily(), base.protocol(), base.startedAt(), base.timingsMicros(), "x".repeat(Wire.MAX_MESSAGE_BYTES),
                null);
        ResultSpool spool = new ResultSpool(spoolDir, 10, 1 << 24);
        Path file = spool.write(huge);
        byte[] stored = spool.read(file);
        assertThat(stored.length).isLessThanOrEqualTo(Wire.MAX_MESSAGE_BYTES);
        ProbeResult back = Wire.decode(stored, ProbeResult.class);
        assertThat(back.resultId()).isEqualTo(huge.resultId());
        assertThat(back.outcome()).isEqualTo(Outcome.OPEN);
        assertThat(back.summary()).contains("evidence dropped: over the " + Wire.MAX_MESSAGE_BYTES + "-byte message limit");
    }

    private static void publish(ResultOutbox outbox, String survey, int n, List<String> published) {
        for (int i = 0; i < n; i++) {
            ProbeResult r = result(survey, published.size());
            outbox.publish(r);
            published.add(r.resultId());
        }
    }

    private static ProbeResult result(String survey, int i) {
        return new ProbeResult(Wire.SCHEMA_VERSION, UUID.randomUUID().toString(), "task-" + i, survey, "acme",
                "end-users", "agent-a", "test", "inbound.https", ProbeKind.TCP, "192.0.2.10", PortRange.of(443),
                Outcome.OPEN, "127.0.0.1:40000", "192.0.2.10:443", "ipv4", "tcp", Instant.now(), Map.of("connect", 120L),
                "open", null);
    }

    private static Map<String, Integer> consume(String survey, int expectedDistinct) {
        Map<String, Integer> seen = new HashMap<>();
        KafkaClients.readUntil(broker.bootstrapServers(), Topics.RESULTS, Duration.ofSeconds(60), rec -> {
            if (survey.equals(rec.key())) {
                seen.merge(Wire.decode(rec.value(), ProbeResult.class).resultId(), 1, Integer::sum);
            }
        }, () -> seen.size() >= expectedDistinct);
        return seen;
    }
}
