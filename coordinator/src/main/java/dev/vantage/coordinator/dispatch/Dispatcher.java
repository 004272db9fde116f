package dev.vantage.coordinator.dispatch;

import dev.vantage.coordinator.CoordinatorConfig;
import dev.vantage.trust.Ed25519Keys;
import dev.vantage.trust.TaskSigner;
import dev.vantage.wire.ProbeKind;
import dev.vantage.wire.ProbeTask;
import dev.vantage.wire.SignedTask;
import dev.vantage.wire.Topics;
import dev.vantage.wire.Wire;
import io.agroal.api.AgroalDataSource;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.Startup;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.common.annotation.Identifier;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.jboss.logging.Logger;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * Publishes queued tasks from the outbox: claims a batch of rows with {@code FOR UPDATE SKIP LOCKED}
 * (replicas claim disjoint rows), signs each task with the coordinator's Ed25519 key at the moment it is
 * sent (so the short validity window starts now, not when the survey was planned), publishes it keyed by
 * agent id, waits until the broker has acknowledged every record ({@code acks=all}, idempotent
 * producer), and only then deletes the rows in the same transaction. A failure rolls the claim back and
 * the rows are sent on the next tick; a crash between the broker's acknowledgement and the commit
 * re-sends a task with the same task id, which the agent's replay cache refuses.
 */
@Startup
@ApplicationScoped
public class Dispatcher {
    private static final Logger LOG = Logger.getLogger(Dispatcher.class);

    private final AgroalDataSource db;
    private final CoordinatorConfig.Dispatch config;
    private final TaskSigner signer;
    private final KafkaProducer<String, byte[]> producer;
    private final Admin admin;
    private final Set<String> knownTopics = ConcurrentHashMap.newKeySet();
    private final Counter dispatched;

    public Dispatcher(AgroalDataSource db, CoordinatorConfig config,
                      @Identifier("default-kafka-broker") Map<String, Object> kafka, MeterRegistry metrics) {
        this.db = db;
        this.config = config.dispatch();
        try {
            this.signer = new TaskSigner(config.signing().keyId(), Ed25519Keys.privateKey(config.signing().privateKey()),
                    config.signing().taskValidity(), Clock.systemUTC());
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("vantage.signing.private-key: " + e.getMessage()
                    + "; generate one as described in coordinator/README.md", e);
        }
        this.producer = new KafkaProducer<>(producerConfig(kafka));
        Map<String, Object> adminProps = new HashMap<>();
        kafka.forEach((k, v) -> {
            if (AdminClientConfig.configNames().contains(k)) {
                adminProps.put(k, v);
            }
        });
        adminProps.put(AdminClientConfig.CLIENT_ID_CONFIG, "vantage-coordinator-topics");
        this.admin = Admin.create(adminProps);
        this.dispatched = Counter.builder("vantage.tasks.dispatched").description("signed tasks the broker acknowledged")
                .register(metrics);
    }

    /** Kafka client settings from the application's {@code kafka.*} keys, with the delivery guarantees forced. */
    static Map<String, Object> producerConfig(Map<String, Object> kafka) {
        Map<String, Object> props = new HashMap<>();
        kafka.forEach((k, v) -> {
            // the shared kafka.* map also holds consumer-only settings; the producer warns about those, so keep
            // only what a producer understands
            if (ProducerConfig.configNames().contains(k)) {
                props.put(k, v);
            }
        });
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        // one request in flight: a batch refused with NOT_LEADER_OR_FOLLOWER right after a topic's creation can
        // then not be overtaken by later batches, which the broker would append and then answer the retried
        // first one with OUT_OF_ORDER_SEQUENCE_NUMBER (seen with the in-process broker); dispatch volume is
        // small, ordering matters more than pipelining here
        props.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 1);
        props.put(ProducerConfig.CLIENT_ID_CONFIG, "vantage-coordinator-dispatch");
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        props.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        return props;
    }

    @Scheduled(every = "${vantage.dispatch.interval:1s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void tick() {
        try {
            while (dispatchBatch() == config.batchSize()) {
                // a full batch: there may be more waiting
            }
        } catch (RuntimeException e) {
            LOG.warnf("dispatch failed, the tasks stay queued and are retried: %s", e.getMessage());
        }
    }

    /** Sends one batch; returns how many rows it sent. */
    int dispatchBatch() {
        return QuarkusTransaction.requiringNew().call(() -> {
            List<Long> ids = new ArrayList<>();
            List<Future<RecordMetadata>> sent = new ArrayList<>();
            try (Connection c = db.getConnection()) {
                try (PreparedStatement s = c.prepareStatement("SELECT o.id, o.topic, o.message_key, t.task FROM outbox o "
                        + "JOIN survey_task t ON t.survey_id = o.survey_id AND t.task_id = o.task_id "
                        + "WHERE o.not_before <= now() ORDER BY o.id LIMIT ? FOR UPDATE OF o SKIP LOCKED")) {
                    s.setInt(1, config.batchSize());
                    try (ResultSet rs = s.executeQuery()) {
                        while (rs.next()) {
                            ids.add(rs.getLong(1));
                            ensureTopic(rs.getString(2));
                            SignedTask signed = signer.sign(Wire.decode(rs.getString(4), ProbeTask.class));
                            sent.add(producer.send(new ProducerRecord<>(rs.getString(2), rs.getString(3), Wire.encode(signed))));
                        }
                    }
                }
                if (ids.isEmpty()) {
                    return 0;
                }
                long deadline = System.nanoTime() + config.sendTimeout().toNanos();
                for (Future<RecordMetadata> f : sent) {
                    // throws when the broker refused or timed out: the transaction rolls back and the rows stay
                    f.get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                }
                try (PreparedStatement d = c.prepareStatement("DELETE FROM outbox WHERE id = ANY (?)")) {
                    d.setArray(1, c.createArrayOf("bigint", ids.toArray()));
                    d.executeUpdate();
                }
            } catch (SQLException e) {
                throw new IllegalStateException("outbox: " + e.getMessage(), e);
            }
            dispatched.increment(ids.size());
            return ids.size();
        });
    }

    /**
     * Ends the responder windows of a completed survey: every agent that had a respond task in it gets a signed
     * {@code close} task, so its windows free their ports now instead of when their time runs out (the next
     * survey's probes would meet them, or the stack's services could not bind). Best effort and not through the
     * outbox: a close that is lost only leaves the windows to end on their own, as they would without it.
     */
    public void closeResponders(UUID surveyId) {
        try (Connection c = db.getConnection();
             PreparedStatement s = c.prepareStatement("SELECT DISTINCT s.site_id, t.agent_id, t.vantage FROM survey_task t "
                     + "JOIN survey s ON s.id = t.survey_id WHERE t.survey_id = ? AND t.task::jsonb ->> 'kind' = ?")) {
            s.setObject(1, surveyId);
            s.setString(2, ProbeKind.RESPOND.wireName());
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    String topic = Topics.tasks(rs.getString(1));
                    String agent = rs.getString(2);
                    ProbeTask close = new ProbeTask(Wire.SCHEMA_VERSION, UUID.randomUUID().toString(), surveyId.toString(),
                            rs.getString(1), rs.getString(3), agent, null, ProbeKind.CLOSE, null, null, Map.of(), null);
                    ensureTopic(topic);
                    producer.send(new ProducerRecord<>(topic, agent, Wire.encode(signer.sign(close))), (sent, failed) -> {
                        if (failed != null) {
                            LOG.warnf("closing the responder windows of survey %s on agent %s failed (they end on their "
                                    + "own): %s", surveyId, agent, failed.getMessage());
                        }
                    });
                }
            }
        } catch (Exception e) {
            LOG.warnf("closing the responder windows of survey %s failed (they end on their own): %s", surveyId,
                    e.getMessage());
        }
    }

    /**
     * Creates a site's task topic before the first task goes to it. Letting the broker auto-create it on the
     * first produce races with the partition leader election, and an idempotent producer can then stall on
     * out-of-order sequence errors until its delivery timeout; a topic that exists with a leader avoids that.
     * With auto-creation off, this needs the Create ACL on the {@code vantage.tasks.} prefix (deploy/kafka).
     */
    private void ensureTopic(String topic) throws Exception {
        if (knownTopics.contains(topic)) {
            return;
        }
        try {
            admin.createTopics(List.of(new NewTopic(topic, Optional.empty(), Optional.empty()))).all()
                    .get(config.sendTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw e;
            }
        }
        knownTopics.add(topic);
    }

    @PreDestroy
    void close() {
        admin.close(java.time.Duration.ofSeconds(5));
        producer.close(java.time.Duration.ofSeconds(5));
    }
}
