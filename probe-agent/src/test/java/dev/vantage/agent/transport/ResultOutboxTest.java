package dev.vantage.agent.transport;

import dev.vantage.testing.KafkaBrokerProcess;
import dev.vantage.testing.KafkaClients;
import dev.vantage.trust.Ed25519Keys;
import dev.vantage.trust.ResultSigner;
import dev.vantage.trust.Signatures;
import dev.vantage.wire.Outcome;
import dev.vantage.wire.PortRange;
import dev.vantage.wire.ProbeKind;
import dev.vantage.wire.ProbeResult;
import dev.vantage.wire.SignedResult;
import dev.vantage.wire.Topics;
import dev.vantage.wire.Wire;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyPair;
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
 * stops and starts again on the same port and log directory. Every result leaves signed with the agent's key.
 */
class ResultOutboxTest {
    private static KafkaBrokerProcess broker;
    private final KeyPair agentKey = Ed25519Keys.generate();
    private final ResultSigner signer = new ResultSigner(agentKey.getPrivate(), agentKey.getPublic());

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
        try (ResultOutbox outbox = new ResultOutbox(kafka, spool, signer, Duration.ofMillis(500))) {
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
                new ResultSpool(spoolDir, 100, 1 << 20), signer, Duration.ofSeconds(30))) {
            publish(dead, survey, 5, published);
        }
        ResultSpool spool = new ResultSpool(spoolDir, 100, 1 << 20);
        assertThat(spool.pending()).hasSize(5);
        try (ResultOutbox outbox = new ResultOutbox(AgentKafkaConfig.plaintext(broker.bootstrapServers()), spool,
                signer, Duration.ofMillis(200))) {
            assertThat(outbox.flush(Duration.ofSeconds(30))).isTrue();
        }
        assertThat(consume(survey, 5).keySet()).containsExactlyInAnyOrderElementsOf(published);
    }

    @Test
    void resultsAnAgentOfSchemaVersionOneLeftUnsignedInItsSpoolAreSentSignedAfterTheUpgrade(@TempDir Path spoolDir)
            throws Exception {
        String survey = "survey-" + UUID.randomUUID();
        ResultSpool spool = new ResultSpool(spoolDir, 100, 1 << 20);
        // what the agent before signed results wrote: the same record, schema version 1
        ProbeResult old = result(survey, 0);
        old = new ProbeResult(1, old.resultId(), old.taskId(), old.surveyId(), old.siteId(), old.vantage(), old.agentId(),
                old.agentVersion(), old.requirementId(), old.kind(), old.target(), old.ports(), old.outcome(),
                old.sourceAddress(), old.destinationAddress(), old.addressFamily(), old.protocol(), old.startedAt(),
                old.timingsMicros(), old.summary(), old.evidence());
        byte[] spooled = spool.read(spool.write(old));
        try (ResultOutbox outbox = new ResultOutbox(AgentKafkaConfig.plaintext(broker.bootstrapServers()), spool,
                signer, Duration.ofMillis(200))) {
            assertThat(outbox.flush(Duration.ofSeconds(30))).isTrue();
        }
        List<SignedResult> sent = new ArrayList<>();
        KafkaClients.readUntil(broker.bootstrapServers(), Topics.RESULTS, Duration.ofSeconds(60), rec -> {
            if (survey.equals(rec.key())) {
                sent.add(Wire.decode(rec.value(), SignedResult.class));
            }
        }, () -> !sent.isEmpty());
        assertThat(sent.get(0).result()).as("the spooled bytes, unchanged").isEqualTo(new String(spooled, StandardCharsets.UTF_8));
        assertThat(Wire.decode(sent.get(0).result(), ProbeResult.class).schemaVersion()).isEqualTo(1);
        assertThat(Signatures.verifies(agentKey.getPublic(), sent.get(0).result(), sent.get(0).signature())).isTrue();
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
        assertThat(Wire.encode(signer.sign(new String(stored, StandardCharsets.UTF_8))).length)
                .as("and so is the signed envelope it is sent in").isLessThanOrEqualTo(Wire.MAX_MESSAGE_BYTES);
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

    /** Result ids of the survey as they arrived, each checked to be signed with the agent's key. */
    private Map<String, Integer> consume(String survey, int expectedDistinct) {
        Map<String, Integer> seen = new HashMap<>();
        KafkaClients.readUntil(broker.bootstrapServers(), Topics.RESULTS, Duration.ofSeconds(60), rec -> {
            if (survey.equals(rec.key())) {
                SignedResult signed = Wire.decode(rec.value(), SignedResult.class);
                assertThat(signed.keyId()).isEqualTo(signer.keyId());
                assertThat(Signatures.verifies(agentKey.getPublic(), signed.result(), signed.signature())).isTrue();
                seen.merge(Wire.decode(signed.result(), ProbeResult.class).resultId(), 1, Integer::sum);
            }
        }, () -> seen.size() >= expectedDistinct);
        return seen;
    }
}
