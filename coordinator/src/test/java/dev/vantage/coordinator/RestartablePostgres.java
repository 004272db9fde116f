package dev.vantage.coordinator;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.Map;

/**
 * A PostgreSQL of its own for tests that stop the database and start it again: same port, same data
 * directory (under {@code java.io.tmpdir}, i.e. {@code target/}), so the coordinator's pool reconnects
 * to the very database it lost.
 */
public class RestartablePostgres implements QuarkusTestResourceLifecycleManager {
    private static Path dataDir;
    private static int port;
    private static EmbeddedPostgres running;

    @Override
    public Map<String, String> start() {
        try {
            dataDir = Files.createTempDirectory("restartable-pg-");
            try (ServerSocket s = new ServerSocket(0)) {
                port = s.getLocalPort();
            }
            startAgain();
            try (Connection c = DriverManager.getConnection(running.getJdbcUrl("postgres", "postgres"), "postgres",
                    "postgres"); Statement s = c.createStatement()) {
                s.execute("CREATE DATABASE vantage");
            }
            return Map.of("quarkus.datasource.jdbc.url", running.getJdbcUrl("postgres", "vantage"),
                    "quarkus.datasource.username", "postgres",
                    "quarkus.datasource.password", "postgres");
        } catch (Exception e) {
            throw new IllegalStateException("could not start the restartable PostgreSQL: " + e, e);
        }
    }

    /** Stops the server; its data stays. */
    public static synchronized void stopServer() throws IOException {
        if (running != null) {
            running.close();
            running = null;
        }
    }

    /** Starts the server on the same port and data directory. */
    public static synchronized void startAgain() throws IOException {
        if (running == null) {
            running = EmbeddedPostgres.builder()
                    .setDataDirectory(dataDir)
                    .setCleanDataDirectory(false)
                    .setPort(port)
                    .setServerConfig("fsync", "off")
                    .start();
        }
    }

    @Override
    public void stop() {
        try {
            stopServer();
            // the data directory is kept across restarts on purpose; once the test is over it goes
            try (var files = Files.walk(dataDir)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        } catch (IOException e) {
            System.err.println("restartable PostgreSQL did not stop cleanly: " + e);
        }
    }
}
