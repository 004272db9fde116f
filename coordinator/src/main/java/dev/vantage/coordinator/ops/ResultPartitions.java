package dev.vantage.coordinator.ops;

import dev.vantage.coordinator.CoordinatorConfig;
import io.agroal.api.AgroalDataSource;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.time.Period;
import java.time.ZoneOffset;

/**
 * Keeps the monthly partitions of the result table: created ahead of time, and dropped once they fall out
 * of the retention ({@code vantage.results.retention}), at startup and daily, with the SQL functions the
 * migrations define. Both take an advisory lock, so replicas do not collide and a partition is dropped
 * once. A result whose start time has no partition could not be stored, so the months ahead are the
 * margin.
 */
@ApplicationScoped
public class ResultPartitions {
    private static final Logger LOG = Logger.getLogger(ResultPartitions.class);

    private final AgroalDataSource db;
    private final int monthsAhead;
    private final Period retention;
    private final Clock clock = Clock.systemUTC();

    public ResultPartitions(AgroalDataSource db, CoordinatorConfig config) {
        this.db = db;
        this.monthsAhead = config.partitions().monthsAhead();
        this.retention = config.results().retention();
        Instant now = Instant.now();
        // shorter than a month would drop last month's partition, which the create job keeps for late results
        if (retention.isNegative() || cutoff(retention, now).isAfter(now.atOffset(ZoneOffset.UTC).minusMonths(1).toInstant())) {
            throw new IllegalStateException("vantage.results.retention is " + retention
                    + ": results must be kept at least one month (e.g. P13M)");
        }
    }

    void onStart(@Observes StartupEvent event) {
        ensure();
        dropExpired();
    }

    @Scheduled(every = "24h", delayed = "1h", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void daily() {
        ensure();
        dropExpired();
    }

    /** Creates the missing partitions; returns how many it created, or -1 when the database could not be reached. */
    public int ensure() {
        try (Connection c = db.getConnection();
             PreparedStatement s = c.prepareStatement("SELECT vantage_create_result_partitions(?)")) {
            s.setInt(1, monthsAhead);
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                int created = rs.getInt(1);
                if (created > 0) {
                    LOG.infof("created %d monthly result partitions (%d months ahead)", created, monthsAhead);
                }
                return created;
            }
        } catch (SQLException e) {
            LOG.errorf("could not create result partitions ahead (%s); retrying with the next daily run", e.getMessage());
            return -1;
        }
    }

    /**
     * Drops the partitions whose results are all older than the retention; returns how many it dropped, or -1
     * when another replica is doing it at the same moment or the database could not be reached.
     */
    public int dropExpired() {
        Instant before = cutoff(retention, clock.instant());
        try (Connection c = db.getConnection();
             PreparedStatement s = c.prepareStatement("SELECT vantage_drop_result_partitions(?)")) {
            s.setTimestamp(1, Timestamp.from(before));
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                int dropped = rs.getInt(1);
                if (dropped > 0) {
                    LOG.infof("dropped %d monthly result partitions with results before %s (retention %s)", dropped,
                            before, retention);
                }
                return dropped;
            }
        } catch (SQLException e) {
            LOG.errorf("could not drop expired result partitions (%s); retrying with the next daily run", e.getMessage());
            return -1;
        }
    }

    private static Instant cutoff(Period retention, Instant now) {
        return now.atOffset(ZoneOffset.UTC).minus(retention).toInstant();
    }
}
