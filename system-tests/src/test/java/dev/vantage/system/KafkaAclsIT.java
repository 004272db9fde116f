package dev.vantage.system;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.ClusterAuthorizationException;
import org.apache.kafka.common.errors.GroupAuthorizationException;
import org.apache.kafka.common.errors.SslAuthenticationException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Kafka as production runs it, started by the scripts: {@code deploy/local/kafka start --tls} (TLS with client
 * certificates of the local CA, StandardAuthorizer) and {@code deploy/local/kafka-acls} for the coordinator and for
 * one agent at each of two sites. Real Kafka clients with the certificates the scripts issued show what each principal
 * may do: an agent reads its own site's tasks under its own group and writes results and heartbeats, and nothing else.
 *
 * <p>Own port (19692, controller 19693) and state directory; no root. Skipped, with the reason printed, without openssl
 * or keytool.
 */
@Order(0) // before the lab classes: their shared system runs until the end of the run
class KafkaAclsIT {
    private static final Path STATE = Path.of("target/kafka-acls").toAbsolutePath();
    private static final Path LOGS = Path.of("target/kafka-acls-logs").toAbsolutePath();
    private static final int KAFKA_PORT = 19692;
    private static final String SITE_A_TASKS = "vantage.tasks.site-a";
    private static final String SITE_B_TASKS = "vantage.tasks.site-b";

    private static Scripts scripts;
    private static String bootstrap;
    private static Path tls;

    @BeforeAll
    static void startKafkaWithTheAclsOfTwoSites() throws Exception {
        String missing = Scripts.missingCommand(List.of("openssl", "keytool"));
        if (missing != null) {
            System.out.println("SKIP KafkaAclsIT: " + missing + " is not installed (the scripts make the certificates with it)");
        }
        assumeTrue(missing == null, missing + " is not installed");
        scripts = new Scripts(LOGS, Map.of("VANTAGE_LOCAL_STATE", STATE.toString()));
        // a fresh CA and broker every run (an earlier run's broker may still run after a crash of the test JVM)
        scripts.run("kafka-stop-earlier", "deploy/local/kafka", "stop", "--state", STATE.toString());
        deleteTree(STATE);
        scripts.run("kafka-start", "deploy/local/kafka", "start", "--tls", "--state", STATE.toString(), "--port",
                String.valueOf(KAFKA_PORT));
        scripts.run("acls-coordinator", "deploy/local/kafka-acls", "coordinator", "--state", STATE.toString());
        scripts.run("acls-a1", "deploy/local/kafka-acls", "agent", "--id", "a1", "--site-id", "site-a", "--state", STATE.toString());
        scripts.run("acls-b1", "deploy/local/kafka-acls", "agent", "--id", "b1", "--site-id", "site-b", "--state", STATE.toString());
        Map<String, String> env = Scripts.readEnv(STATE.resolve("kafka.env"));
        bootstrap = env.get("VANTAGE_KAFKA_BOOTSTRAP");
        tls = Path.of(env.get("VANTAGE_KAFKA_TLS"));

        // the coordinator dispatches a task to each site (kafka-acls agent created their topics)
        try (KafkaProducer<String, String> coordinator = producer("vantage-coordinator")) {
            coordinator.send(new ProducerRecord<>(SITE_A_TASKS, "a1", "task for a1")).get(60, TimeUnit.SECONDS);
            coordinator.send(new ProducerRecord<>(SITE_B_TASKS, "b1", "task for b1")).get(60, TimeUnit.SECONDS);
        }
    }

    @AfterAll
    static void stopKafka() throws Exception {
        if (scripts != null) {
            scripts.run("kafka-stop", "deploy/local/kafka", "stop", "--state", STATE.toString());
        }
    }

    @Test
    void anAgentReadsItsOwnSitesTasksUnderItsOwnGroup() {
        try (KafkaConsumer<String, String> a1 = consumer("agent-a1", "vantage-agent-a1")) {
            a1.subscribe(List.of(SITE_A_TASKS));
            ConsumerRecord<String, String> task = firstRecord(a1);
            assertThat(task.key()).isEqualTo("a1");
            assertThat(task.value()).isEqualTo("task for a1");
            a1.commitSync();
        }
    }

    @Test
    void anAgentCannotReadAnotherSitesTasks() {
        try (KafkaConsumer<String, String> a1 = consumer("agent-a1", "vantage-agent-a1")) {
            a1.subscribe(List.of(SITE_B_TASKS));
            assertThatThrownBy(() -> firstRecord(a1)).isInstanceOf(TopicAuthorizationException.class)
                    .hasMessageContaining(SITE_B_TASKS);
        }
    }

    @Test
    void anAgentCannotReadItsSitesTasksUnderAnotherAgentsGroup() {
        try (KafkaConsumer<String, String> a1 = consumer("agent-a1", "vantage-agent-b1")) {
            a1.subscribe(List.of(SITE_A_TASKS));
            assertThatThrownBy(() -> firstRecord(a1)).isInstanceOf(GroupAuthorizationException.class)
                    .hasMessageContaining("vantage-agent-b1");
        }
    }

    @Test
    void anAgentCannotWriteTasks() {
        try (KafkaProducer<String, String> a1 = producer("agent-a1")) {
            for (String topic : List.of(SITE_A_TASKS, SITE_B_TASKS)) {
                assertThatThrownBy(() -> a1.send(new ProducerRecord<>(topic, "b1", "forged task")).get(60, TimeUnit.SECONDS))
                        .as("writing to %s", topic).hasCauseInstanceOf(TopicAuthorizationException.class);
            }
        }
    }

    @Test
    void anAgentCannotConsumeResults() {
        for (String group : List.of("vantage-agent-a1", "vantage-coordinator")) {
            try (KafkaConsumer<String, String> a1 = consumer("agent-a1", group)) {
                a1.subscribe(List.of("vantage.results"));
                assertThatThrownBy(() -> firstRecord(a1)).as("reading vantage.results under the group %s", group)
                        .isInstanceOfAny(TopicAuthorizationException.class, GroupAuthorizationException.class);
            }
        }
    }

    @Test
    void anAgentCannotCreateTopics() {
        try (Admin a1 = Admin.create(client("agent-a1"))) {
            assertThatThrownBy(() -> a1.createTopics(List.of(new NewTopic("vantage.tasks.site-x", 1, (short) 1))).all()
                    .get(60, TimeUnit.SECONDS)).hasCauseInstanceOf(TopicAuthorizationException.class);
        }
    }

    @Test
    void theCoordinatorCreatesTaskTopicsAndNoOthers() throws Exception {
        try (Admin coordinator = Admin.create(client("vantage-coordinator"))) {
            coordinator.createTopics(List.of(new NewTopic("vantage.tasks.site-c", 1, (short) 1))).all().get(60, TimeUnit.SECONDS);
            assertThatThrownBy(() -> coordinator.createTopics(List.of(new NewTopic("vantage.other", 1, (short) 1))).all()
                    .get(60, TimeUnit.SECONDS)).hasCauseInstanceOf(TopicAuthorizationException.class);
        }
    }

    @Test
    void anAgentWritesResultsAndHeartbeatsAndTheCoordinatorReadsThem() {
        String result = "result " + UUID.randomUUID();
        try (KafkaProducer<String, String> a1 = producer("agent-a1")) {
            assertThat(a1.send(new ProducerRecord<>("vantage.results", "survey-1", result))).succeedsWithin(Duration.ofSeconds(60));
            assertThat(a1.send(new ProducerRecord<>("vantage.heartbeats", "a1", "heartbeat of a1"))).succeedsWithin(Duration.ofSeconds(60));
        }
        try (KafkaConsumer<String, String> coordinator = consumer("vantage-coordinator", "vantage-coordinator")) {
            coordinator.subscribe(List.of("vantage.results"));
            List<String> seen = new ArrayList<>();
            Instant until = Instant.now().plusSeconds(60);
            while (!seen.contains(result) && Instant.now().isBefore(until)) {
                coordinator.poll(Duration.ofMillis(500)).forEach(r -> seen.add(r.value()));
            }
            assertThat(seen).as("results the coordinator read").contains(result);
        }
    }

    @Test
    void aRevokedAgentCanNeitherReadTasksNorWriteResults() throws Exception {
        String state = STATE.toString();
        scripts.run("acls-c1", "deploy/local/kafka-acls", "agent", "--id", "c1", "--site-id", "site-a", "--state", state);
        // what was handed out to the agent: revoking deletes the key store here, not the agent's copy
        Map<String, Object> c1 = client("agent-c1");
        Path copy = Files.copy(tls.resolve("agent-c1.p12"), LOGS.resolve("agent-c1-copy.p12"), StandardCopyOption.REPLACE_EXISTING);
        c1.put("ssl.keystore.location", copy.toString());
        try (KafkaConsumer<String, String> reading = consumer(c1, "vantage-agent-c1")) {
            reading.subscribe(List.of(SITE_A_TASKS));
            assertThat(firstRecord(reading).key()).isEqualTo("a1");
        }
        scripts.run("revoke-c1", "deploy/local/kafka-acls", "revoke", "--id", "c1", "--site-id", "site-a", "--state", state);
        assertThat(tls.resolve("agent-c1.p12")).doesNotExist();
        try (KafkaConsumer<String, String> revoked = consumer(c1, "vantage-agent-c1")) {
            revoked.subscribe(List.of(SITE_A_TASKS));
            assertThatThrownBy(() -> firstRecord(revoked))
                    .isInstanceOfAny(TopicAuthorizationException.class, GroupAuthorizationException.class);
        }
        try (KafkaProducer<String, String> revoked = producer(c1)) {
            // the idempotent producer asks for a producer id first, which needs Write on some topic
            assertThatThrownBy(() -> revoked.send(new ProducerRecord<>("vantage.results", "survey-1", "late result"))
                    .get(60, TimeUnit.SECONDS)).cause()
                    .isInstanceOfAny(TopicAuthorizationException.class, ClusterAuthorizationException.class);
        }
    }

    @Test
    void aClientWithoutACertificateIsRefused() {
        Map<String, Object> anonymous = client("agent-a1");
        anonymous.keySet().removeIf(k -> k.startsWith("ssl.keystore."));
        try (Admin admin = Admin.create(anonymous)) {
            assertThatThrownBy(() -> admin.describeCluster().nodes().get(60, TimeUnit.SECONDS))
                    .hasCauseInstanceOf(SslAuthenticationException.class);
        }
    }

    @Test
    void aCertificateOfAnotherCaIsRefusedEvenWithTheAdminsName() throws Exception {
        Path store = LOGS.resolve("impostor.p12");
        Files.deleteIfExists(store);
        Process keytool = new ProcessBuilder("keytool", "-genkeypair", "-keyalg", "EC", "-groupname", "secp256r1",
                "-dname", "CN=kafka-admin", "-alias", "impostor", "-keystore", store.toString(), "-storetype", "PKCS12",
                "-storepass", "impostor", "-validity", "2").redirectErrorStream(true).start();
        keytool.getInputStream().readAllBytes();
        assertThat(keytool.waitFor()).isZero();
        Map<String, Object> impostor = client("agent-a1");
        impostor.put("ssl.keystore.location", store.toString());
        impostor.put("ssl.keystore.password", "impostor");
        try (Admin admin = Admin.create(impostor)) {
            assertThatThrownBy(() -> admin.describeCluster().nodes().get(60, TimeUnit.SECONDS))
                    .hasCauseInstanceOf(SslAuthenticationException.class);
        }
    }

    @Test
    void theKeysAndPasswordsAreTheOwnersOnlyAndNeverPrinted() throws Exception {
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(tls))).isEqualTo("rwx------");
        List<String> passwords = new ArrayList<>();
        try (Stream<Path> files = Files.list(tls)) {
            for (Path f : files.toList()) {
                String name = f.getFileName().toString();
                if (name.endsWith(".key") || name.endsWith(".p12") && !name.equals("truststore.p12")
                        || name.endsWith(".password") || name.endsWith(".properties")) {
                    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(f))).as(name).isEqualTo("rw-------");
                }
                if (name.endsWith(".password")) {
                    passwords.add(Files.readString(f).strip());
                }
            }
        }
        assertThat(passwords).as("the passwords of the broker, kafka-admin, the coordinator, a1 and b1").hasSizeGreaterThanOrEqualTo(5);
        List<Path> printed = new ArrayList<>(List.of(STATE.resolve("kafka.log"), STATE.resolve("kafka-acls.log")));
        try (Stream<Path> logs = Files.list(LOGS)) {
            logs.filter(f -> f.toString().endsWith(".log")).forEach(printed::add);
        }
        for (Path log : printed) {
            String text = Files.readString(log);
            assertThat(text).as("%s mentions no key store password", log).doesNotContain(passwords)
                    .doesNotContain("PRIVATE KEY");
        }
    }

    // ---------------------------------------------------------------------------------------------------------

    /** The Kafka client settings the scripts wrote for a principal ({@code <state>/kafka-tls/<name>.properties}). */
    private static Map<String, Object> client(String principal) {
        Properties p = new Properties();
        try (Reader in = Files.newBufferedReader(tls.resolve(principal + ".properties"))) {
            p.load(in);
        } catch (IOException e) {
            throw new IllegalStateException("no client settings for " + principal + ": " + e.getMessage(), e);
        }
        Map<String, Object> settings = new HashMap<>();
        p.forEach((k, v) -> settings.put((String) k, v));
        settings.put("bootstrap.servers", bootstrap);
        settings.put("client.id", principal + "-test");
        return settings;
    }

    /** A producer as the agent and the coordinator configure theirs: idempotent, every replica acknowledges. */
    private static KafkaProducer<String, String> producer(String principal) {
        return producer(client(principal));
    }

    private static KafkaProducer<String, String> producer(Map<String, Object> client) {
        Map<String, Object> settings = new HashMap<>(client);
        settings.put(ProducerConfig.ACKS_CONFIG, "all");
        settings.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        settings.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 30_000);
        return new KafkaProducer<>(settings, new StringSerializer(), new StringSerializer());
    }

    private static KafkaConsumer<String, String> consumer(String principal, String group) {
        return consumer(client(principal), group);
    }

    private static KafkaConsumer<String, String> consumer(Map<String, Object> client, String group) {
        Map<String, Object> settings = new HashMap<>(client);
        settings.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        settings.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        settings.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        return new KafkaConsumer<>(settings, new StringDeserializer(), new StringDeserializer());
    }

    /** The first record the consumer gets (60 s at most); what the broker refuses is thrown by poll. */
    private static ConsumerRecord<String, String> firstRecord(KafkaConsumer<String, String> consumer) {
        Instant until = Instant.now().plusSeconds(60);
        while (Instant.now().isBefore(until)) {
            for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(500))) {
                return r;
            }
        }
        throw new AssertionError("no record within 60 s");
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path f : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(f);
            }
        }
    }
}
