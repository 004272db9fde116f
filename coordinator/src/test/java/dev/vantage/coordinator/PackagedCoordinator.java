package dev.vantage.coordinator;

import dev.vantage.testing.TestPostgres;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The packaged coordinator ({@code target/quarkus-app/quarkus-run.jar}, built by {@code mvn package} before the
 * integration tests) as its own process, configured by the environment variables operations use, on this JVM's
 * PostgreSQL and the given Kafka, its output in {@code log}.
 */
public final class PackagedCoordinator {
    /** The bootstrap admin token of the started processes. */
    public static final String ADMIN = "it-bootstrap-admin";

    private PackagedCoordinator() {
    }

    /** Starts it on a free HTTP port with these {@code -D} settings; returns the process and its port. */
    public static Started start(String kafka, Path log, String... settings) throws IOException {
        String jar = System.getProperty("vantage.coordinator.jar", "target/quarkus-app/quarkus-run.jar");
        assertThat(new File(jar)).as("the packaged coordinator (mvn package)").exists();
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC"));
        command.addAll(List.of(settings));
        command.addAll(List.of("-jar", jar));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        TestPostgres.Database db = TestPostgres.database();
        Map<String, String> env = pb.environment();
        env.put("VANTAGE_HTTP_PORT", String.valueOf(port));
        env.put("VANTAGE_DB_URL", db.jdbcUrl());
        env.put("VANTAGE_DB_USER", db.user());
        env.put("VANTAGE_DB_PASSWORD", db.password());
        env.put("VANTAGE_KAFKA_BOOTSTRAP", kafka);
        env.put("VANTAGE_SIGNING_KEY_ID", TestAgent.KEY_ID);
        env.put("VANTAGE_SIGNING_PRIVATE_KEY", "MC4CAQAwBQYDK2VwBCIEILlkZEznvC9nYdUtOuZDPfIr0xPohhR98jx6adzfQ43a");
        env.put("VANTAGE_AUTH_BOOTSTRAP_ADMIN_TOKEN", ADMIN);
        env.put("VANTAGE_LOG_JSON", "false");
        return new Started(pb.start(), port);
    }

    /** A started coordinator process and its HTTP port. */
    public record Started(Process process, int port) {
    }
}
