package dev.vantage.agent.transport;

import dev.vantage.agent.identity.AgentKey;
import dev.vantage.testing.KafkaClients;
import dev.vantage.testing.TestKafka;
import dev.vantage.trust.Ed25519Keys;
import dev.vantage.wire.Heartbeat;
import dev.vantage.wire.Topics;
import dev.vantage.wire.Wire;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class HeartbeatPublisherTest {

    @Test
    void announcesIdentityRolesCapabilitiesClockAndPublicKeyKeyedByAgentId(@TempDir Path state) {
        String agentId = "agent-" + java.util.UUID.randomUUID();
        Instant clock = Instant.parse("2026-11-26T07:00:00Z");
        AgentKey key = AgentKey.loadOrCreate(state.resolve("agent.key"));
        try (HeartbeatPublisher publisher = new HeartbeatPublisher(AgentKafkaConfig.plaintext(TestKafka.bootstrapServers()),
                agentId, "acme", List.of("end-users", "admin-network"), "1.2.3", List.of("dns", "tcp"), key,
                Clock.fixed(clock, ZoneOffset.UTC))) {
            publisher.start(Duration.ofMillis(200));
            List<Heartbeat> seen = new ArrayList<>();
            KafkaClients.readUntil(TestKafka.bootstrapServers(), Topics.HEARTBEATS, Duration.ofSeconds(30), r -> {
                if (agentId.equals(r.key())) {
                    seen.add(Wire.decode(r.value(), Heartbeat.class));
                }
            }, () -> seen.size() >= 2);
            assertThat(seen.get(0)).isEqualTo(new Heartbeat(Wire.SCHEMA_VERSION, agentId, "acme",
                    List.of("end-users", "admin-network"), "1.2.3", List.of("dns", "tcp"), clock, key.publicKeyText(),
                    key.keyId()));
            assertThat(Ed25519Keys.fingerprint(Ed25519Keys.publicKey(seen.get(0).publicKey())))
                    .isEqualTo(seen.get(0).keyId());
        }
    }
}
