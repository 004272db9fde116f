package dev.vantage.coordinator.registry;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

import java.time.Instant;
import java.util.List;

/** An agent as last announced by its heartbeat. The id is the agent's own, stable id. */
@Entity
@Table(name = "agent")
public class Agent extends PanacheEntityBase {
    @Id
    public String id;

    @Column(name = "site_id", nullable = false)
    public String siteId;

    @JdbcTypeCode(SqlTypes.JSON)
    @Column(nullable = false)
    public List<String> roles;

    @Column(nullable = false)
    public String version;

    @JdbcTypeCode(SqlTypes.JSON)
    @Column(nullable = false)
    public List<String> capabilities;

    @Column(name = "first_seen_at", nullable = false)
    public Instant firstSeenAt;

    @Column(name = "last_seen_at", nullable = false)
    public Instant lastSeenAt;

    @Column(name = "agent_clock_at", nullable = false)
    public Instant agentClockAt;

    public static List<Agent> ofSite(String siteId) {
        return list("siteId", siteId);
    }
}
