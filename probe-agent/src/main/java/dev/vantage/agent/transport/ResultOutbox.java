package dev.vantage.agent.transport;

import dev.vantage.trust.ResultSigner;
import dev.vantage.wire.ProbeResult;
import dev.vantage.wire.SignedResult;
import dev.vantage.wire.Topics;
import dev.vantage.wire.Wire;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.jboss.logging.Logger;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Publishes results so that none is lost: each result is first written to the {@link ResultSpool},
 * then sent to {@link Topics#RESULTS} (key = survey id, so the coordinator can ingest surveys in
 * parallel) with an idempotent, {@code acks=all} producer, and its file is deleted only when the broker
 * has acknowledged it. While the broker is unreachable results stay spooled; a background pass re-sends
 * whatever is spooled and not in flight, also after an agent restart. A result may thus be sent twice
 * (crash between ack and delete); it keeps its id, and ingest drops the duplicate.
 *
 * <p>Each result goes out as a {@link SignedResult}: the spooled JSON, exactly as written, signed with the agent's
 * key when it is sent. So whatever is spooled is sent with the key the agent has now: results an agent of schema
 * version 1 left unsigned in its spool are signed after the upgrade (their record is unchanged, the coordinator
 * reads it), and results spooled before a key change go out with the new key.
 */
public final class ResultOutbox implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(ResultOutbox.class);

    private final KafkaProducer<String, byte[]> producer;
    private final ResultSpool spool;
    private final ResultSigner signer;
    private final Set<Path> inFlight = ConcurrentHashMap.newKeySet();
    private final ScheduledExecutorService resender;
    private final AtomicBoolean passQueued = new AtomicBoolean();
    private volatile boolean brokerDown;

    public ResultOutbox(AgentKafkaConfig kafka, ResultSpool spool, ResultSigner signer, Duration resendEvery) {
        this.spool = spool;
        this.signer = signer;
        Map<String, Object> props = kafka.base();
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        // one request in flight keeps batches in order across leader changes (see the coordinator's Dispatcher)
        props.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 1);
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        // fail fast into the spool instead of blocking probe threads while the broker is away
        props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 2_000);
        props.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000);
        props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 15_000);
        props.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        this.producer = new KafkaProducer<>(props);
        this.resender = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "vantage-result-resender");
            t.setDaemon(true);
            return t;
        });
        resender.scheduleWithFixedDelay(this::resendSpooled, 0, resendEvery.toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * Hands a result on. When this returns, the result is durable on disk and the caller may commit
     * the task's offset; sending happens on the outbox's own thread, so probes never wait for Kafka.
     */
    public void publish(ProbeResult result) {
        spool.write(result);
        requestPass();
    }

    /** Results written but not yet acknowledged by the broker. */
    public int pending() {
        return spool.pending().size();
    }

    /** Sends everything spooled and waits up to {@code timeout} for the broker to acknowledge it. */
    public boolean flush(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (pending() > 0 && System.nanoTime() < deadline) {
            requestPass();
            Thread.sleep(100);
        }
        return pending() == 0;
    }

    @Override
    public void close() {
        resender.shutdownNow();
        producer.close(Duration.ofSeconds(5));
        int left = pending();
        if (left > 0) {
            LOG.infof("%d result(s) stay spooled and will be sent when the agent runs again", left);
        }
    }

    private void requestPass() {
        if (passQueued.compareAndSet(false, true)) {
            resender.execute(() -> {
                passQueued.set(false);
                resendSpooled();
            });
        }
    }

    /** One pass over the spool, on the outbox thread; stops at the first send the producer cannot take. */
    private void resendSpooled() {
        try {
            for (Path file : spool.pending()) {
                if (inFlight.contains(file)) {
                    continue;
                }
                byte[] bytes = spool.read(file);
                if (bytes != null && !send(file, bytes)) {
                    return;
                }
            }
        } catch (RuntimeException e) {
            LOG.warnf("re-sending spooled results failed, will try again: %s", e.toString());
        }
    }

    private boolean send(Path file, byte[] result) {
        if (!inFlight.add(file)) {
            return true;
        }
        try {
            byte[] signed = Wire.encode(signer.sign(new String(result, StandardCharsets.UTF_8)));
            producer.send(new ProducerRecord<>(Topics.RESULTS, keyOf(result), signed), (metadata, error) -> {
                inFlight.remove(file);
                if (error == null) {
                    spool.delete(file);
                    if (brokerDown) {
                        brokerDown = false;
                        LOG.info("broker reachable again: sending spooled results");
                    }
                } else {
                    noteBrokerDown(error);
                }
            });
            return true;
        } catch (RuntimeException e) {
            inFlight.remove(file);
            noteBrokerDown(e);
            return false;
        }
    }

    private void noteBrokerDown(Exception error) {
        if (!brokerDown) {
            brokerDown = true;
            LOG.warnf("cannot deliver results to Kafka (%s); keeping them spooled until the broker is back",
                    error.toString());
        }
    }

    /** Key = survey id (task id in standalone mode), so one survey's results share a partition. */
    private static String keyOf(byte[] bytes) {
        ProbeResult r = Wire.decode(bytes, ProbeResult.class);
        return r.surveyId() != null ? r.surveyId() : r.taskId();
    }
}
