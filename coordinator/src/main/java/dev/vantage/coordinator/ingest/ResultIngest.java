package dev.vantage.coordinator.ingest;

import dev.vantage.coordinator.CoordinatorConfig;
import dev.vantage.coordinator.survey.SurveyCompletion;
import dev.vantage.wire.MalformedMessageException;
import io.agroal.api.AgroalDataSource;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.runtime.Startup;
import io.smallrye.reactive.messaging.annotations.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Ingests results from {@code vantage.results} in batches: the Kafka side of ingest.
 *
 * <ol>
 *   <li>Each record is decoded and checked as untrusted input ({@link ResultCheck}); a record that fails
 *       goes to the dead-letter topic with the reason.</li>
 *   <li>The batch is stored by {@link ResultStore} (checked against the dispatched tasks and the key bound to each
 *       task's agent, first answers kept, latest status and survey counts moved, in one transaction); what it refuses
 *       is dead-lettered too.</li>
 *   <li>Surveys whose count reached their task count move on: to closing (their responder windows are told to
 *       close and send what reached them) or, when every window that opened has reported, to completed.</li>
 * </ol>
 * Every refusal is counted by its cause in {@code vantage_results_refused_total{reason}} ({@link ResultCheck.Cause}).
 * While PostgreSQL is unreachable the batch is retried in place, with back-off, for as long as it takes
 * (counted in {@code vantage_ingest_retries_total}); the consumer is not acknowledged meanwhile, so nothing is
 * lost and nothing is dead-lettered for a database outage. The channel is not nacked by design: its failure
 * strategy ({@code fail}) only fires on a bug, and then stops the channel loudly (the readiness check turns red).
 */
@Startup // created eagerly so its meters are on /q/metrics from the start, not after the first result
@ApplicationScoped
public class ResultIngest {
    /** Channel name, configured in application.properties. */
    public static final String CHANNEL = "results";
    /**
     * The worker pool that stores batches, {@code smallrye.messaging.worker.vantage-ingest.max-concurrency} at a
     * time: while one batch waits for PostgreSQL, the next is decoded and checked. Batches may commit out of
     * order; the commit strategy acknowledges an offset to Kafka only when every record before it is stored.
     */
    static final String WORKERS = "vantage-ingest";
    private static final Logger LOG = Logger.getLogger(ResultIngest.class);

    private final ResultStore store;
    private final SurveyCompletion completion;
    private final DeadLetters deadLetters;
    private final Duration retryBackoff;
    private final Counter ingested;
    private final Counter deadLettered;
    private final Counter superseded;
    private final Map<ResultCheck.Cause, Counter> refused = new EnumMap<>(ResultCheck.Cause.class);
    private final Counter retries;
    private final Timer lag;

    public ResultIngest(AgroalDataSource db, SurveyCompletion completion, DeadLetters deadLetters,
                        CoordinatorConfig config, MeterRegistry metrics) {
        this.store = new ResultStore(db, config.ingest().clockSkew(), config.ingest().keptTasks());
        this.completion = completion;
        this.deadLetters = deadLetters;
        this.retryBackoff = config.ingest().retryBackoff();
        this.ingested = Counter.builder("vantage.results.ingested")
                .description("results stored (first answers of their tasks, closing reports of responder windows)")
                .register(metrics);
        this.deadLettered = Counter.builder("vantage.results.dead.lettered")
                .description("result records refused and sent to the dead-letter topic").register(metrics);
        this.superseded = Counter.builder("vantage.results.superseded")
                .description("further results for a task that was already answered, not stored").register(metrics);
        for (ResultCheck.Cause cause : ResultCheck.Cause.values()) {
            refused.put(cause, Counter.builder("vantage.results.refused").tag("reason", cause.tag())
                    .description("result records refused (and dead-lettered), by cause").register(metrics));
        }
        this.retries = Counter.builder("vantage.ingest.retries")
                .description("attempts of ingest retried because PostgreSQL (or, for dead letters, the broker) was "
                        + "unavailable").register(metrics);
        this.lag = Timer.builder("vantage.ingest.lag").description("time from a result's publication to its commit")
                .register(metrics);
    }

    @Incoming(CHANNEL)
    @Blocking(value = WORKERS, ordered = false)
    public void onResults(ConsumerRecords<String, byte[]> records) throws Exception {
        long began = System.nanoTime();
        List<ConsumerRecord<String, byte[]>> decoded = new ArrayList<>(records.count());
        List<ResultCheck.Checked> results = new ArrayList<>(records.count());
        List<DeadLetters.Poison> poison = new ArrayList<>();
        List<ResultCheck.Cause> causes = new ArrayList<>();
        for (ConsumerRecord<String, byte[]> record : records) {
            try {
                results.add(ResultCheck.decode(record.value()));
                decoded.add(record);
            } catch (MalformedMessageException e) {
                poison.add(new DeadLetters.Poison(record, e.reason()));
                causes.add(e instanceof ResultCheck.UnsignedException ? ResultCheck.Cause.UNSIGNED
                        : ResultCheck.Cause.MALFORMED);
            }
        }
        ResultStore.Stored stored = Retry.whileUnavailable("storing " + results.size() + " results", retryBackoff,
                () -> store.store(results), false, retries::increment);
        stored.refused().forEach(r -> {
            poison.add(new DeadLetters.Poison(decoded.get(r.index()), r.refusal().reason()));
            causes.add(r.refusal().cause());
        });
        if (!poison.isEmpty()) {
            deadLetter(poison);
            causes.forEach(cause -> refused.get(cause).increment());
        }
        ingested.increment(stored.stored());
        superseded.increment(stored.superseded());
        long now = System.currentTimeMillis();
        decoded.forEach(r -> lag.record(Duration.ofMillis(Math.max(0, now - r.timestamp()))));
        long storedAt = System.nanoTime();
        for (UUID survey : stored.completed()) {
            Retry.whileUnavailable("completing survey " + survey, retryBackoff,
                    () -> completion.completeIfAllAnswered(survey), false, retries::increment);
        }
        LOG.debugf("batch of %d records: %d stored, %d refused in %d ms (+%d ms completion checks)", records.count(),
                stored.stored(), poison.size(), (storedAt - began) / 1_000_000, (System.nanoTime() - storedAt) / 1_000_000);
    }

    private void deadLetter(List<DeadLetters.Poison> poison) throws Exception {
        for (DeadLetters.Poison p : poison) {
            LOG.warnf("result record %s-%d@%d refused: %s", p.record().topic(), p.record().partition(),
                    p.record().offset(), p.reason());
        }
        Retry.whileUnavailable("dead-lettering " + poison.size() + " records", retryBackoff, () -> {
            deadLetters.send(poison);
            return null;
        }, true, retries::increment);
        deadLettered.increment(poison.size());
    }
}
