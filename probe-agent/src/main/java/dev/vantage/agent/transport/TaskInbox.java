package dev.vantage.agent.transport;

import dev.vantage.wire.MalformedMessageException;
import dev.vantage.wire.SignedTask;
import dev.vantage.wire.Topics;
import dev.vantage.wire.Wire;
import org.apache.kafka.clients.consumer.CommitFailedException;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RebalanceInProgressException;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * The agent's view of its site's task topic: it reads {@code vantage.tasks.<site>} and keeps only
 * the records keyed with its own agent id. Each delivery is committed only once the caller says it is
 * handed on ({@link Delivery#handedOn()}) and every record before it in its partition is too (records for
 * other agents are handed on as they are read), so tasks may finish in any order and a crash re-delivers
 * the unfinished ones instead of losing them.
 *
 * <p>Not thread-safe, like the consumer under it: one thread polls and commits; {@link Delivery#handedOn()}
 * may be called from any thread.
 */
public final class TaskInbox implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(TaskInbox.class);

    /**
     * One record read from the task topic: a signed task (not yet verified: that is the caller's job),
     * or the reason the record could not be read.
     */
    public static final class Delivery {
        private final SignedTask task;
        private final String malformedReason;
        private final byte[] raw;
        private final TopicPartition partition;
        private final PartitionProgress progress;
        private final long offset;

        private Delivery(SignedTask task, String malformedReason, byte[] raw, TopicPartition partition,
                         PartitionProgress progress, long offset) {
            this.task = task;
            this.malformedReason = malformedReason;
            this.raw = raw;
            this.partition = partition;
            this.progress = progress;
            this.offset = offset;
        }

        public SignedTask task() {
            return task;
        }

        public String malformedReason() {
            return malformedReason;
        }

        public byte[] raw() {
            return raw;
        }

        public boolean isMalformed() {
            return task == null;
        }

        /** Where the record lies ({@code topic-partition@offset}): the same for every time it is read. */
        public String position() {
            return partition + "@" + offset;
        }

        /** This delivery needs nothing more (its result is in the outbox, or it needs none): it may be committed. */
        public void handedOn() {
            progress.handedOn(offset);
        }
    }

    /** The records of one partition read but not yet handed on; safe to share between the poller and workers. */
    private static final class PartitionProgress {
        private final TreeSet<Long> open = new TreeSet<>();
        private long next = -1;

        synchronized void read(long offset, boolean handedOn) {
            if (!handedOn) {
                open.add(offset);
            }
            next = offset + 1;
        }

        synchronized void handedOn(long offset) {
            open.remove(offset);
        }

        /** The offset to commit: the first record not handed on yet, else the one after the last read. */
        synchronized long committable() {
            return open.isEmpty() ? next : open.first();
        }
    }

    private final KafkaConsumer<String, byte[]> consumer;
    private final String agentId;
    private final Map<TopicPartition, PartitionProgress> progress = new HashMap<>();
    private final Map<TopicPartition, Long> committed = new HashMap<>();

    public TaskInbox(AgentKafkaConfig kafka, String siteId, String agentId) {
        this.agentId = agentId;
        Map<String, Object> props = kafka.base();
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "vantage-agent-" + agentId);
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, "vantage-agent-" + agentId);
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        props.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, Wire.MAX_MESSAGE_BYTES * 4);
        // an agent that died (SIGKILL, host lost) and is started again joins its group after its predecessor's
        // session ends: 10 s, not Kafka's 45 s, during which the restarted agent would read no task
        props.putIfAbsent(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, 10_000);
        props.putIfAbsent(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, 3_000);
        this.consumer = new KafkaConsumer<>(props);
        consumer.subscribe(List.of(Topics.tasks(siteId)), new Forget());
    }

    /** Waits up to {@code timeout} for tasks meant for this agent. */
    public List<Delivery> poll(Duration timeout) {
        return poll(timeout, true);
    }

    /**
     * Waits up to {@code timeout} for tasks meant for this agent; with {@code fetch} false it reads nothing (the
     * caller has no free worker) but still polls, which keeps this agent in its consumer group.
     */
    public List<Delivery> poll(Duration timeout, boolean fetch) {
        if (fetch) {
            consumer.resume(consumer.paused());
        } else {
            consumer.pause(consumer.assignment());
        }
        List<Delivery> out = new ArrayList<>();
        for (ConsumerRecord<String, byte[]> record : consumer.poll(timeout)) {
            TopicPartition partition = new TopicPartition(record.topic(), record.partition());
            PartitionProgress at = progress.computeIfAbsent(partition, p -> new PartitionProgress());
            boolean mine = agentId.equals(record.key());
            at.read(record.offset(), !mine);
            if (!mine) {
                continue;
            }
            try {
                SignedTask task = Wire.decode(record.value(), SignedTask.class);
                Wire.requireSchema(task.schemaVersion(), "signed task");
                out.add(new Delivery(task, null, record.value(), partition, at, record.offset()));
            } catch (MalformedMessageException e) {
                out.add(new Delivery(null, e.reason(), record.value(), partition, at, record.offset()));
            }
        }
        return out;
    }

    /**
     * Commits, per partition, up to the first delivery not handed on yet (nothing when that did not move); false
     * when the broker did not take it: away for longer than a commit waits, or the group moved on while the tasks
     * ran (an agent cut off from Kafka and let back). Then those tasks come again and the caller's replay cache
     * answers them; the agent keeps running.
     */
    public boolean commit() {
        return commit(progress.keySet());
    }

    private boolean commit(Collection<TopicPartition> partitions) {
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        for (TopicPartition partition : partitions) {
            PartitionProgress at = progress.get(partition);
            long offset = at == null ? -1 : at.committable();
            if (offset >= 0 && offset > committed.getOrDefault(partition, -1L)) {
                offsets.put(partition, new OffsetAndMetadata(offset));
            }
        }
        if (offsets.isEmpty()) {
            return true;
        }
        try {
            consumer.commitSync(offsets);
            offsets.forEach((partition, offset) -> committed.put(partition, offset.offset()));
            return true;
        } catch (CommitFailedException | RebalanceInProgressException | RetriableException e) {
            LOG.warnf("committing the tasks handed on so far failed, they will be delivered again: %s", e.toString());
            return false;
        }
    }

    /**
     * A partition taken away forgets what was read from it: its records come again from the committed offset, to
     * this consumer or another. One revoked in order commits what was handed on first; a lost one cannot.
     */
    private final class Forget implements ConsumerRebalanceListener {
        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            try {
                commit(partitions);
            } catch (KafkaException e) {
                LOG.warnf("committing before giving up partitions %s failed, their tasks come again: %s", partitions,
                        e.toString());
            }
            forget(partitions);
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
        }

        @Override
        public void onPartitionsLost(Collection<TopicPartition> partitions) {
            forget(partitions);
        }

        private void forget(Collection<TopicPartition> partitions) {
            partitions.forEach(p -> {
                progress.remove(p);
                committed.remove(p);
            });
        }
    }

    @Override
    public void close() {
        consumer.close(Duration.ofSeconds(5));
    }
}
