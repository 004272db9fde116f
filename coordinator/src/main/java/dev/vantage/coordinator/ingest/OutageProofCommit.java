package dev.vantage.coordinator.ingest;

import io.smallrye.common.annotation.Identifier;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.kafka.IncomingKafkaRecord;
import io.smallrye.reactive.messaging.kafka.KafkaConnectorIncomingConfiguration;
import io.smallrye.reactive.messaging.kafka.KafkaConsumer;
import io.smallrye.reactive.messaging.kafka.commit.ContextHolder;
import io.smallrye.reactive.messaging.kafka.commit.KafkaCommitHandler;
import io.vertx.mutiny.core.Context;
import io.vertx.mutiny.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RetriableException;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.Collection;
import java.util.function.BiConsumer;

/**
 * The {@code throttled} commit strategy (commit the latest processed offset every few seconds), made to survive a
 * broker outage of any length. Throttled looks up a partition's committed offset the first time a record of that
 * partition arrives (after start and after every rebalance); when the broker goes away at that moment, the lookup
 * fails after the consumer's {@code default.api.timeout.ms} (60 s) and SmallRye fails the whole channel for good
 * (SRMSG00201): the coordinator stopped reading heartbeats and every agent went offline. Here the lookup is tried
 * again, with back-off up to 30 s, for as long as the broker is unavailable; the record waits, nothing is skipped.
 * Channels choose it with {@code commit-strategy=throttled-outage-proof}.
 */
@ApplicationScoped
@Identifier(OutageProofCommit.NAME)
public class OutageProofCommit implements KafkaCommitHandler.Factory {
    /** The value of a channel's {@code commit-strategy}. */
    public static final String NAME = "throttled-outage-proof";

    private static final Logger LOG = Logger.getLogger(OutageProofCommit.class);
    private static final Duration FIRST_BACKOFF = Duration.ofSeconds(1);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(30);

    private final KafkaCommitHandler.Factory throttled;

    public OutageProofCommit(@Identifier(KafkaCommitHandler.Strategy.THROTTLED) KafkaCommitHandler.Factory throttled) {
        this.throttled = throttled;
    }

    @Override
    public KafkaCommitHandler create(KafkaConnectorIncomingConfiguration config, Vertx vertx, KafkaConsumer<?, ?> consumer,
                                     BiConsumer<Throwable, Boolean> reportFailure) {
        return new Handler(vertx, config.getChannel(), throttled.create(config, vertx, consumer, reportFailure));
    }

    /** A failure that says "the broker did not answer in time", as opposed to a bug or a closed consumer. */
    static boolean brokerUnavailable(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof RetriableException) {
                return true;
            }
        }
        return false;
    }

    /**
     * A {@link ContextHolder} only so that the connector hands it the channel's Vert.x context, which throttled needs
     * (it runs its bookkeeping there) and gets from here.
     */
    private static final class Handler extends ContextHolder implements KafkaCommitHandler {
        private final String channel;
        private final KafkaCommitHandler delegate;

        Handler(Vertx vertx, String channel, KafkaCommitHandler delegate) {
            super(vertx, 0);
            this.channel = channel;
            this.delegate = delegate;
        }

        @Override
        public void capture(io.vertx.core.Context context) {
            super.capture(context);
            if (delegate instanceof ContextHolder holder) {
                holder.capture(context);
            }
        }

        @Override
        public void capture(Context context) {
            super.capture(context);
            if (delegate instanceof ContextHolder holder) {
                holder.capture(context);
            }
        }

        @Override
        public <K, V> Uni<IncomingKafkaRecord<K, V>> received(IncomingKafkaRecord<K, V> record) {
            // the Uni is lazy: each retry looks the committed offset up again
            return delegate.received(record)
                    .onFailure(OutageProofCommit::brokerUnavailable).invoke(e -> LOG.warnf(
                            "channel %s: the committed offset of %s-%d could not be read (%s); waiting for the broker",
                            channel, record.getTopic(), record.getPartition(), e.getMessage()))
                    .onFailure(OutageProofCommit::brokerUnavailable).retry()
                    .withBackOff(FIRST_BACKOFF, MAX_BACKOFF).indefinitely();
        }

        @Override
        public <K, V> Uni<Void> handle(IncomingKafkaRecord<K, V> record) {
            return delegate.handle(record);
        }

        @Override
        public <K, V> Multi<IncomingKafkaRecord<K, V>> decorateStream(Multi<IncomingKafkaRecord<K, V>> stream) {
            return delegate.decorateStream(stream);
        }

        @Override
        public void terminate(boolean graceful) {
            delegate.terminate(graceful);
        }

        @Override
        public void partitionsAssigned(Collection<TopicPartition> partitions) {
            delegate.partitionsAssigned(partitions);
        }

        @Override
        public void partitionsRevoked(Collection<TopicPartition> partitions) {
            delegate.partitionsRevoked(partitions);
        }
    }
}
