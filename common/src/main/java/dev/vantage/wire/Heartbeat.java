package dev.vantage.wire;

import java.time.Instant;
import java.util.List;

/**
 * What an agent announces about itself, periodically, on {@link Topics#HEARTBEATS} (key = agent id).
 *
 * @param schemaVersion {@link Wire#SCHEMA_VERSION} of the sender
 * @param agentId       stable id of the agent, unique across all sites
 * @param siteId        the site the agent belongs to
 * @param roles         catalog roles the agent plays at its site (its vantages)
 * @param version       agent software version
 * @param capabilities  probe kinds the agent can run, by wire name
 * @param sentAt        the agent's clock when sending, so the coordinator can spot clock skew
 * @param publicKey     the agent's own Ed25519 public key (base64 X.509), which signs its results; the coordinator
 *                      trusts it only once it is bound to the agent id (site file listing or operator approval)
 * @param keyId         fingerprint of {@code publicKey} ({@code dev.vantage.trust.Ed25519Keys#fingerprint})
 * @param startedAt     the agent's clock when this agent process started (null from agents before it was added): a
 *                      responder window opened before it was lost with the process before, and never reports
 */
public record Heartbeat(
        int schemaVersion,
        String agentId,
        String siteId,
        List<String> roles,
        String version,
        List<String> capabilities,
        Instant sentAt,
        String publicKey,
        String keyId,
        Instant startedAt) {

    public Heartbeat {
        roles = roles == null ? List.of() : List.copyOf(roles);
        capabilities = capabilities == null ? List.of() : List.copyOf(capabilities);
    }

    /** A heartbeat without {@code startedAt}, as agents sent them before it was added. */
    public Heartbeat(int schemaVersion, String agentId, String siteId, List<String> roles, String version,
                     List<String> capabilities, Instant sentAt, String publicKey, String keyId) {
        this(schemaVersion, agentId, siteId, roles, version, capabilities, sentAt, publicKey, keyId, null);
    }
}
