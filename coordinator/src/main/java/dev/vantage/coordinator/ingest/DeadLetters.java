package dev.vantage.coordinator.ingest;

import dev.vantage.wire.Topics;
import io.smallrye.common.annotation.Identifier;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * Sends records that cannot be ingested to {@link Topics#DEAD_LETTERS}, unchanged, with the reason and
 * where they came from in the same headers SmallRye's dead-letter strategy uses
 * ({@code dead-letter-reason}, {@code dead-letter-topic}, {@code dead-letter-partition},
 * {@code dead-letter-offset}), so one tool reads both.
 */
@ApplicationScoped
public class DeadLetters {
    /** A record refused and why. */
    public record Poison(ConsumerRecord<String, byte[]> record, String reason) {
    }

    private final KafkaProducer<String, byte[]> producer;

    public DeadLetters(@Identifier("default-kafka-broker") Map<String, Object> kafka) {
        Map<String, Object> props = new HashMap<>();
        kafka.forEach((k, v) -> {
            if (ProducerConfig.configNames().contains(k)) {
                props.put(k, v);
            }
        });
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.CLIENT_ID_CONFIG, "vantage-coordinator-dead-letters");
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        this.producer = new KafkaProducer<>(props);
    }

    /** Sends all and waits for the broker's acknowledgement; throws when it does not come. */
    public void send(List<Poison> poison) throws Exception {
        List<Future<RecordMetadata>> sent = new ArrayList<>();
        for (Poison p : poison) {
            RecordHeaders headers = new RecordHeaders();
            headers.add("dead-letter-reason", p.reason().getBytes(StandardCharsets.UTF_8));
            headers.add("dead-letter-topic", p.record().topic().getBytes(StandardCharsets.UTF_8));
            headers.add("dead-letter-partition", String.valueOf(p.record().partition()).getBytes(StandardCharsets.UTF_8));
            headers.add("dead-letter-offset", String.valueOf(p.record().offset()).getBytes(StandardCharsets.UTF_8));
            sent.add(producer.send(new ProducerRecord<>(Topics.DEAD_LETTERS, null, p.record().key(), p.record().value(),
                    headers)));
        }
        for (Future<RecordMetadata> f : sent) {
            f.get(30, TimeUnit.SECONDS);
        }
    }

    @PreDestroy
    void close() {
        producer.close(java.time.Duration.ofSeconds(5));
    }
}
