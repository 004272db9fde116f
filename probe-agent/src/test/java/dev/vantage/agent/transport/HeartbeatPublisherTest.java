package dev.vantage.agent.transport;

import dev.vantage.testing.TestKafka;
import dev.vantage.wire.Heartbeat;
import dev.vantage.wire.Topics;
import dev.vantage.wire.Wire;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class HeartbeatPublisherTest {

    @Test
    void announcesIdentityRolesCapabilitiesAndClockKeyedByAgentId() {
        String agentId = "agent-" + UUID.randomUUID();
        Instant clock = Instant.parse("2026-11-26T07:00:00Z");
        try (HeartbeatPublisher publisher = new HeartbeatPublisher(AgentKafkaConfig.plaintext(TestKafka.bootstrapServers()),
                agentId, "acme", List.of("end-users", "admin-network"), "1.2.3", List.of("dns", "tcp"),
                Clock.fixed(clock, ZoneOffset.UTC))) {
            publisher.start(Duration.ofMillis(200));
            List<Heartbeat> seen = new ArrayList<>();
            try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of(
                    ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, TestKafka.bootstrapServers(),
                    ConsumerConfig.GROUP_ID_CONFIG, "test-" + UUID.randomUUID(),
                    ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                    ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class,
                    ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class))) {
                consumer.subscribe(List.of(Topics.HEARTBEATS));
                await().atMost(Duration.ofSeconds(30)).until(() -> {
                    consumer.poll(Duration.ofMillis(200)).forEach(r -> {
                        if (agentId.equals(r.key())) {
                            seen.add(Wire.decode(r.value(), Heartbeat.class));
                        }
                    });
                    return seen.size() >= 2;
                });
            }
            assertThat(seen.get(0)).isEqualTo(new Heartbeat(Wire.SCHEMA_VERSION, agentId, "acme",
                    List.of("end-users", "admin-network"), "1.2.3", List.of("dns", "tcp"), clock));
        }
    }
}
