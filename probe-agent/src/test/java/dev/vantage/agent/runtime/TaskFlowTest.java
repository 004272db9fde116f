package dev.vantage.agent.runtime;

import dev.vantage.agent.probe.Probe;
import dev.vantage.agent.probe.ProbeContext;
import dev.vantage.agent.probe.ProbeRegistry;
import dev.vantage.agent.scope.ScopePolicy;
import dev.vantage.agent.transport.AgentKafkaConfig;
import dev.vantage.agent.transport.ResultOutbox;
import dev.vantage.agent.transport.ResultSpool;
import dev.vantage.agent.transport.TaskInbox;
import dev.vantage.testing.KafkaClients;
import dev.vantage.testing.TestKafka;
import dev.vantage.trust.Ed25519Keys;
import dev.vantage.trust.ResultSigner;
import dev.vantage.trust.TaskSigner;
import dev.vantage.trust.TaskVerifier;
import dev.vantage.wire.Outcome;
import dev.vantage.wire.PortRange;
import dev.vantage.wire.ProbeKind;
import dev.vantage.wire.ProbeResult;
import dev.vantage.wire.ProbeTask;
import dev.vantage.wire.SignedResult;
import dev.vantage.wire.Topics;
import dev.vantage.wire.Wire;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
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
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * How tasks flow through the connected agent, through the real broker: each task runs as soon as a worker is free
 * (a short task does not wait for a long one read before it), an offset is committed only when every task up to it
 * is answered (a restart while a task runs gets it again), and with every worker busy the agent stops fetching but
 * stays in its consumer group, so nothing is lost or delivered twice.
 */
class TaskFlowTest {
    private final KeyPair coordinator = Ed25519Keys.generate();
    private final KeyPair agentKey = Ed25519Keys.generate();
    private final String site = "site-" + UUID.randomUUID();
    private final String agentId = "agent-" + UUID.randomUUID();
    private final TaskSigner signer = new TaskSigner("k1", coordinator.getPrivate(), Duration.ofMinutes(5),
            Clock.systemUTC());

    @Test
    void aShortTaskReadAfterALongOneIsAnsweredWhileTheLongOneRuns(@TempDir Path spool) throws Exception {
        HeldProbe probe = new HeldProbe(Set.of("long"), Duration.ZERO);
        try (Agent agent = new Agent(spool, probe, 4, Map.of())) {
            publish(task("long", Duration.ofMinutes(1)));
            await().atMost(Duration.ofSeconds(30)).until(() -> probe.starts("long") == 1);
            publish(task("short", Duration.ofSeconds(1)));

            List<ProbeResult> results = resultsUntil(rs -> rs.contains("short"));
            assertThat(results).extracting(ProbeResult::taskId).as("the long task is still held").doesNotContain("long");

            probe.release();
            assertThat(resultsUntil(rs -> rs.contains("long"))).extracting(ProbeResult::taskId)
                    .containsExactlyInAnyOrder("short", "long");
        }
    }

    @Test
    void aTaskStillRunningWhenTheAgentStopsIsDeliveredAgainAfterTheRestart(@TempDir Path spool) throws Exception {
        HeldProbe probe = new HeldProbe(Set.of("long"), Duration.ZERO);
        publish(task("long", Duration.ofMinutes(1)));
        try (Agent first = new Agent(spool.resolve("first"), probe, 4, Map.of())) {
            await().atMost(Duration.ofSeconds(30)).until(() -> probe.starts("long") == 1);
        }
        // the first agent handed the held task back unfinished: its offset must not be committed
        try (Agent second = new Agent(spool.resolve("second"), probe, 4, Map.of())) {
            await().atMost(Duration.ofSeconds(30)).until(() -> probe.starts("long") == 2);
            probe.release();
            assertThat(resultsUntil(rs -> rs.contains("long"))).extracting(ProbeResult::taskId).containsExactly("long");
        }
    }

    /**
     * The group drops the agent while a task runs (as when the broker was away): the agent rejoins and reads the task
     * again from the committed offset. That copy must not be refused as a replay, since the refusal could reach the
     * coordinator before the result and stand as the task's answer; it is answered once, by the running task.
     */
    @Test
    void aTaskDeliveredAgainWhileItRunsIsAnsweredOnceByItsResult(@TempDir Path spool) throws Exception {
        HeldProbe probe = new HeldProbe(Set.of("long"), Duration.ZERO);
        try (Agent agent = new Agent(spool, probe, 4, Map.of());
             Admin admin = Admin.create(Map.of("bootstrap.servers", TestKafka.bootstrapServers()))) {
            publish(task("long", Duration.ofMinutes(1)));
            await().atMost(Duration.ofSeconds(30)).until(() -> probe.starts("long") == 1);
            String group = "vantage-agent-" + agentId;
            String member = members(admin, group).get(0);
            admin.removeMembersFromConsumerGroup(group,
                    new org.apache.kafka.clients.admin.RemoveMembersFromConsumerGroupOptions()).all().get();
            await().atMost(Duration.ofSeconds(60)).until(() -> {
                List<String> now = members(admin, group);
                return now.size() == 1 && !now.get(0).equals(member);
            });
            // a task after it: once it is answered, the rejoined agent has read the partition again past the long task
            publish(task("marker", Duration.ofSeconds(1)));
            resultsUntil(rs -> rs.contains("marker"));
            probe.release();
            List<ProbeResult> results = resultsUntil(rs -> rs.contains("long"));
            assertThat(results).filteredOn(r -> r.taskId().equals("long")).singleElement()
                    .satisfies(r -> assertThat(r.outcome()).isEqualTo(Outcome.OPEN));
            assertThat(agent.runtime.refused()).isZero();
        }
        assertThat(probe.starts("long")).isEqualTo(1);
    }

    /**
     * Six tasks of 1.5 s on two workers take longer than the consumer may go without polling (1 s here): an agent
     * that waited for its tasks instead of polling would drop out of its group, its commit would fail and the tasks
     * would come again (refused as replays). Records for a sibling agent sit between them and are committed too.
     */
    @Test
    void withEveryWorkerBusyTheAgentStaysInItsGroupAndAnswersEveryTaskOnce(@TempDir Path spool) throws Exception {
        HeldProbe probe = new HeldProbe(Set.of(), Duration.ofMillis(1500));
        List<String> ids = List.of("t1", "t2", "t3", "t4", "t5", "t6");
        try (KafkaProducer<String, byte[]> producer = KafkaClients.producer(TestKafka.bootstrapServers())) {
            for (String id : ids) {
                producer.send(new ProducerRecord<>(Topics.tasks(site), agentId,
                        Wire.encode(signer.sign(task(id, Duration.ofSeconds(3)))))).get();
                producer.send(new ProducerRecord<>(Topics.tasks(site), "sibling-agent",
                        Wire.encode(signer.sign(task("sibling-" + id, Duration.ofSeconds(3)))))).get();
            }
        }
        try (Agent agent = new Agent(spool, probe, 2, Map.of("max.poll.interval.ms", "1000"));
             Admin admin = Admin.create(Map.of("bootstrap.servers", TestKafka.bootstrapServers()))) {
            await().atMost(Duration.ofSeconds(60)).until(() -> committedToTheEnd(admin));
            assertThat(agent.runtime.refused()).as("no task came twice").isZero();
            assertThat(agent.runtime.executed()).isEqualTo(ids.size());
            assertThat(resultsUntil(rs -> rs.containsAll(ids))).extracting(ProbeResult::taskId)
                    .containsExactlyInAnyOrderElementsOf(ids);
        }
        assertThat(ids).allSatisfy(id -> assertThat(probe.starts(id)).as("starts of " + id).isEqualTo(1));
    }

    private static List<String> members(Admin admin, String group) throws Exception {
        return admin.describeConsumerGroups(List.of(group)).all().get().get(group).members().stream()
                .map(m -> m.consumerId()).toList();
    }

    private boolean committedToTheEnd(Admin admin) throws Exception {
        Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets("vantage-agent-" + agentId)
                .partitionsToOffsetAndMetadata().get();
        if (committed.isEmpty()) {
            return false;
        }
        Map<TopicPartition, OffsetSpec> latest = committed.keySet().stream()
                .collect(Collectors.toMap(tp -> tp, tp -> OffsetSpec.latest()));
        var ends = admin.listOffsets(latest).all().get();
        return committed.entrySet().stream().allMatch(e -> e.getValue().offset() == ends.get(e.getKey()).offset());
    }

    private void publish(ProbeTask task) throws Exception {
        KafkaClients.send(TestKafka.bootstrapServers(), Topics.tasks(site), agentId, Wire.encode(signer.sign(task)));
    }

    private ProbeTask task(String id, Duration timeout) {
        return new ProbeTask(Wire.SCHEMA_VERSION, id, "survey-" + site, site, "end-users", agentId, "inbound.https",
                ProbeKind.TCP, "127.0.0.1", PortRange.of(443), Map.of(), timeout);
    }

    /** Reads this agent's results from the start of the topic until {@code done} holds for their task ids. */
    private List<ProbeResult> resultsUntil(java.util.function.Predicate<List<String>> done) {
        List<ProbeResult> out = new ArrayList<>();
        KafkaClients.readUntil(TestKafka.bootstrapServers(), Topics.RESULTS, Duration.ofSeconds(30), rec -> {
            ProbeResult r = Wire.decode(Wire.decode(rec.value(), SignedResult.class).result(), ProbeResult.class);
            if (agentId.equals(r.agentId())) {
                out.add(r);
            }
        }, () -> done.test(out.stream().map(ProbeResult::taskId).toList()));
        return out;
    }

    /** A connected agent running its loop on its own thread, as {@code run} does; closing it stops it. */
    private final class Agent implements AutoCloseable {
        final AgentRuntime runtime;
        private final TaskInbox inbox;
        private final ResultOutbox outbox;
        private final Thread loop;

        Agent(Path spool, Probe probe, int concurrency, Map<String, String> kafkaProperties) throws Exception {
            AgentKafkaConfig kafka = new AgentKafkaConfig(TestKafka.bootstrapServers(), kafkaProperties);
            inbox = new TaskInbox(kafka, site, agentId);
            outbox = new ResultOutbox(kafka, new ResultSpool(spool, 1000, 1 << 24),
                    new ResultSigner(agentKey.getPrivate(), agentKey.getPublic()), Duration.ofMillis(200));
            ScopePolicy scope = new ScopePolicy(List.of("127.0.0.1/32"), List.of(), List.of(PortRange.of(443)));
            TaskVerifier verifier = new TaskVerifier(Map.of("k1", coordinator.getPublic()), Duration.ofMinutes(15),
                    Duration.ofSeconds(30), Clock.systemUTC(), 10_000);
            runtime = new AgentRuntime(inbox, verifier, scope, new ProbeRegistry(List.of(probe)), outbox,
                    new ProbeContext(agentId, "test", Clock.systemUTC()), concurrency, 100, 100, Duration.ofSeconds(1));
            loop = new Thread(runtime::run, "test-agent-loop");
            loop.start();
        }

        @Override
        public void close() throws Exception {
            runtime.stop();
            runtime.close();
            loop.join(Duration.ofSeconds(30).toMillis());
            assertThat(loop.isAlive()).as("the agent's loop ended").isFalse();
            outbox.close();
            inbox.close();
        }
    }

    /**
     * A TCP "probe" that holds the tasks named in {@code held} until {@link #release()} and every other task for
     * {@code each}, then answers OPEN: long tasks without a network that must stay silent. It counts every start.
     */
    static final class HeldProbe implements Probe {
        private final Map<String, AtomicInteger> starts = new ConcurrentHashMap<>();
        private final CountDownLatch released = new CountDownLatch(1);
        private final Set<String> held;
        private final Duration each;

        HeldProbe(Set<String> held, Duration each) {
            this.held = held;
            this.each = each;
        }

        int starts(String taskId) {
            return starts.getOrDefault(taskId, new AtomicInteger()).get();
        }

        void release() {
            released.countDown();
        }

        @Override
        public ProbeKind kind() {
            return ProbeKind.TCP;
        }

        @Override
        public ProbeResult run(ProbeTask task, ProbeContext context) {
            Instant started = context.clock().instant();
            starts.computeIfAbsent(task.taskId(), id -> new AtomicInteger()).incrementAndGet();
            try {
                if (held.contains(task.taskId())) {
                    released.await();
                } else {
                    Thread.sleep(each.toMillis());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return context.result(task, started).outcome(Outcome.ERROR).summary("interrupted").build();
            }
            return context.result(task, started).outcome(Outcome.OPEN).summary("held").build();
        }
    }
}
