package dev.vantage.agent.runtime;

import dev.vantage.agent.probe.ProbeContext;
import dev.vantage.agent.probe.ProbeRegistry;
import dev.vantage.agent.probe.RespondProbe;
import dev.vantage.agent.probe.StuckProbe;
import dev.vantage.agent.probe.TcpProbe;
import dev.vantage.agent.probe.UdpProbe;
import dev.vantage.agent.scope.ScopePolicy;
import dev.vantage.agent.transport.AgentKafkaConfig;
import dev.vantage.agent.transport.ResultOutbox;
import dev.vantage.agent.transport.ResultSpool;
import dev.vantage.agent.transport.TaskInbox;
import dev.vantage.testing.KafkaClients;
import dev.vantage.testing.TestKafka;
import dev.vantage.trust.Ed25519Keys;
import dev.vantage.trust.ResultSigner;
import dev.vantage.trust.Signatures;
import dev.vantage.trust.TaskSigner;
import dev.vantage.trust.TaskVerifier;
import dev.vantage.wire.Outcome;
import dev.vantage.wire.PortRange;
import dev.vantage.wire.ProbeKind;
import dev.vantage.wire.ProbeResult;
import dev.vantage.wire.ProbeTask;
import dev.vantage.wire.ReceiptEvidence;
import dev.vantage.wire.SignedResult;
import dev.vantage.wire.SignedTask;
import dev.vantage.wire.Topics;
import dev.vantage.wire.Wire;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Hostile tasks fed through the real broker: none of them runs, each is answered with a refusal that
 * says why. And a coordinator's {@code close} ends a survey's responder window, which then publishes its closing
 * report (the close itself gets no answer), and a probe that hangs is reported once, by the watchdog, while the agent
 * goes on. Targets stay on 127.0.0.0/8 even when they are out of scope, so a bug here could never
 * send traffic anywhere else.
 */
class AgentRuntimeTest {
    private final KeyPair coordinator = Ed25519Keys.generate();
    private final KeyPair attacker = Ed25519Keys.generate();
    private final KeyPair agentKey = Ed25519Keys.generate();
    private final ResultSigner resultSigner = new ResultSigner(agentKey.getPrivate(), agentKey.getPublic());
    private final String site = "site-" + UUID.randomUUID();
    private final String agentId = "agent-" + UUID.randomUUID();

    @Test
    void hostileTasksAreRefusedWithTheirReasonAndNeverExecuted(@TempDir Path spool) throws Exception {
        try (ServerSocket listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            runHostileMix(spool, Integer.toString(listener.getLocalPort()));
        }
    }

    private void runHostileMix(Path spool, String port) throws Exception {
        TaskSigner signer = new TaskSigner("k1", coordinator.getPrivate(), Duration.ofMinutes(5), Clock.systemUTC());
        SignedTask good = signer.sign(task("good", "127.0.0.1", port));
        SignedTask replayed = good;
        SignedTask unsigned = new SignedTask(Wire.SCHEMA_VERSION, "k1", signer.sign(task("unsigned", "127.0.0.1", port)).grant(), "");
        SignedTask original = signer.sign(task("tampered", "127.0.0.1", port));
        SignedTask tampered = new SignedTask(Wire.SCHEMA_VERSION, "k1", original.grant().replace("\"127.0.0.1\"", "\"127.0.0.3\""),
                original.signature());
        SignedTask forged = new TaskSigner("k1", attacker.getPrivate(), Duration.ofMinutes(5), Clock.systemUTC())
                .sign(task("forged", "127.0.0.1", port));
        SignedTask expired = new TaskSigner("k1", coordinator.getPrivate(), Duration.ofMinutes(1),
                Clock.fixed(Instant.now().minus(Duration.ofHours(1)), ZoneOffset.UTC)).sign(task("expired", "127.0.0.1", port));
        SignedTask outOfScopeTarget = signer.sign(task("scope-target", "127.0.0.2", port));
        SignedTask outOfScopePort = signer.sign(task("scope-port", "127.0.0.1", "23"));
        SignedTask wholeRange = signer.sign(task("scope-range", "127.0.0.1", "1-65535"));

        try (KafkaProducer<String, byte[]> producer = KafkaClients.producer(TestKafka.bootstrapServers())) {
            for (SignedTask t : List.of(good, replayed, unsigned, tampered, forged, expired, outOfScopeTarget,
                    outOfScopePort, wholeRange)) {
                producer.send(new ProducerRecord<>(Topics.tasks(site), agentId, Wire.encode(t))).get();
            }
            producer.send(new ProducerRecord<>(Topics.tasks(site), agentId,
                    "{\"not\":\"a task\"".getBytes(StandardCharsets.UTF_8))).get();
        }

        AgentKafkaConfig kafka = AgentKafkaConfig.plaintext(TestKafka.bootstrapServers());
        ScopePolicy scope = new ScopePolicy(List.of("127.0.0.1/32"), List.of(), List.of(PortRange.parse(port), PortRange.of(22)));
        TaskVerifier verifier = new TaskVerifier(Map.of("k1", coordinator.getPublic()), Duration.ofMinutes(15),
                Duration.ofSeconds(30), Clock.systemUTC(), 10_000);
        ProbeContext context = new ProbeContext(agentId, "test", Clock.systemUTC());
        AgentRuntime runtime;
        try (TaskInbox inbox = new TaskInbox(kafka, site, agentId);
             ResultOutbox outbox = new ResultOutbox(kafka, new ResultSpool(spool, 1000, 1 << 24), resultSigner,
                     Duration.ofMillis(200))) {
            runtime = new AgentRuntime(inbox, verifier, scope, new ProbeRegistry(List.of(new TcpProbe())), outbox, context, 4, 100,
                    100, Duration.ofSeconds(5));
            int[] read = {0};
            await().atMost(Duration.ofSeconds(30)).until(() -> (read[0] += runtime.pollOnce(Duration.ofMillis(200))) >= 10);
            // tasks run beside the poll: wait for the good one's result to be in the outbox
            await().atMost(Duration.ofSeconds(30)).until(() -> runtime.executed() == 1);
            assertThat(outbox.flush(Duration.ofSeconds(30))).isTrue();
            runtime.close();
        }

        Map<String, ProbeResult> byTask = results(9);
        assertThat(runtime.executed()).as("only the one good task ran").isEqualTo(1);
        assertThat(runtime.refused()).isEqualTo(9);
        assertThat(byTask.get("good").outcome()).as("the good task really probed the listener").isEqualTo(Outcome.OPEN);
        assertThat(refusal(byTask, "unsigned")).contains("unsigned");
        assertThat(refusal(byTask, "tampered")).contains("bad signature");
        assertThat(refusal(byTask, "forged")).contains("bad signature");
        assertThat(refusal(byTask, "expired")).contains("expired at");
        assertThat(refusal(byTask, "scope-target")).contains("target '127.0.0.2' is outside this agent's scope");
        assertThat(refusal(byTask, "scope-port")).contains("port 23 is not a catalog port");
        assertThat(refusal(byTask, "scope-range")).contains("port 1-65535 is not a catalog port");
        assertThat(byTask.values()).filteredOn(r -> r.taskId().startsWith("unreadable-")).singleElement()
                .satisfies(r -> assertThat(r.summary()).contains("malformed task message"));
        assertThat(byTask).as("the copy of the good task is not answered: the good task's result answers it")
                .doesNotContainKey("replay-of-good");
    }

    @Test
    void aCloseTaskEndsTheResponderWindowsOfItsSurveyWhichThenPublishTheirClosingReport(@TempDir Path spool)
            throws Exception {
        int port;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort();
        }
        String survey = "survey-" + site;
        TaskSigner signer = new TaskSigner("k1", coordinator.getPrivate(), Duration.ofMinutes(5), Clock.systemUTC());
        ProbeTask respond = new ProbeTask(Wire.SCHEMA_VERSION, "respond", survey, site, "acd-stack", agentId,
                "inbound.https", ProbeKind.RESPOND, "127.0.0.1", PortRange.of(port),
                Map.of("serve", "accept", "transport", "tcp", "duration", "PT10M"), Duration.ofMinutes(1));
        ProbeTask close = new ProbeTask(Wire.SCHEMA_VERSION, "close", survey, site, "acd-stack", agentId, null,
                ProbeKind.CLOSE, null, null, Map.of(), null);
        ProbeTask after = task("after", "127.0.0.1", Integer.toString(port));

        AgentKafkaConfig kafka = AgentKafkaConfig.plaintext(TestKafka.bootstrapServers());
        ScopePolicy scope = new ScopePolicy(List.of("127.0.0.1/32"), List.of(), List.of(PortRange.of(port)));
        TaskVerifier verifier = new TaskVerifier(Map.of("k1", coordinator.getPublic()), Duration.ofMinutes(15),
                Duration.ofSeconds(30), Clock.systemUTC(), 10_000);
        ProbeContext context = new ProbeContext(agentId, "test", Clock.systemUTC());
        try (KafkaProducer<String, byte[]> producer = KafkaClients.producer(TestKafka.bootstrapServers());
             TaskInbox inbox = new TaskInbox(kafka, site, agentId);
             ResultOutbox outbox = new ResultOutbox(kafka, new ResultSpool(spool, 1000, 1 << 24), resultSigner,
                     Duration.ofMillis(200));
             AgentRuntime runtime = new AgentRuntime(inbox, verifier, scope,
                     new ProbeRegistry(List.of(new TcpProbe(), new RespondProbe())), outbox, context, 4, 100, 100,
                     Duration.ofSeconds(5))) {
            producer.send(new ProducerRecord<>(Topics.tasks(site), agentId, Wire.encode(signer.sign(respond)))).get();
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                runtime.pollOnce(Duration.ofMillis(200));
                return accepts(port);
            });
            producer.send(new ProducerRecord<>(Topics.tasks(site), agentId, Wire.encode(signer.sign(close)))).get();
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                runtime.pollOnce(Duration.ofMillis(200));
                return !accepts(port);
            });
            // a probe after the close: its result comes after anything the close could have published
            producer.send(new ProducerRecord<>(Topics.tasks(site), agentId, Wire.encode(signer.sign(after)))).get();
            // the window's closing report and the probe after it, both in the outbox
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                runtime.pollOnce(Duration.ofMillis(200));
                return runtime.executed() == 2;
            });
            assertThat(outbox.flush(Duration.ofSeconds(30))).isTrue();
            assertThat(runtime.refused()).isZero();
        }
        List<ProbeResult> published = resultsInOrder(3);
        assertThat(published).extracting(ProbeResult::taskId).as("nothing answers the close itself")
                .containsExactlyInAnyOrder("respond", "respond", "after");
        List<ProbeResult> reports = published.stream().filter(r -> r.taskId().equals("respond")).toList();
        assertThat(reports).allSatisfy(r -> assertThat(r.outcome()).isEqualTo(Outcome.LISTENED));
        assertThat(reports.get(0).evidence()).as("reported when it opened, without receipts").isNull();
        assertThat(reports.get(1).evidence()).as("the closing report").isInstanceOfSatisfying(ReceiptEvidence.class,
                receipts -> assertThat(receipts.of(ReceiptEvidence.Kind.TCP_ACCEPT)).singleElement().satisfies(r -> {
                    assertThat(r.source()).isEqualTo("127.0.0.1");
                    assertThat(r.ports()).containsExactly(PortRange.of(port));
                }));
        assertThat(published.stream().filter(r -> r.taskId().equals("after")).findFirst().orElseThrow().outcome())
                .as("the window freed the port").isEqualTo(Outcome.CLOSED);
    }

    @Test
    void aProbeThatOverrunsIsReportedOnceAsAnErrorNamingItsPhaseAndTheAgentServesOn(@TempDir Path spool)
            throws Exception {
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
             java.net.DatagramSocket closedUdp = new java.net.DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            int port = silent.getLocalPort();
            int udpPort = closedUdp.getLocalPort();
            closedUdp.close();
            StuckProbe stuck = new StuckProbe(ProbeKind.TCP, (java.net.InetSocketAddress) silent.getLocalSocketAddress());
            TaskSigner signer = new TaskSigner("k1", coordinator.getPrivate(), Duration.ofMinutes(5), Clock.systemUTC());
            ProbeTask hung = task("hung", "127.0.0.1", Integer.toString(port));
            ProbeTask next = new ProbeTask(Wire.SCHEMA_VERSION, "next", "survey-" + site, site, "end-users", agentId,
                    "inbound.sip-udp", ProbeKind.UDP, "127.0.0.1", PortRange.of(udpPort), Map.of(), Duration.ofMillis(300));
            ProbeTask after = new ProbeTask(Wire.SCHEMA_VERSION, "after", "survey-" + site, site, "end-users", agentId,
                    "inbound.sip-udp", ProbeKind.UDP, "127.0.0.1", PortRange.of(udpPort), Map.of(), Duration.ofMillis(300));

            AgentKafkaConfig kafka = AgentKafkaConfig.plaintext(TestKafka.bootstrapServers());
            ScopePolicy scope = new ScopePolicy(List.of("127.0.0.1/32"), List.of(),
                    List.of(PortRange.of(port), PortRange.of(udpPort)));
            TaskVerifier verifier = new TaskVerifier(Map.of("k1", coordinator.getPublic()), Duration.ofMinutes(15),
                    Duration.ofSeconds(30), Clock.systemUTC(), 10_000);
            ProbeContext context = new ProbeContext(agentId, "test", Clock.systemUTC());
            try (KafkaProducer<String, byte[]> producer = KafkaClients.producer(TestKafka.bootstrapServers());
                 TaskInbox inbox = new TaskInbox(kafka, site, agentId);
                 ResultOutbox outbox = new ResultOutbox(kafka, new ResultSpool(spool, 1000, 1 << 24), resultSigner,
                         Duration.ofMillis(200));
                 // one worker: the task after the hung one runs only if the watchdog frees it
                 AgentRuntime runtime = new AgentRuntime(inbox, verifier, scope,
                         new ProbeRegistry(List.of(stuck, new UdpProbe())), outbox, context, 1, 100, 100,
                         Duration.ofSeconds(5))) {
                for (ProbeTask t : List.of(hung, next)) {
                    producer.send(new ProducerRecord<>(Topics.tasks(site), agentId, Wire.encode(signer.sign(t)))).get();
                }
                int[] read = {0};
                await().atMost(Duration.ofSeconds(60)).until(() -> (read[0] += runtime.pollOnce(Duration.ofMillis(200))) >= 2);
                assertThat(stuck.returned.await(30, java.util.concurrent.TimeUnit.SECONDS))
                        .as("the watchdog closed the hung probe's socket").isTrue();
                // anything the hung probe's late return could have published comes before this task's result
                producer.send(new ProducerRecord<>(Topics.tasks(site), agentId, Wire.encode(signer.sign(after)))).get();
                // the hung task (reported by the watchdog), the next and the one after, all in the outbox
                await().atMost(Duration.ofSeconds(30)).until(() -> {
                    runtime.pollOnce(Duration.ofMillis(200));
                    return runtime.executed() == 3;
                });
                assertThat(outbox.flush(Duration.ofSeconds(30))).isTrue();
            }
        }
        List<ProbeResult> results = new java.util.ArrayList<>();
        KafkaClients.readUntil(TestKafka.bootstrapServers(), Topics.RESULTS, Duration.ofSeconds(30), rec -> {
            ProbeResult r = Wire.decode(Wire.decode(rec.value(), SignedResult.class).result(), ProbeResult.class);
            if (agentId.equals(r.agentId())) {
                results.add(r);
            }
        }, () -> results.stream().anyMatch(r -> r.taskId().equals("after")));
        assertThat(results).filteredOn(r -> r.taskId().equals("hung")).singleElement().satisfies(r -> {
            assertThat(r.outcome()).isEqualTo(Outcome.ERROR);
            assertThat(r.summary()).contains("tcp probe").contains("overran its deadline").contains("phase 'request'");
        });
        assertThat(results).filteredOn(r -> r.taskId().equals("next")).singleElement()
                .satisfies(r -> assertThat(r.outcome()).isEqualTo(Outcome.CLOSED));
    }

    private static boolean accepts(int port) {
        try (java.net.Socket s = new java.net.Socket()) {
            s.connect(new java.net.InetSocketAddress(InetAddress.getLoopbackAddress(), port), 500);
            return true;
        } catch (java.io.IOException e) {
            return false;
        }
    }

    private static String refusal(Map<String, ProbeResult> byTask, String taskId) {
        ProbeResult r = byTask.get(taskId);
        assertThat(r).as("a result for task " + taskId).isNotNull();
        assertThat(r.outcome()).isEqualTo(Outcome.TASK_REFUSED);
        return r.summary();
    }

    private ProbeTask task(String id, String target, String ports) {
        return new ProbeTask(Wire.SCHEMA_VERSION, id, "survey-" + site, site, "end-users", agentId, "inbound.https",
                ProbeKind.TCP, target, PortRange.parse(ports), Map.of(), Duration.ofMillis(300));
    }

    /** Results of this agent in the order they were published, each checked to be signed with the agent's key. */
    private List<ProbeResult> resultsInOrder(int expected) {
        List<ProbeResult> out = new java.util.ArrayList<>();
        KafkaClients.readUntil(TestKafka.bootstrapServers(), Topics.RESULTS, Duration.ofSeconds(30), rec -> {
            ProbeResult r = signedByTheAgent(rec.value());
            if (r != null) {
                out.add(r);
            }
        }, () -> out.size() >= expected);
        return out;
    }

    /**
     * Results of this agent keyed by task id, each checked to be signed with the agent's key; the refusal of the
     * replay is keyed {@code replay-of-<task id>}.
     */
    private Map<String, ProbeResult> results(int expected) {
        Map<String, ProbeResult> out = new HashMap<>();
        KafkaClients.readUntil(TestKafka.bootstrapServers(), Topics.RESULTS, Duration.ofSeconds(30), rec -> {
            ProbeResult r = signedByTheAgent(rec.value());
            if (r != null) {
                out.put(r.summary().startsWith("refused: replayed") ? "replay-of-" + r.taskId() : r.taskId(), r);
            }
        }, () -> out.size() >= expected && out.containsKey("good")); // the good task's result comes after the refusals
        return out;
    }

    /** The result in the envelope when this agent published it (checked to be signed with its key), else null. */
    private ProbeResult signedByTheAgent(byte[] record) {
        SignedResult signed = Wire.decode(record, SignedResult.class);
        ProbeResult r = Wire.decode(signed.result(), ProbeResult.class);
        if (!agentId.equals(r.agentId())) {
            return null;
        }
        assertThat(signed.keyId()).isEqualTo(resultSigner.keyId());
        assertThat(Signatures.verifies(agentKey.getPublic(), signed.result(), signed.signature()))
                .as("result %s signed by the agent's key", r.resultId()).isTrue();
        return r;
    }
}
