package dev.vantage.agent.probe;

import dev.vantage.wire.Outcome;
import dev.vantage.wire.PortRange;
import dev.vantage.wire.RangeEvidence;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/** Turns per-port outcomes into contiguous segments, counts, one overall outcome and a summary. */
record RangeReport(Outcome overall, RangeEvidence evidence, String segmentsText) {

    static RangeReport of(PortRange range, Outcome[] outcomes, int concurrency, int rate, boolean perPort) {
        List<RangeEvidence.Segment> segments = new ArrayList<>();
        Map<Outcome, Integer> counts = new EnumMap<>(Outcome.class);
        int start = range.first();
        for (int i = 0; i < outcomes.length; i++) {
            counts.merge(outcomes[i], 1, Integer::sum);
            boolean last = i == outcomes.length - 1;
            if (last || outcomes[i + 1] != outcomes[i]) {
                segments.add(new RangeEvidence.Segment(outcomes[i], new PortRange(start, range.first() + i)));
                start = range.first() + i + 1;
            }
        }
        Map<Integer, Outcome> ports = null;
        if (perPort) {
            ports = new TreeMap<>();
            for (int i = 0; i < outcomes.length; i++) {
                ports.put(range.first() + i, outcomes[i]);
            }
        }
        Outcome overall = counts.size() == 1 ? counts.keySet().iterator().next() : Outcome.MIXED;
        String text = segments.size() <= 12
                ? segments.stream().map(s -> s.outcome() + " " + s.ports()).collect(Collectors.joining(", "))
                : segments.size() + " segments; " + counts.entrySet().stream()
                .map(e -> e.getKey() + " " + e.getValue()).collect(Collectors.joining(", "));
        return new RangeReport(overall, new RangeEvidence(segments, counts, concurrency, rate, ports), text);
    }
}
