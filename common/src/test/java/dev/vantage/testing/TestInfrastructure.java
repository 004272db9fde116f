package dev.vantage.testing;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.util.HashMap;
import java.util.Map;

/**
 * Hands the real test Kafka broker and PostgreSQL to a {@code @QuarkusTest}:
 * {@code @WithTestResource(TestInfrastructure.class)}. Both are started once per JVM and shared by
 * every test class; init args {@code kafka=false} or {@code postgres=false} leave one out.
 */
public class TestInfrastructure implements QuarkusTestResourceLifecycleManager {
    private boolean kafka = true;
    private boolean postgres = true;

    @Override
    public void init(Map<String, String> initArgs) {
        kafka = Boolean.parseBoolean(initArgs.getOrDefault("kafka", "true"));
        postgres = Boolean.parseBoolean(initArgs.getOrDefault("postgres", "true"));
    }

    @Override
    public Map<String, String> start() {
        Map<String, String> config = new HashMap<>();
        if (kafka) {
            config.put("kafka.bootstrap.servers", TestKafka.bootstrapServers());
        }
        if (postgres) {
            TestPostgres.Database db = TestPostgres.database();
            config.put("quarkus.datasource.jdbc.url", db.jdbcUrl());
            config.put("quarkus.datasource.username", db.user());
            config.put("quarkus.datasource.password", db.password());
        }
        return config;
    }

    @Override
    public void stop() {
        // the broker and the database live for the whole JVM; shutdown hooks stop them
    }
}
