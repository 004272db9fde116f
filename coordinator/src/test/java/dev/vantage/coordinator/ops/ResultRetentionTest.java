package dev.vantage.coordinator.ops;

import dev.vantage.coordinator.Db;
import dev.vantage.testing.TestInfrastructure;
import dev.vantage.testing.TestPostgres;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** Result partitions older than the retention (13 months by default) are dropped whole; the rest stays. */
@QuarkusTest
@WithTestResource(TestInfrastructure.class)
class ResultRetentionTest {
    private static final DateTimeFormatter NAME = DateTimeFormatter.ofPattern("yyyy_MM");

    @Inject
    ResultPartitions partitions;

    @Test
    void dropsPartitionsOlderThanTheRetentionAndKeepsRecentOnesAndLatestStatus() throws SQLException {
        YearMonth now = YearMonth.now(ZoneOffset.UTC);
        YearMonth expired = now.minusMonths(15);
        YearMonth alsoExpired = now.minusMonths(14);
        // its end lies within the last 13 months
        YearMonth straddling = now.minusMonths(13);
        YearMonth recent = now.minusMonths(6);
        for (YearMonth m : new YearMonth[]{expired, alsoExpired, straddling, recent}) {
            sql("CREATE TABLE IF NOT EXISTS result_" + m.format(NAME) + " PARTITION OF result FOR VALUES FROM ('"
                    + m.atDay(1) + " 00:00:00+00') TO ('" + m.plusMonths(1).atDay(1) + " 00:00:00+00')");
        }
        UUID oldResult = UUID.randomUUID();
        String startedAt = expired.atDay(10) + " 12:00:00+00";
        sql("INSERT INTO result (result_id, started_at, ingested_at, survey_id, task_id, site_id, requirement_id, vantage, "
                + "agent_id, kind, target, outcome, body) VALUES ('" + oldResult + "', '" + startedAt + "', now(), '"
                + UUID.randomUUID() + "', '" + UUID.randomUUID() + "', 'retention-site', 'inbound.https', 'internet', "
                + "'agent-1', 'tcp', '192.0.2.10', 'OPEN', '{}')");
        sql("INSERT INTO latest_status (site_id, requirement_id, vantage, target, probe, outcome, result_id, survey_id, "
                + "agent_id, started_at) VALUES ('retention-site', 'inbound.https', 'internet', '192.0.2.10', 'tcp 443', "
                + "'OPEN', '" + oldResult + "', '" + UUID.randomUUID() + "', 'agent-1', '" + startedAt + "')");

        assertThat(partitions.dropExpired()).isGreaterThanOrEqualTo(2);

        assertThat(partitionExists(expired)).isFalse();
        assertThat(partitionExists(alsoExpired)).isFalse();
        assertThat(partitionExists(straddling)).as("partly within the retention").isTrue();
        assertThat(partitionExists(recent)).isTrue();
        for (int ahead = -1; ahead <= 3; ahead++) {
            assertThat(partitionExists(now.plusMonths(ahead))).isTrue();
        }
        assertThat(Db.count("SELECT count(*) FROM latest_status WHERE result_id = ?", oldResult)).isEqualTo(1);
        assertThat(partitions.dropExpired()).as("nothing left to drop").isZero();
    }

    private static boolean partitionExists(YearMonth m) {
        return Db.count("SELECT count(*) FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid "
                + "WHERE i.inhparent = 'result'::regclass AND c.relname = ?", "result_" + m.format(NAME)) == 1;
    }

    private static void sql(String sql) throws SQLException {
        try (Connection c = TestPostgres.database().connect(); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }
}
