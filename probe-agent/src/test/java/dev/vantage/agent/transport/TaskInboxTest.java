package dev.vantage.agent.transport;

import dev.vantage.agent.testing.InboxMain;
import dev.vantage.agent.testing.NetnsLab;
import dev.vantage.testing.KafkaClients;
import dev.vantage.testing.TestKafka;
import dev.vantage.trust.Ed25519Keys;
import dev.vantage.trust.TaskSigner;
import dev.vantage.wire.PortRange;
import dev.vantage.wire.ProbeKind;
import dev.vantage.wire.ProbeTask;
import dev.vantage.wire.SignedTask;
import dev.vantage.wire.Topics;
import dev.vantage.wire.Wire;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The agent reads its tasks from the real (in-process KRaft) broker the coordinator uses. */
class TaskInboxTest {
    private static final TaskSigner SIGNER = new TaskSigner("k1", Ed25519Keys.generate().getPrivate(),
            Duration.ofMinutes(5), Clock.systemUTC());

    @Test
    void consumesOnlyTheTasksKeyedForThisAgentAndNamesMalformedOnes() throws Exception {
        String site = "site-" + UUID.randomUUID();
        SignedTask mine = task("t-mine", "agent-a");
        SignedTask theirs = task("t-theirs", "agent-b");
        try (KafkaProducer<String, byte[]> producer = producer()) {
            producer.send(new ProducerRecord<>(Topics.tasks(site), "agent-b", Wire.encode(theirs))).get();
            producer.send(new ProducerRecord<>(Topics.tasks(site), "agent-a", Wire.encode(mine))).get();
            producer.send(new ProducerRecord<>(Topics.tasks(site), "agent-a",
                    "garbage".getBytes(StandardCharsets.UTF_8))).get();
        }

        List<TaskInbox.Delivery> got = new ArrayList<>();
        try (TaskInbox inbox = new TaskInbox(AgentKafkaConfig.plaintext(TestKafka.bootstrapServers()), site, "agent-a")) {
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                got.addAll(inbox.poll(Duration.ofMillis(200)));
                return got.size() >= 2;
            });
        }

        assertThat(got).hasSize(2);
        assertThat(got.get(0).task()).isEqualTo(mine);
        assertThat(got.get(1).isMalformed()).isTrue();
        assertThat(got.get(1).malformedReason()).startsWith("not a valid SignedTask");
    }

    @Test
    void committedTasksAreNotDeliveredAgain() throws Exception {
        String site = "site-" + UUID.randomUUID();
        try (KafkaProducer<String, byte[]> producer = producer()) {
            producer.send(new ProducerRecord<>(Topics.tasks(site), "agent-a", Wire.encode(task("t1", "agent-a")))).get();
        }
        AgentKafkaConfig kafka = AgentKafkaConfig.plaintext(TestKafka.bootstrapServers());
        try (TaskInbox inbox = new TaskInbox(kafka, site, "agent-a")) {
            List<TaskInbox.Delivery> got = new ArrayList<>();
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                got.addAll(inbox.poll(Duration.ofMillis(200)));
                return !got.isEmpty();
            });
            got.forEach(TaskInbox.Delivery::handedOn);
            assertThat(inbox.commit()).isTrue();
        }
        try (KafkaProducer<String, byte[]> producer = producer()) {
            producer.send(new ProducerRecord<>(Topics.tasks(site), "agent-a", Wire.encode(task("t2", "agent-a")))).get();
        }
        try (TaskInbox inbox = new TaskInbox(kafka, site, "agent-a")) {
            List<TaskInbox.Delivery> got = new ArrayList<>();
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                got.addAll(inbox.poll(Duration.ofMillis(200)));
                return !got.isEmpty();
            });
            assertThat(got).extracting(d -> d.task().grant()).singleElement().asString().contains("\"taskId\":\"t2\"");
        }
    }

    @Test
    void aTaskHandedOnIsNotCommittedWhileOneBeforeItIsNot() throws Exception {
        String site = "site-" + UUID.randomUUID();
        try (KafkaProducer<String, byte[]> producer = producer()) {
            producer.send(new ProducerRecord<>(Topics.tasks(site), "agent-a", Wire.encode(task("t1", "agent-a")))).get();
            producer.send(new ProducerRecord<>(Topics.tasks(site), "agent-b", Wire.encode(task("t-b", "agent-b")))).get();
            producer.send(new ProducerRecord<>(Topics.tasks(site), "agent-a", Wire.encode(task("t2", "agent-a")))).get();
        }
        AgentKafkaConfig kafka = AgentKafkaConfig.plaintext(TestKafka.bootstrapServers());
        try (TaskInbox inbox = new TaskInbox(kafka, site, "agent-a")) {
            List<TaskInbox.Delivery> got = new ArrayList<>();
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                got.addAll(inbox.poll(Duration.ofMillis(200)));
                return got.size() >= 2;
            });
            got.get(1).handedOn(); // t2 finished first; t1 still runs when the agent stops
            assertThat(inbox.commit()).isTrue();
        }
        try (TaskInbox inbox = new TaskInbox(kafka, site, "agent-a")) {
            List<TaskInbox.Delivery> again = new ArrayList<>();
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                again.addAll(inbox.poll(Duration.ofMillis(200)));
                return again.size() >= 2;
            });
            assertThat(again).extracting(d -> d.task().grant()).as("both come again, t1 first")
                    .satisfiesExactly(t -> assertThat(t).contains("\"taskId\":\"t1\""),
                            t -> assertThat(t).contains("\"taskId\":\"t2\""));
        }
    }

    /**
     * A broker away longer than a commit waits, or a group that moved on while tasks ran (an agent cut off from Kafka,
     * then let back), fails the commit; the agent must keep running and get the uncommitted tasks again, not die.
     */
    @Test
    void aCommitAfterTheGroupMovedOnFailsQuietlyAndTheTasksComeAgain() throws Exception {
        String site = "site-" + UUID.randomUUID();
        try (KafkaProducer<String, byte[]> producer = producer()) {
            producer.send(new ProducerRecord<>(Topics.tasks(site), "agent-a", Wire.encode(task("t1", "agent-a")))).get();
        }
        AgentKafkaConfig kafka = new AgentKafkaConfig(TestKafka.bootstrapServers(), Map.of("max.poll.interval.ms", "1000"));
        try (TaskInbox inbox = new TaskInbox(kafka, site, "agent-a");
             Admin admin = Admin.create(Map.of("bootstrap.servers", TestKafka.bootstrapServers()))) {
            List<TaskInbox.Delivery> got = new ArrayList<>();
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                got.addAll(inbox.poll(Duration.ofMillis(200)));
                return !got.isEmpty();
            });
            got.forEach(TaskInbox.Delivery::handedOn);
            // the tasks "run" longer than max.poll.interval.ms: the consumer leaves its group
            await().atMost(Duration.ofSeconds(30)).until(() -> admin.describeConsumerGroups(List.of("vantage-agent-agent-a"))
                    .all().get().get("vantage-agent-agent-a").members().isEmpty());
            assertThat(inbox.commit()).as("the commit of a consumer that left its group").isFalse();
            List<TaskInbox.Delivery> again = new ArrayList<>();
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                again.addAll(inbox.poll(Duration.ofMillis(200)));
                return !again.isEmpty();
            });
            assertThat(again).extracting(d -> d.task().grant()).singleElement().asString().contains("\"taskId\":\"t1\"");
        }
    }

    /**
     * An agent SIGKILLed never leaves its consumer group; started again, it joins once its dead predecessor's session
     * has ended. That takes 10 s, not Kafka's default 45 s (during which the restarted agent read no task).
     */
    @Test
    void anAgentStartedAgainAfterASigkillGetsItsTasksWithoutWaitingOutKafkasDefaultSession() throws Exception {
        String site = "site-" + UUID.randomUUID();
        String agent = "agent-" + UUID.randomUUID();
        String group = "vantage-agent-" + agent;
        List<String> command = new ArrayList<>(NetnsLab.javaCommand(InboxMain.class));
        command.addAll(List.of(TestKafka.bootstrapServers(), site, agent));
        Process killed = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", TestKafka.bootstrapServers()))) {
            // in its group (not found until it joined)
            await().atMost(Duration.ofSeconds(60)).ignoreExceptions().until(() -> !admin.describeConsumerGroups(
                    List.of(group)).all().get().get(group).members().isEmpty());
        } finally {
            killed.destroyForcibly().waitFor();
        }
        try (KafkaProducer<String, byte[]> producer = producer()) {
            producer.send(new ProducerRecord<>(Topics.tasks(site), agent, Wire.encode(task("t1", agent)))).get();
        }
        List<TaskInbox.Delivery> got = new ArrayList<>();
        try (TaskInbox inbox = new TaskInbox(AgentKafkaConfig.plaintext(TestKafka.bootstrapServers()), site, agent)) {
            // Kafka's default session (45 s) would hold the task back past this
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                got.addAll(inbox.poll(Duration.ofMillis(200)));
                return !got.isEmpty();
            });
        }
        assertThat(got).extracting(d -> d.task().grant()).singleElement().asString().contains("\"taskId\":\"t1\"");
    }

    private static SignedTask task(String id, String agent) {
        return SIGNER.sign(new ProbeTask(Wire.SCHEMA_VERSION, id, "survey-1", "acme", "end-users", agent, "inbound.https",
                ProbeKind.TCP, "192.0.2.10", PortRange.of(443), Map.of(), Duration.ofSeconds(2)));
    }

    private static KafkaProducer<String, byte[]> producer() {
        return KafkaClients.producer(TestKafka.bootstrapServers());
    }
}
