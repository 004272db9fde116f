package dev.vantage.coordinator.registry;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

import java.time.Instant;
import java.util.List;

/**
 * An agent as last announced by its heartbeat, with its {@link Enrolment} and the key its results must be signed
 * with ({@link AgentKeys}). The id is the agent's own, stable id.
 */
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

    /**
     * When the agent's process started, by its own clock, as its last trusted heartbeat said (null before one did):
     * the responder windows it reported open before then were lost with the process before.
     */
    @Column(name = "started_at")
    public Instant startedAt;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    public Enrolment.State enrolment = Enrolment.State.PENDING;

    /** For an agent approved over the API (not listed in its site file): the roles it may play. */
    @JdbcTypeCode(SqlTypes.JSON)
    @Column(name = "approved_roles")
    public List<String> approvedRoles;

    @Column(name = "decided_by")
    public String decidedBy;

    @Column(name = "decided_at")
    public Instant decidedAt;

    /** Why the last heartbeat was not trusted; null when it was. */
    @Column(name = "heartbeat_problem")
    public String heartbeatProblem;

    /** Fingerprint of the key bound to the agent: its results are accepted only when signed with it. */
    @Column(name = "key_id")
    public String keyId;

    /** The bound public key, base64 X.509. */
    @Column(name = "public_key")
    public String publicKey;

    @Column(name = "key_bound_at")
    public Instant keyBoundAt;

    @Column(name = "key_bound_by")
    public String keyBoundBy;

    /** A key the agent announces that is not the bound one: trusted for nothing until an operator approves it. */
    @Column(name = "pending_key_id")
    public String pendingKeyId;

    @Column(name = "pending_public_key")
    public String pendingPublicKey;

    /** When the agent first announced the pending key. */
    @Column(name = "pending_key_seen_at")
    public Instant pendingKeySeenAt;

    public static List<Agent> ofSite(String siteId) {
        return list("siteId", siteId);
    }
}
