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

/**
 * Keeps the monthly partitions of the result table created ahead of time, at startup and daily, with
 * the SQL function the migration defines (it takes an advisory lock, so replicas do not collide). A
 * result whose start time has no partition could not be stored, so the months ahead are the margin.
 */
@ApplicationScoped
public class ResultPartitions {
    private static final Logger LOG = Logger.getLogger(ResultPartitions.class);

    private final AgroalDataSource db;
    private final int monthsAhead;

    public ResultPartitions(AgroalDataSource db, CoordinatorConfig config) {
        this.db = db;
        this.monthsAhead = config.partitions().monthsAhead();
    }

    void onStart(@Observes StartupEvent event) {
        ensure();
    }

    @Scheduled(every = "24h", delayed = "1h", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void daily() {
        ensure();
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
}
