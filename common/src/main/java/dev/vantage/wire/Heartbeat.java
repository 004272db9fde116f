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
 */
public record Heartbeat(
        int schemaVersion,
        String agentId,
        String siteId,
        List<String> roles,
        String version,
        List<String> capabilities,
        Instant sentAt) {

    public Heartbeat {
        roles = roles == null ? List.of() : List.copyOf(roles);
        capabilities = capabilities == null ? List.of() : List.copyOf(capabilities);
    }
}
