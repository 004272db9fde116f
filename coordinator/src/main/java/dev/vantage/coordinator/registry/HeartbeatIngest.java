package dev.vantage.coordinator.registry;

import dev.vantage.coordinator.ingest.Retry;
import dev.vantage.wire.Heartbeat;
import dev.vantage.wire.MalformedMessageException;
import dev.vantage.wire.Wire;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.smallrye.reactive.messaging.annotations.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.regex.Pattern;

/**
 * Keeps the agent registry current from the heartbeats agents publish. A heartbeat that cannot be
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

    private final Clock clock;

    public HeartbeatIngest() {
        this(Clock.systemUTC());
    }

    HeartbeatIngest(Clock clock) {
        this.clock = clock;
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
        if (hb.version() == null || hb.sentAt() == null) {
            throw new MalformedMessageException("heartbeat of agent " + hb.agentId() + " lacks version or sentAt");
        }
        return hb;
    }

    private void store(Heartbeat hb) {
        Instant now = clock.instant();
        Agent agent = Agent.findById(hb.agentId());
        if (agent == null) {
            agent = new Agent();
            agent.id = hb.agentId();
            agent.firstSeenAt = now;
            LOG.infof("agent %s of site %s announced itself (roles %s, version %s)",
                    hb.agentId(), hb.siteId(), hb.roles(), hb.version());
        } else if (agent.agentClockAt != null && hb.sentAt().isBefore(agent.agentClockAt)) {
            return; // an older heartbeat delivered late: the newer one already holds
        }
        agent.siteId = hb.siteId();
        agent.roles = hb.roles();
        agent.version = hb.version();
        agent.capabilities = hb.capabilities();
        agent.lastSeenAt = now;
        agent.agentClockAt = hb.sentAt();
        agent.persist();
    }

    private static void requireId(String field, String value) {
        if (value == null || !ID.matcher(value).matches()) {
            throw new MalformedMessageException("heartbeat field " + field + " is '" + value
                    + "': expected 1-128 letters, digits, '.', '_' or '-'");
        }
    }
}
