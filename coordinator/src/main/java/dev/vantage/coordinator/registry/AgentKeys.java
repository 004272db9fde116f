package dev.vantage.coordinator.registry;

import dev.vantage.wire.Heartbeat;
import org.jboss.logging.Logger;

import java.time.Instant;

/**
 * Which key an agent's results must be signed with. Every agent makes its own Ed25519 key and announces the public
 * half in its heartbeats; the coordinator binds it to the agent id with the agent's approval, and from then on ingest
 * accepts a result only when it is signed with the bound key of the agent its task was signed for.
 *
 * <ul>
 *   <li>An approved agent without a bound key (one its site file lists, at its first trusted heartbeat; one approved
 *       before keys existed, at its first trusted heartbeat after the upgrade) has the key it announces bound.</li>
 *   <li>An agent not approved yet has the key it announces kept as pending; the operator's approval binds it.</li>
 *   <li>An agent announcing another key than its bound one keeps the bound key: the new one is pending, trusted for
 *       nothing, until an operator approves it by its key id ({@code POST /agents/{id}/key/approve}). Announcing the
 *       bound key again drops the pending one.</li>
 * </ul>
 * A heartbeat carries no proof beyond Kafka's own authentication, so the binding is trust on first use for an agent
 * the site file lists; every later change of key needs an operator.
 */
final class AgentKeys {
    private static final Logger LOG = Logger.getLogger(AgentKeys.class);

    private AgentKeys() {
    }

    /** The key a heartbeat announces; {@code trusted}: the heartbeat had no problem (site and roles). */
    static void announced(Agent agent, Heartbeat hb, boolean trusted, Instant now) {
        if (agent.keyId == null) {
            if (agent.enrolment == Enrolment.State.APPROVED && trusted) {
                bind(agent, hb.keyId(), hb.publicKey(), Enrolment.SITE_FILE.equals(agent.decidedBy) ? Enrolment.SITE_FILE
                        : "first key announced after approval by " + agent.decidedBy, now);
                LOG.infof("agent %s: key %s bound (%s)", agent.id, agent.keyId, agent.keyBoundBy);
            } else {
                pend(agent, hb, now);
            }
        } else if (agent.keyId.equals(hb.keyId())) {
            clearPending(agent);
        } else {
            if (!hb.keyId().equals(agent.pendingKeyId)) {
                LOG.warnf("agent %s announces key %s, but key %s is bound to it: results signed with the new key are "
                        + "refused until an operator approves it (POST /agents/%s/key/approve)", agent.id, hb.keyId(),
                        agent.keyId, agent.id);
            }
            pend(agent, hb, now);
        }
    }

    /** Binds the pending key, if there is one; {@code by} names who approved it. */
    static void bindPending(Agent agent, String by, Instant now) {
        if (agent.pendingKeyId != null) {
            bind(agent, agent.pendingKeyId, agent.pendingPublicKey, by, now);
        }
    }

    private static void bind(Agent agent, String keyId, String publicKey, String by, Instant now) {
        agent.keyId = keyId;
        agent.publicKey = publicKey;
        agent.keyBoundBy = by;
        agent.keyBoundAt = now;
        clearPending(agent);
    }

    private static void pend(Agent agent, Heartbeat hb, Instant now) {
        if (!hb.keyId().equals(agent.pendingKeyId)) {
            agent.pendingKeyId = hb.keyId();
            agent.pendingPublicKey = hb.publicKey();
            agent.pendingKeySeenAt = now;
        }
    }

    private static void clearPending(Agent agent) {
        agent.pendingKeyId = null;
        agent.pendingPublicKey = null;
        agent.pendingKeySeenAt = null;
    }
}
