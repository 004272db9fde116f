package dev.vantage.coordinator.ops;

import io.agroal.api.AgroalDataSource;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The gauge {@code vantage.surveys{state}}: surveys per state, counted every 15 s rather than on each
 * scrape, so a scrape never waits for the database.
 */
@ApplicationScoped
public class SurveyGauges {
    private static final Logger LOG = Logger.getLogger(SurveyGauges.class);
    private static final List<String> STATES = List.of("running", "closing", "completed");

    private final AgroalDataSource db;
    private final Map<String, AtomicLong> counts = new ConcurrentHashMap<>();

    public SurveyGauges(AgroalDataSource db, MeterRegistry metrics) {
        this.db = db;
        for (String state : STATES) {
            AtomicLong n = new AtomicLong();
            counts.put(state, n);
            Gauge.builder("vantage.surveys", n, AtomicLong::get).tag("state", state)
                    .description("surveys by state").register(metrics);
        }
    }

    @Scheduled(every = "15s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void refresh() {
        try (Connection c = db.getConnection();
             PreparedStatement s = c.prepareStatement("SELECT state, count(*) FROM survey GROUP BY state")) {
            STATES.forEach(state -> counts.get(state).set(0));
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    AtomicLong n = counts.get(rs.getString(1));
                    if (n != null) {
                        n.set(rs.getLong(2));
                    }
                }
            }
        } catch (SQLException e) {
            LOG.debugf("survey gauges not refreshed: %s", e.getMessage());
        }
    }
}
