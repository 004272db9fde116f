package dev.vantage.wire;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What one probe observed: a common envelope plus per-kind {@link Evidence}.
 *
 * @param schemaVersion      {@link Wire#SCHEMA_VERSION}
 * @param resultId           unique per execution (UUID); a re-sent result keeps its id, so ingest
 *                           can drop duplicates
 * @param taskId             the task this answers
 * @param surveyId           the survey, or null in standalone mode
 * @param siteId             the site
 * @param vantage            the role the agent probed from
 * @param agentId            the agent that probed
 * @param agentVersion       its software version
 * @param requirementId      the requirement the task proves
 * @param kind               probe kind
 * @param target             the target as given in the task (name or address)
 * @param ports              port or range probed, null where none
 * @param outcome            what was observed
 * @param sourceAddress      local address actually used, {@code ip:port} where known
 * @param destinationAddress remote address actually used, {@code ip:port} where known
 * @param addressFamily      {@code ipv4}, {@code ipv6}, or null where no address was used
 * @param protocol           transport or application protocol used ({@code tcp}, {@code udp}, {@code tls}, ...)
 * @param startedAt          when the probe started
 * @param timingsMicros      duration of each phase in microseconds ({@code resolve}, {@code connect},
 *                           {@code handshake}, {@code request}, {@code total})
 * @param summary            one line a person can read: what happened, with addresses and ports
 * @param evidence           the per-kind detail, may be null
 */
public record ProbeResult(
        int schemaVersion,
        String resultId,
        String taskId,
        String surveyId,
        String siteId,
        String vantage,
        String agentId,
        String agentVersion,
        String requirementId,
        ProbeKind kind,
        String target,
        PortRange ports,
        Outcome outcome,
        String sourceAddress,
        String destinationAddress,
        String addressFamily,
        String protocol,
        Instant startedAt,
        Map<String, Long> timingsMicros,
        String summary,
        Evidence evidence) {

    public ProbeResult {
        timingsMicros = timingsMicros == null ? Map.of()
                : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(timingsMicros));
    }
}
