package dev.vantage.testing;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

import static org.awaitility.Awaitility.await;

/** Plain Kafka clients for tests: string keys, byte values, a fresh consumer group reading from the start. */
public final class KafkaClients {
    private KafkaClients() {
    }

    public static KafkaProducer<String, byte[]> producer(String bootstrapServers) {
        return new KafkaProducer<>(producerConfig(bootstrapServers));
    }

    /** The producer's configuration (string keys, byte values, defaults otherwise), for tests that add to it. */
    public static Map<String, Object> producerConfig(String bootstrapServers) {
        return Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
    }

    /** A consumer of a new group, so it sees every record of the topic from the beginning. */
    public static KafkaConsumer<String, byte[]> consumer(String bootstrapServers, String topic) {
        KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.GROUP_ID_CONFIG, "test-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class));
        consumer.subscribe(List.of(topic));
        return consumer;
    }

    /** Sends one record and waits for the broker's acknowledgement. */
    public static void send(String bootstrapServers, String topic, String key, byte[] value) throws Exception {
        try (KafkaProducer<String, byte[]> producer = producer(bootstrapServers)) {
            producer.send(new ProducerRecord<>(topic, key, value)).get();
        }
    }

    /**
     * Reads the topic from the start, handing every record to {@code sink}, until {@code done} holds or
     * {@code timeout} passes (then the await fails the test).
     */
    public static void readUntil(String bootstrapServers, String topic, Duration timeout,
                                 Consumer<ConsumerRecord<String, byte[]>> sink, BooleanSupplier done) {
        try (KafkaConsumer<String, byte[]> consumer = consumer(bootstrapServers, topic)) {
            await().atMost(timeout).until(() -> {
                consumer.poll(Duration.ofMillis(200)).forEach(sink);
                return done.getAsBoolean();
            });
        }
    }
}
