package dev.vantage.agent.transport;

import java.util.HashMap;
import java.util.Map;

/**
 * Kafka client settings an agent uses for every connection: the bootstrap servers plus whatever
 * security settings ({@code security.protocol}, {@code ssl.*}, {@code sasl.*}) the site needs.
 */
public record AgentKafkaConfig(String bootstrapServers, Map<String, String> clientProperties) {

    public AgentKafkaConfig {
        if (bootstrapServers == null || bootstrapServers.isBlank()) {
            throw new IllegalArgumentException("Kafka bootstrap servers are not set");
        }
        clientProperties = clientProperties == null ? Map.of() : Map.copyOf(clientProperties);
    }

    public static AgentKafkaConfig plaintext(String bootstrapServers) {
        return new AgentKafkaConfig(bootstrapServers, Map.of());
    }

    Map<String, Object> base() {
        Map<String, Object> props = new HashMap<>(clientProperties);
        props.put("bootstrap.servers", bootstrapServers);
        return props;
    }
}
