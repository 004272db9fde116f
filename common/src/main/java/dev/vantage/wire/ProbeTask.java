package dev.vantage.wire;

import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;

/**
 * One probe to run, as planned for one vantage.
 *
 * @param schemaVersion {@link Wire#SCHEMA_VERSION}
 * @param taskId        deterministic for (site, requirement, vantage, kind, target, ports, params)
 *                      within a plan, so re-planning gives the same ids
 * @param surveyId      the survey this task belongs to; null in standalone mode
 * @param siteId        the site
 * @param vantage       the role the probing agent plays (its vantage point)
 * @param agentId       the agent that must run it; null while only planned
 * @param requirementId the catalog requirement this task proves
 * @param kind          which probe
 * @param target        host name or address to probe (for {@code respond}: the address to bind)
 * @param ports         port or range; null for kinds without a port (dns)
 * @param params        kind-specific parameters (e.g. {@code transport=udp}, {@code expect=203.0.113.5},
 *                      {@code server=10.0.0.53}, {@code responder=true}); sorted for stable encoding
 * @param timeout       per-attempt timeout
 */
public record ProbeTask(
        int schemaVersion,
        String taskId,
        String surveyId,
        String siteId,
        String vantage,
        String agentId,
        String requirementId,
        ProbeKind kind,
        String target,
        PortRange ports,
        Map<String, String> params,
        Duration timeout) {

    public ProbeTask {
        params = params == null ? Map.of() : java.util.Collections.unmodifiableMap(new TreeMap<>(params));
    }

    public String param(String name, String fallback) {
        return params.getOrDefault(name, fallback);
    }
}
