package dev.vantage.agent.transport;

import dev.vantage.agent.identity.AgentKey;
import dev.vantage.wire.Heartbeat;
import dev.vantage.wire.Topics;
import dev.vantage.wire.Wire;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Announces the agent on the compacted heartbeat topic (key = agent id): who it is, which site and
 * roles, its version and probe kinds, its clock, and the public key its results are signed with. A missed
 * heartbeat is not spooled: the next one replaces it. One that did not get through (the broker not reachable yet, the
 * first connection slower than the send may block) is tried again after {@link #RETRY}, not a whole interval later:
 * the coordinator lists an agent only once a heartbeat arrived, so a lost first one hid a started agent for 30 s.
 * While the broker stays away the retries back off, doubling up to the interval ({@link #retryDelay}).
 */
public final class HeartbeatPublisher implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(HeartbeatPublisher.class);
    /** How soon a heartbeat that did not get through is sent again. */
    static final Duration RETRY = Duration.ofSeconds(2);

    private final KafkaProducer<String, byte[]> producer;
    private final ScheduledExecutorService timer;
    private final String agentId;
    private final String siteId;
    private final List<String> roles;
    private final String version;
    private final List<String> capabilities;
    private final String publicKey;
    private final String keyId;
    private final Clock clock;
    /** When this agent process started (its publisher is made once, before it takes any task). */
    private final Instant startedAt;
    private final AtomicBoolean retryPending = new AtomicBoolean();
    /** Heartbeats that did not get through since the last one that did. */
    private final AtomicInteger failedInARow = new AtomicInteger();
    private volatile Duration interval = Duration.ofSeconds(30);

    public HeartbeatPublisher(AgentKafkaConfig kafka, String agentId, String siteId, List<String> roles,
                              String version, List<String> capabilities, AgentKey key, Clock clock) {
        this.agentId = agentId;
        this.siteId = siteId;
        this.roles = List.copyOf(roles);
        this.version = version;
        this.capabilities = List.copyOf(capabilities);
        this.publicKey = key.publicKeyText();
        this.keyId = key.keyId();
        this.clock = clock;
        this.startedAt = clock.instant();
        Map<String, Object> props = kafka.base();
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 2_000);
        props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 10_000);
        props.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000);
        this.producer = new KafkaProducer<>(props);
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "vantage-heartbeat");
            t.setDaemon(true);
            return t;
        });
    }

    /** Sends one heartbeat now and then every {@code interval}. */
    public void start(Duration interval) {
        this.interval = interval;
        timer.scheduleAtFixedRate(this::beat, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    void beat() {
        Heartbeat hb = new Heartbeat(Wire.SCHEMA_VERSION, agentId, siteId, roles, version, capabilities, clock.instant(),
                publicKey, keyId, startedAt);
        try {
            producer.send(new ProducerRecord<>(Topics.HEARTBEATS, agentId, Wire.encode(hb)), (md, error) -> {
                if (error != null) {
                    LOG.debugf("heartbeat not delivered: %s", error.toString());
                    retrySoon();
                } else {
                    failedInARow.set(0);
                }
            });
        } catch (RuntimeException e) {
            LOG.debugf("heartbeat not sent: %s", e.toString());
            retrySoon();
        }
    }

    /** Sends a heartbeat again after {@link #retryDelay}, unless one such retry waits already. */
    private void retrySoon() {
        if (!retryPending.compareAndSet(false, true)) {
            return;
        }
        try {
            timer.schedule(() -> {
                retryPending.set(false);
                beat();
            }, retryDelay(failedInARow.getAndIncrement(), interval).toMillis(), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException closed) {
            retryPending.set(false);
        }
    }

    /**
     * How long after the {@code failedInARow}-th failure in a row (0 for the first) a heartbeat is sent again:
     * {@link #RETRY}, doubled with each further failure, never longer than the interval of the regular heartbeats.
     */
    static Duration retryDelay(int failedInARow, Duration interval) {
        long millis = RETRY.toMillis() << Math.min(failedInARow, 20);
        return Duration.ofMillis(Math.min(millis, Math.max(RETRY.toMillis(), interval.toMillis())));
    }

    @Override
    public void close() {
        timer.shutdownNow();
        producer.close(Duration.ofSeconds(2));
    }
}
