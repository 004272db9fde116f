package dev.vantage.coordinator.registry;

import dev.vantage.coordinator.ingest.Retry;
import dev.vantage.site.Site;
import dev.vantage.trust.Ed25519Keys;
import dev.vantage.wire.Heartbeat;
import dev.vantage.wire.MalformedMessageException;
import dev.vantage.wire.Wire;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.smallrye.reactive.messaging.annotations.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

import java.security.PublicKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Keeps the agent registry current from the heartbeats agents publish, enrols agents by the rules of
 * {@link Enrolment} (a trusted heartbeat of an agent its site file lists approves it), and keeps the key each agent
 * announces by the rules of {@link AgentKeys} (bound with the approval, a changed key pending until an operator
 * approves it). A heartbeat that cannot be
 * read is rejected with a {@link MalformedMessageException}; the channel's failure strategy sends
 * it to the dead-letter topic with that reason and the consumer goes on. While PostgreSQL is
 * unreachable the heartbeat is retried in place instead (a database outage is no reason to
 * dead-letter it).
 */
@ApplicationScoped
public class HeartbeatIngest {
    /** Channel name, configured in application.properties. */
    public static final String CHANNEL = "heartbeats";

    private static final Logger LOG = Logger.getLogger(HeartbeatIngest.class);
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");

    private final SiteRegistry sites;
    private final Clock clock = Clock.systemUTC();

    public HeartbeatIngest(SiteRegistry sites) {
        this.sites = sites;
    }

    @Incoming(CHANNEL)
    @Blocking
    public void onHeartbeat(byte[] payload) throws Exception {
        Heartbeat hb = check(payload);
        Retry.whileUnavailable("storing the heartbeat of agent " + hb.agentId(), Duration.ofMillis(500), () -> {
            QuarkusTransaction.requiringNew().run(() -> store(hb));
            return null;
        }, false);
    }

    private static Heartbeat check(byte[] payload) {
        Heartbeat hb = Wire.decode(payload, Heartbeat.class);
        Wire.requireSchema(hb.schemaVersion(), "heartbeat");
        requireId("agentId", hb.agentId());
        requireId("siteId", hb.siteId());
        if (hb.version() == null || hb.sentAt() == null || hb.publicKey() == null) {
            throw new MalformedMessageException("heartbeat of agent " + hb.agentId() + " lacks version, sentAt or publicKey");
        }
        PublicKey key;
        try {
            key = Ed25519Keys.publicKey(hb.publicKey());
        } catch (IllegalArgumentException e) {
            throw new MalformedMessageException("heartbeat of agent " + hb.agentId() + ": publicKey is " + e.getMessage());
        }
        String keyId = Ed25519Keys.fingerprint(key);
        if (!keyId.equals(hb.keyId())) {
            throw new MalformedMessageException("heartbeat of agent " + hb.agentId() + ": keyId '" + hb.keyId()
                    + "' is not the fingerprint of its publicKey (" + keyId + ")");
        }
        // the key as this coordinator writes it, whatever armour or line breaks the agent sent
        return new Heartbeat(hb.schemaVersion(), hb.agentId(), hb.siteId(), hb.roles(), hb.version(), hb.capabilities(),
                hb.sentAt(), Ed25519Keys.encode(key), keyId, hb.startedAt());
    }

    private void store(Heartbeat hb) {
        Instant now = clock.instant();
        Agent agent = Agent.findById(hb.agentId());
        if (agent != null && agent.agentClockAt != null && hb.sentAt().isBefore(agent.agentClockAt)) {
            return; // an older heartbeat delivered late: the newer one already holds
        }
        if (agent != null && agent.enrolment != Enrolment.State.PENDING && !agent.siteId.equals(hb.siteId())) {
            // a decision holds for the site it was made at; a heartbeat does not move an agent elsewhere
            agent.heartbeatProblem = "announces site '" + hb.siteId() + "' but is enrolled at site '" + agent.siteId
                    + "'; DELETE /agents/" + agent.id + " lets it enrol again";
            LOG.warnf("agent %s: %s", agent.id, agent.heartbeatProblem);
            return;
        }
        Optional<Site> site = sites.current(hb.siteId()).map(SiteRegistry.Versioned::site);
        String problem = Enrolment.problem(hb, site, agent);
        if (agent == null) {
            agent = new Agent();
            agent.id = hb.agentId();
            agent.firstSeenAt = now;
            LOG.infof("agent %s of site %s announced itself (roles %s, version %s)",
                    hb.agentId(), hb.siteId(), hb.roles(), hb.version());
        }
        if (problem != null && !problem.equals(agent.heartbeatProblem)) {
            LOG.warnf("agent %s: heartbeat not trusted: %s", hb.agentId(), problem);
        }
        agent.heartbeatProblem = problem;
        if (agent.enrolment == Enrolment.State.PENDING && problem == null
                && site.flatMap(s -> Enrolment.listed(s, hb.agentId())).isPresent()) {
            agent.enrolment = Enrolment.State.APPROVED;
            agent.decidedBy = Enrolment.SITE_FILE;
            agent.decidedAt = now;
            LOG.infof("agent %s approved: site %s lists it", hb.agentId(), hb.siteId());
        }
        AgentKeys.announced(agent, hb, problem == null, now);
        agent.siteId = hb.siteId();
        agent.roles = hb.roles();
        agent.version = hb.version();
        agent.capabilities = hb.capabilities();
        agent.lastSeenAt = now;
        agent.agentClockAt = hb.sentAt();
        if (problem == null && hb.startedAt() != null) {
            agent.startedAt = hb.startedAt();
        }
        agent.persist();
    }

    private static void requireId(String field, String value) {
        if (value == null || !ID.matcher(value).matches()) {
            throw new MalformedMessageException("heartbeat field " + field + " is '" + value
                    + "': expected 1-128 letters, digits, '.', '_' or '-'");
        }
    }
}
