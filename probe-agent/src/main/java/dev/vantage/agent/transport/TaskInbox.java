package dev.vantage.agent.transport;

import dev.vantage.wire.MalformedMessageException;
import dev.vantage.wire.SignedTask;
import dev.vantage.wire.Topics;
import dev.vantage.wire.Wire;
import org.apache.kafka.clients.consumer.CommitFailedException;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.errors.RebalanceInProgressException;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The agent's view of its site's task topic: it reads {@code vantage.tasks.<site>} and keeps only
 * the records keyed with its own agent id. Offsets are committed only when the caller says the
 * tasks of a poll are handed on ({@link #commit()}), so a crash re-delivers instead of losing work.
 */
public final class TaskInbox implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(TaskInbox.class);

    /**
     * One record read from the task topic: a signed task (not yet verified: that is the caller's job),
     * or the reason the record could not be read.
     */
    public record Delivery(SignedTask task, String malformedReason, byte[] raw) {
        public boolean isMalformed() {
            return task == null;
        }
    }

    private final KafkaConsumer<String, byte[]> consumer;
    private final String agentId;

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
        this.consumer = new KafkaConsumer<>(props);
        consumer.subscribe(List.of(Topics.tasks(siteId)));
    }

    /** Waits up to {@code timeout} for tasks meant for this agent. */
    public List<Delivery> poll(Duration timeout) {
        List<Delivery> out = new ArrayList<>();
        for (ConsumerRecord<String, byte[]> record : consumer.poll(timeout)) {
            if (!agentId.equals(record.key())) {
                continue;
            }
            try {
                SignedTask task = Wire.decode(record.value(), SignedTask.class);
                Wire.requireSchema(task.schemaVersion(), "signed task");
                out.add(new Delivery(task, null, record.value()));
            } catch (MalformedMessageException e) {
                out.add(new Delivery(null, e.reason(), record.value()));
            }
        }
        return out;
    }

    /**
     * Marks everything returned by the polls so far as handed on; false when the broker did not take it: away for
     * longer than a commit waits, or the group moved on while the tasks ran (an agent cut off from Kafka and let
     * back). Then those tasks come again and the caller's replay cache answers them; the agent keeps running.
     */
    public boolean commit() {
        try {
            consumer.commitSync();
            return true;
        } catch (CommitFailedException | RebalanceInProgressException | RetriableException e) {
            LOG.warnf("committing the tasks read so far failed, they will be delivered again: %s", e.toString());
            return false;
        }
    }

    @Override
    public void close() {
        consumer.close(Duration.ofSeconds(5));
    }
}
