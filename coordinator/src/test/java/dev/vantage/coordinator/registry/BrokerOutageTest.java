package dev.vantage.coordinator.registry;

import dev.vantage.coordinator.Api;
import dev.vantage.coordinator.Db;
import dev.vantage.coordinator.RestartableKafka;
import dev.vantage.testing.KafkaClients;
import dev.vantage.testing.TestInfrastructure;
import dev.vantage.testing.TestPostgres;
import dev.vantage.trust.Ed25519Keys;
import dev.vantage.wire.Heartbeat;
import dev.vantage.wire.Topics;
import dev.vantage.wire.Wire;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

import java.security.KeyPair;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import static org.awaitility.Awaitility.await;

/**
 * The broker goes away for longer than the coordinator's consumers wait for an answer
 * ({@code default.api.timeout.ms}, lowered here to 3 s; 60 s in production) at the moment the heartbeats channel
 * meets a record of a partition whose committed offset it has not looked up yet: the lookup times out. The channel
 * must wait for the broker and go on, not stop for good (SRMSG00201) and leave every agent offline.
 */
@QuarkusTest
@WithTestResource(value = TestInfrastructure.class, initArgs = @ResourceArg(name = "kafka", value = "false"))
@WithTestResource(value = RestartableKafka.class, initArgs = @ResourceArg(name = "api-timeout-ms", value = "3000"))
class BrokerOutageTest {
    private static final KeyPair KEY = Ed25519Keys.generate();

    @Inject
    MeterRegistry metrics;

    @Test
    void heartbeatsAreReadAgainAfterTheBrokerWasAwayLongerThanTheConsumerWaits() throws Exception {
        String first = "agent-" + UUID.randomUUID();
        String second = "agent-" + UUID.randomUUID();
        String third = "agent-" + UUID.randomUUID();
        try (KafkaProducer<String, byte[]> producer = KafkaClients.producer(RestartableKafka.broker().bootstrapServers())) {
            producer.send(heartbeat(0, first)).get();
            await().atMost(Duration.ofSeconds(60)).until(() -> Api.admin().get("/agents/{id}", first).statusCode() == 200);

            // the first agent's next heartbeat is held by a row lock while the second agent's, on a partition the
            // channel has not read before, waits behind it
            try (Connection lock = TestPostgres.database().connect()) {
                lock.setAutoCommit(false);
                try (PreparedStatement s = lock.prepareStatement("SELECT 1 FROM agent WHERE id = ? FOR UPDATE")) {
                    s.setString(1, first);
                    s.executeQuery();
                }
                double fetched = recordsFetched();
                producer.send(heartbeat(0, first)).get();
                producer.send(heartbeat(1, second)).get();
                await().atMost(Duration.ofSeconds(30)).until(() ->
                        Db.count("SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock'") > 0
                                && recordsFetched() >= fetched + 2);
                RestartableKafka.broker().stop();
                lock.rollback();
            }
            // the outage itself (its length is the fault, not a wait for something): longer than the consumers' 3 s, so
            // the offset lookup of the second agent's partition times out, more than once
            Thread.sleep(10_000);
            RestartableKafka.broker().startAgain();
            producer.send(heartbeat(2, third)).get();
        }
        await().atMost(Duration.ofSeconds(60)).until(() -> Api.admin().get("/agents/{id}", second).statusCode() == 200
                && Api.admin().get("/agents/{id}", third).statusCode() == 200);
    }

    private double recordsFetched() {
        return metrics.find("kafka.consumer.fetch.manager.records.consumed.total").functionCounters().stream()
                .filter(c -> c.getId().getTags().stream().anyMatch(t -> t.getValue().contains(HeartbeatIngest.CHANNEL)))
                .mapToDouble(FunctionCounter::count).sum();
    }

    private static ProducerRecord<String, byte[]> heartbeat(int partition, String agentId) {
        Heartbeat hb = new Heartbeat(Wire.SCHEMA_VERSION, agentId, "outage", List.of("internet"), "0.1.0", List.of(),
                Instant.now(), Ed25519Keys.encode(KEY.getPublic()), Ed25519Keys.fingerprint(KEY.getPublic()));
        return new ProducerRecord<>(Topics.HEARTBEATS, partition, agentId, Wire.encode(hb));
    }
}
