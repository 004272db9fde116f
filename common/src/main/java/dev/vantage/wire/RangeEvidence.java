package dev.vantage.wire;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a port sweep (tcp-range, udp-range) saw, as contiguous sub-ranges per outcome, so a rule
 * that opened 30000-31999 instead of 30000-34999 is named exactly.
 *
 * @param segments    the probed range cut into maximal runs of one outcome, in port order
 * @param counts      ports per outcome
 * @param concurrency the most probes in flight at once
 * @param rate        the rate cap in probes per second
 * @param ports       per-port outcome, only when asked for ({@code detail=ports}), otherwise null
 */
public record RangeEvidence(
        List<Segment> segments,
        Map<Outcome, Integer> counts,
        int concurrency,
        int rate,
        Map<Integer, Outcome> ports) implements Evidence {

    public RangeEvidence {
        segments = segments == null ? List.of() : List.copyOf(segments);
        counts = counts == null ? Map.of() : java.util.Collections.unmodifiableMap(new TreeMap<>(counts));
        ports = ports == null ? null : java.util.Collections.unmodifiableMap(new TreeMap<>(ports));
    }

    /** One maximal run of ports that ended in the same outcome. */
    public record Segment(Outcome outcome, PortRange ports) {
    }
}
