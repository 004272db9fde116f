package dev.vantage.system;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

/**
 * The results waiting in Kafka for the coordinator: per partition of {@code vantage.results}, the end offset minus the
 * offset its consumer group {@code vantage-coordinator} has committed (everything stored and acknowledged before it).
 * Read as the broker's admin ({@code kafka-admin}'s certificate when Kafka runs with TLS).
 */
final class ResultBacklog implements AutoCloseable {
    private static final String TOPIC = "vantage.results";
    private static final String GROUP = "vantage-coordinator";

    private final Admin admin;

    /** For the broker of the env file {@code services up} writes. */
    ResultBacklog(Map<String, String> env) throws IOException {
        Properties props = new Properties();
        String tls = env.get("VANTAGE_KAFKA_TLS");
        if (tls != null) {
            try (Reader r = Files.newBufferedReader(Path.of(tls, "kafka-admin.properties"))) {
                props.load(r);
            }
        }
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, env.get("VANTAGE_KAFKA_BOOTSTRAP"));
        this.admin = Admin.create(props);
    }

    /** How many results the coordinator has not yet committed as stored. */
    long records() throws Exception {
        Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(GROUP)
                .partitionsToOffsetAndMetadata().get(30, TimeUnit.SECONDS);
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        admin.describeTopics(java.util.List.of(TOPIC)).allTopicNames().get(30, TimeUnit.SECONDS).get(TOPIC).partitions()
                .forEach(p -> latest.put(new TopicPartition(TOPIC, p.partition()), OffsetSpec.latest()));
        long waiting = 0;
        for (var end : admin.listOffsets(latest).all().get(30, TimeUnit.SECONDS).entrySet()) {
            OffsetAndMetadata done = committed.get(end.getKey());
            waiting += end.getValue().offset() - (done == null ? 0 : done.offset());
        }
        return waiting;
    }

    @Override
    public void close() {
        admin.close();
    }
}
