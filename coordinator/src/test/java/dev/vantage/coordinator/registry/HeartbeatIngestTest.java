package dev.vantage.coordinator.registry;

import dev.vantage.coordinator.Api;
import dev.vantage.testing.KafkaClients;
import dev.vantage.testing.TestInfrastructure;
import dev.vantage.testing.TestKafka;
import dev.vantage.trust.Ed25519Keys;
import dev.vantage.wire.Heartbeat;
import dev.vantage.wire.Topics;
import dev.vantage.wire.Wire;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;

/**
 * The whole foundation path on real parts: a heartbeat produced to the real Kafka broker is consumed
 * by the coordinator, written through Panache into the table the Flyway migration created in the
 * real PostgreSQL, and read back over REST.
 */
@QuarkusTest
@WithTestResource(TestInfrastructure.class)
class HeartbeatIngestTest {

    private static final KeyPair KEY = Ed25519Keys.generate();
    private static final String PUBLIC_KEY = Ed25519Keys.encode(KEY.getPublic());
    private static final String KEY_ID = Ed25519Keys.fingerprint(KEY.getPublic());

    @Test
    void heartbeatOnKafkaBecomesAnAgentReadableOverRest() throws Exception {
        String agentId = "agent-" + UUID.randomUUID();
        Heartbeat hb = new Heartbeat(Wire.SCHEMA_VERSION, agentId, "acme-berlin", List.of("end-users", "admin-network"),
                "0.1.0", List.of("tcp", "udp", "dns"), Instant.now(), PUBLIC_KEY, KEY_ID);
        send(agentId, Wire.encode(hb));

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                Api.admin().get("/agents/{id}", agentId).then().statusCode(200)
                        .body("siteId", equalTo("acme-berlin"))
                        .body("roles", hasItems("end-users", "admin-network"))
                        .body("capabilities", hasItems("tcp", "udp", "dns"))
                        .body("online", equalTo(true)));
        Api.admin().queryParam("site", "acme-berlin").get("/agents").then().statusCode(200)
                .body("id", hasItems(agentId));
    }

    @Test
    void poisonHeartbeatGoesToTheDeadLetterTopicAndIngestContinues() throws Exception {
        String poisonKey = "poison-" + UUID.randomUUID();
        send(poisonKey, "{this is not json".getBytes(StandardCharsets.UTF_8));
        String agentId = "agent-" + UUID.randomUUID();
        send(agentId, Wire.encode(new Heartbeat(Wire.SCHEMA_VERSION, agentId, "acme", List.of("internet"), "0.1.0",
                List.of(), Instant.now(), PUBLIC_KEY, KEY_ID)));

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                Api.admin().get("/agents/{id}", agentId).then().statusCode(200));

        ConsumerRecord<String, byte[]> dead = awaitDeadLetter(poisonKey);
        Header reason = dead.headers().lastHeader("dead-letter-reason");
        assertThat(reason).as("dead-letter-reason header").isNotNull();
        assertThat(new String(reason.value(), StandardCharsets.UTF_8)).contains("not a valid Heartbeat");
    }

    @Test
    void heartbeatWhoseKeyIdIsNotItsKeysFingerprintIsDeadLettered() throws Exception {
        String agentId = "agent-" + UUID.randomUUID();
        send(agentId, Wire.encode(new Heartbeat(Wire.SCHEMA_VERSION, agentId, "acme", List.of("internet"), "0.1.0",
                List.of(), Instant.now(), PUBLIC_KEY, "0".repeat(32))));
        ConsumerRecord<String, byte[]> dead = awaitDeadLetter(agentId);
        assertThat(new String(dead.headers().lastHeader("dead-letter-reason").value(), StandardCharsets.UTF_8))
                .contains("keyId '" + "0".repeat(32) + "' is not the fingerprint of its publicKey (" + KEY_ID + ")");
        Api.admin().get("/agents/{id}", agentId).then().statusCode(404);
    }

    @Test
    void unknownAgentIsA404() {
        Api.admin().get("/agents/{id}", "no-such-agent").then().statusCode(404);
    }

    private static void send(String key, byte[] value) throws Exception {
        KafkaClients.send(TestKafka.bootstrapServers(), Topics.HEARTBEATS, key, value);
    }

    private static ConsumerRecord<String, byte[]> awaitDeadLetter(String key) {
        List<ConsumerRecord<String, byte[]>> found = new ArrayList<>();
        KafkaClients.readUntil(TestKafka.bootstrapServers(), Topics.DEAD_LETTERS, Duration.ofSeconds(30), r -> {
            if (key.equals(r.key())) {
                found.add(r);
            }
        }, () -> !found.isEmpty());
        return found.get(0);
    }
}
