package dev.vantage.coordinator;

import dev.vantage.params.ParamNames;
import dev.vantage.testing.KafkaClients;
import dev.vantage.testing.TestKafka;
import dev.vantage.trust.Ed25519Keys;
import dev.vantage.trust.ResultSigner;
import dev.vantage.trust.TaskVerifier;
import dev.vantage.wire.Heartbeat;
import dev.vantage.wire.Outcome;
import dev.vantage.wire.ProbeKind;
import dev.vantage.wire.ProbeResult;
import dev.vantage.wire.ProbeTask;
import dev.vantage.wire.ReceiptEvidence;
import dev.vantage.wire.SignedResult;
import dev.vantage.wire.SignedTask;
import dev.vantage.wire.Topics;
import dev.vantage.wire.Wire;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

import java.security.KeyPair;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiPredicate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Plays every agent of a site in tests: reads the signed tasks from the site's task topic, verifies each
 * with the coordinator's public key (as a real agent does), and answers with results over Kafka, each signed with
 * the key of the agent it names. Like a real agent on its first start, each agent announces its key with a heartbeat
 * before it answers, and waits until the coordinator has bound the key (its site file lists it).
 */
public final class TestAgent implements AutoCloseable {
    /** Public key of the test profile's signing key (application.properties). */
    public static final String PUBLIC_KEY = "MCowBQYDK2VwAyEADI5nx+Jr4PvRLhImZc3Eq0RsVSZDzCYxcJBf1QKn/TE=";
    public static final String KEY_ID = "test-key-1";

    /** A task as received: the record key and the verified task. */
    public record Received(String key, ProbeTask task) {
    }

    /** Each agent's own key pair, made once per test JVM: an agent keeps its key, whichever test plays it. */
    private static final Map<String, KeyPair> KEYS = new ConcurrentHashMap<>();

    private final KafkaConsumer<String, byte[]> consumer;
    private final KafkaProducer<String, byte[]> producer;
    private final TaskVerifier verifier = new TaskVerifier(Map.of(KEY_ID, Ed25519Keys.publicKey(PUBLIC_KEY)),
            Duration.ofMinutes(15), Duration.ofSeconds(30), Clock.systemUTC(), 100_000);
    private final BiPredicate<String, String> keyBound;
    private final Set<String> enrolled = ConcurrentHashMap.newKeySet();

    /** An agent of the site, telling over the API (as admin) whether the coordinator has bound an agent's key. */
    public TestAgent(String siteId) {
        this(siteId, TestAgent::boundOverApi);
    }

    /** @param keyBound whether the coordinator has bound this key id to this agent id */
    public TestAgent(String siteId, BiPredicate<String, String> keyBound) {
        this.keyBound = keyBound;
        consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, TestKafka.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "test-agent-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class));
        consumer.subscribe(List.of(Topics.tasks(siteId)));
        producer = producer();
    }

    public static KafkaProducer<String, byte[]> producer() {
        return KafkaClients.producer(TestKafka.bootstrapServers());
    }

    /** Reads tasks until {@code count} verified ones of this survey arrived; fails on any that does not verify. */
    public List<Received> receive(String surveyId, int count) {
        List<Received> out = new ArrayList<>();
        await().atMost(Duration.ofSeconds(60)).until(() -> {
            for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(300))) {
                SignedTask signed = Wire.decode(r.value(), SignedTask.class);
                TaskVerifier.Verification v = verifier.verify(signed);
                assertThat(v.refusal()).as("verification of a dispatched task").isNull();
                if (surveyId.equals(v.task().surveyId())) {
                    out.add(new Received(r.key(), v.task()));
                }
            }
            return out.size() >= count;
        });
        return out;
    }

    /** Enrols the agents these tasks are for (see {@link #enrol}), e.g. before results are sent some other way. */
    public void enrolAgentsOf(List<Received> tasks) {
        tasks.forEach(r -> enrol(r.task().agentId(), r.task().siteId(), r.task().vantage()));
    }

    /** The agent's own key pair, the same for every test of this JVM. */
    public static KeyPair keyOf(String agentId) {
        return KEYS.computeIfAbsent(agentId, id -> Ed25519Keys.generate());
    }

    /**
     * Announces the agent's key with a heartbeat claiming {@code role} (one its site file gives it), as the agent's
     * first start does, and waits until the coordinator has bound the key; once per agent and test agent.
     */
    public void enrol(String agentId, String siteId, String role) {
        if (enrolled.contains(agentId)) {
            return;
        }
        KeyPair key = keyOf(agentId);
        String keyId = Ed25519Keys.fingerprint(key.getPublic());
        heartbeat(agentId, siteId, List.of(role), key);
        await().atMost(Duration.ofSeconds(60)).until(() -> keyBound.test(agentId, keyId));
        enrolled.add(agentId);
    }

    /** A heartbeat of the agent announcing the public half of {@code key}. */
    public static void heartbeat(String agentId, String siteId, List<String> roles, KeyPair key) {
        heartbeat(agentId, siteId, roles, key, null);
    }

    /** As {@link #heartbeat(String, String, List, KeyPair)}, saying when the agent's process started. */
    public static void heartbeat(String agentId, String siteId, List<String> roles, KeyPair key, Instant startedAt) {
        try {
            KafkaClients.send(TestKafka.bootstrapServers(), Topics.HEARTBEATS, agentId, Wire.encode(new Heartbeat(
                    Wire.SCHEMA_VERSION, agentId, siteId, roles, "0.1.0-test", List.of("tcp"), Instant.now(),
                    Ed25519Keys.encode(key.getPublic()), Ed25519Keys.fingerprint(key.getPublic()), startedAt)));
        } catch (Exception e) {
            throw new IllegalStateException("sending a test heartbeat failed", e);
        }
    }

    private static boolean boundOverApi(String agentId, String keyId) {
        io.restassured.response.Response r = Api.admin().get("/agents/{id}", agentId);
        return r.statusCode() == 200 && keyId.equals(r.path("key.keyId"));
    }

    /** The result as its agent sends it: in a {@link SignedResult} signed with the agent's own key. */
    public static byte[] signed(ProbeResult result) {
        return signedBy(result, keyOf(result.agentId()));
    }

    /** The result in an envelope signed with {@code key}, whoever's it is. */
    public static byte[] signedBy(ProbeResult result, KeyPair key) {
        return Wire.encode(new ResultSigner(key.getPrivate(), key.getPublic()).sign(Wire.encodeToString(result)));
    }

    /** Reads whatever tasks of this survey arrive within the given time (verified like the others). */
    public List<Received> receiveFor(String surveyId, Duration time) {
        List<Received> out = new ArrayList<>();
        long end = System.nanoTime() + time.toNanos();
        while (System.nanoTime() < end) {
            for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(300))) {
                TaskVerifier.Verification v = verifier.verify(Wire.decode(r.value(), SignedTask.class));
                if (v.task() != null && surveyId.equals(v.task().surveyId())) {
                    out.add(new Received(r.key(), v.task()));
                }
            }
        }
        return out;
    }

    /** The result a healthy network gives for the task. */
    public static ProbeResult healthyResult(ProbeTask t) {
        return result(t, healthyOutcome(t), t.agentId());
    }

    /**
     * The report a responder window sends when it closes: {@code LISTENED} with its receipts (here: it held its
     * ports, nothing is said about what reached it), started when the window opened.
     */
    public static ProbeResult closingReport(ProbeTask t) {
        ProbeResult r = result(t, Outcome.LISTENED, t.agentId());
        return new ProbeResult(r.schemaVersion(), r.resultId(), r.taskId(), r.surveyId(), r.siteId(), r.vantage(),
                r.agentId(), r.agentVersion(), r.requirementId(), r.kind(), r.target(), r.ports(), r.outcome(),
                r.sourceAddress(), r.destinationAddress(), r.addressFamily(), r.protocol(), r.startedAt(),
                r.timingsMicros(), "responder closed", new ReceiptEvidence(List.of(t.ports()), List.of(), List.of(),
                false, null));
    }

    /** Sends the closing report of every responder window among the tasks, as agents do when their windows end. */
    public void sendClosingReports(List<Received> tasks) {
        tasks.stream().filter(r -> r.task().kind() == ProbeKind.RESPOND).forEach(r -> send(closingReport(r.task())));
    }

    /** How many of the tasks are responder windows: each has a closing report besides its answer. */
    public static long windows(List<Received> tasks) {
        return tasks.stream().filter(r -> r.task().kind() == ProbeKind.RESPOND).count();
    }

    public static ProbeResult result(ProbeTask t, Outcome outcome, String agentId) {
        return new ProbeResult(Wire.SCHEMA_VERSION, UUID.randomUUID().toString(), t.taskId(), t.surveyId(), t.siteId(),
                t.vantage(), agentId, "0.1.0-test", t.requirementId(), t.kind(), t.target(), t.ports(), outcome,
                "10.0.0.1:40000", t.target(), "ipv4", "tcp", Instant.now(), Map.of("total", 1200L),
                t.kind().wireName() + " " + t.target() + " " + outcome, null);
    }

    static Outcome healthyOutcome(ProbeTask t) {
        if ("blocked".equals(t.param(ParamNames.EXPECT_STATE, ""))) {
            return Outcome.FILTERED;
        }
        return switch (t.kind()) {
            case DNS -> Outcome.RESOLVED;
            case TLS -> Outcome.TRUSTED;
            case HTTP, SSH, SIP -> Outcome.RESPONDED;
            case RTP -> Outcome.PASSED;
            case NAT -> Outcome.NAT;
            case RESPOND -> Outcome.LISTENED;
            default -> Outcome.OPEN;
        };
    }

    /** Sends the result signed by the agent it names, enrolling that agent first if it is not yet. */
    public void send(ProbeResult result) {
        enrol(result.agentId(), result.siteId(), result.vantage());
        send(result.surveyId(), signed(result));
    }

    /** Sends the result signed with {@code key}, enrolling nobody: a forgery, or an agent with a key not yet bound. */
    public void sendSignedBy(ProbeResult result, KeyPair key) {
        send(result.surveyId(), signedBy(result, key));
    }

    public void send(String key, byte[] value) {
        try {
            producer.send(new ProducerRecord<>(Topics.RESULTS, key, value)).get();
        } catch (Exception e) {
            throw new IllegalStateException("sending a test result failed", e);
        }
    }

    @Override
    public void close() {
        consumer.close();
        producer.close();
    }
}
