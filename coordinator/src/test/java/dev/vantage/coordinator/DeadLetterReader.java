package dev.vantage.coordinator;

import dev.vantage.testing.KafkaClients;
import dev.vantage.testing.TestKafka;
import dev.vantage.wire.Topics;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.header.Header;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

import static org.awaitility.Awaitility.await;

/** Reads the dead-letter topic from the beginning, for assertions on refused records. */
public final class DeadLetterReader {
    private DeadLetterReader() {
    }

    /** A dead letter: its key and the reason header. */
    public record DeadLetter(String key, String reason) {
    }

    public static DeadLetter find(Predicate<DeadLetter> match) {
        try (KafkaConsumer<String, byte[]> consumer = KafkaClients.consumer(TestKafka.bootstrapServers(),
                Topics.DEAD_LETTERS)) {
            List<DeadLetter> found = new ArrayList<>();
            await().atMost(Duration.ofSeconds(60)).until(() -> {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(300))) {
                    Header h = r.headers().lastHeader("dead-letter-reason");
                    DeadLetter d = new DeadLetter(r.key(), h == null ? null : new String(h.value(), StandardCharsets.UTF_8));
                    if (match.test(d)) {
                        found.add(d);
                    }
                }
                return !found.isEmpty();
            });
            return found.get(0);
        }
    }
}
