package dev.vantage.coordinator;

import dev.vantage.testing.KafkaBrokerProcess;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.util.HashMap;
import java.util.Map;

/**
 * A Kafka broker of its own for tests that take the broker away and bring it back: a {@link KafkaBrokerProcess}
 * on the same port and log directory each time. Init arg {@code api-timeout-ms} lowers the consumers'
 * {@code default.api.timeout.ms} (and {@code request.timeout.ms}) of the coordinator's channels, so an outage
 * longer than what a consumer waits for a broker answer takes seconds instead of minutes.
 */
public class RestartableKafka implements QuarkusTestResourceLifecycleManager {
    private static KafkaBrokerProcess broker;
    private String apiTimeoutMs;

    @Override
    public void init(Map<String, String> initArgs) {
        apiTimeoutMs = initArgs.get("api-timeout-ms");
    }

    @Override
    public Map<String, String> start() {
        try {
            broker = KafkaBrokerProcess.start();
        } catch (Exception e) {
            throw new IllegalStateException("could not start the restartable Kafka broker: " + e, e);
        }
        Map<String, String> config = new HashMap<>();
        config.put("kafka.bootstrap.servers", broker.bootstrapServers());
        if (apiTimeoutMs != null) {
            for (String channel : new String[] {"heartbeats", "results"}) {
                config.put("mp.messaging.incoming." + channel + ".default.api.timeout.ms", apiTimeoutMs);
                config.put("mp.messaging.incoming." + channel + ".request.timeout.ms", apiTimeoutMs);
            }
        }
        return config;
    }

    public static KafkaBrokerProcess broker() {
        return broker;
    }

    @Override
    public void stop() {
        try {
            if (broker != null) {
                broker.close();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
