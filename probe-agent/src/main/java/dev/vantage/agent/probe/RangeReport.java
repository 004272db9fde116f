package dev.vantage.agent.probe;

import dev.vantage.wire.Outcome;
import dev.vantage.wire.PortRange;
import dev.vantage.wire.ProbeResult;
import dev.vantage.wire.RangeEvidence;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/** Turns per-port outcomes into contiguous segments, counts, one overall outcome and a summary. */
record RangeReport(Outcome overall, RangeEvidence evidence, String segmentsText) {

    /** One sweep over a range: an outcome per port, in port order; this host's own failures go to {@code errors}. */
    interface Sweep {
        Outcome[] run(SweepErrors errors) throws IOException;
    }

    /**
     * What the tcp-range and udp-range probes do once their inputs are read: sweep, time and report. Ports the
     * sweep left without an outcome (its deadline passed first) are reported as {@code ERROR}: not probed.
     */
    static ProbeResult sweep(String kind, ProbeContext.ResultBuilder result, InetAddress address,
                             PortRange range, int concurrency, int rate, boolean perPort, Deadline deadline, Sweep sweep) {
        String host = Endpoints.text(address, range.first());
        host = host.substring(0, host.lastIndexOf(':'));
        String where = kind + " " + host + ":" + range;
        result.destination(host + ":" + range).addressFamily(Endpoints.family(address))
                .source(Endpoints.source(new InetSocketAddress(address, range.first()), 0));
        long t0 = System.nanoTime();
        deadline.phase("sweep");
        Outcome[] outcomes;
        SweepErrors errors = new SweepErrors();
        try {
            outcomes = sweep.run(errors);
        } catch (IOException e) {
            return result.outcome(Outcome.ERROR).summary(where + ": could not open local sockets: " + e.getMessage())
                    .build();
        }
        result.timing("sweep", System.nanoTime() - t0);
        int unfinished = 0;
        for (int i = 0; i < outcomes.length; i++) {
            if (outcomes[i] == null) {
                outcomes[i] = Outcome.ERROR;
                unfinished++;
            }
        }
        RangeReport report = of(range, outcomes, concurrency, rate, perPort);
        String cut = unfinished == 0 ? "" : "; " + unfinished + " port(s) not probed to the end (ERROR): the sweep's"
                + " deadline of " + deadline.budget().toMillis() + " ms passed first";
        return result.outcome(report.overall()).summary(where + " " + report.overall() + ": " + report.segmentsText() + errors.summary() + cut)
                .evidence(report.evidence()).build();
    }

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
