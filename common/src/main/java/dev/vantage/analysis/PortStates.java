package dev.vantage.analysis;

import dev.vantage.wire.Outcome;
import dev.vantage.wire.PortRange;
import dev.vantage.wire.ProbeKind;
import dev.vantage.wire.ProbeResult;
import dev.vantage.wire.RangeEvidence;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * How port outcomes read as path states, and how a sweep's sub-ranges are read (checked to cover the
 * asked range exactly once, in order, and to agree with the overall outcome).
 */
final class PortStates {
    /** What a port-level observation says about the path. */
    enum PathState {
        /** Something came back from the far side: handshake, protocol answer, reset, ICMP port unreachable. */
        REACHED,
        /** A reset or ICMP port unreachable: the path is open, nothing listens (kept apart from REACHED for the verdict). */
        REFUSED,
        /** Nothing came back although something had to answer. */
        SILENT,
        /** ICMP unreachable / prohibited. */
        REJECTED,
        /** UDP silence where nothing was obliged to answer. */
        UNKNOWN,
        /**
         * Ports of a sweep the agent could not probe ({@code ERROR}: its deadline passed first, or the datagram never
         * left the host): nothing about the path.
         */
        NOT_PROBED
    }

    /** Ports with one outcome: a single port, or a sub-range of a sweep. */
    record Seg(PortRange ports, Outcome outcome) {
    }

    /** Ports with one outcome and one reading: a sub-range cut where the responder's report says it was not there. */
    record Part(PortRange ports, Outcome outcome, PathState state) {
    }

    private PortStates() {
    }

    static boolean isPortOutcome(Outcome o) {
        return o == Outcome.OPEN || o == Outcome.CLOSED || o == Outcome.FILTERED || o == Outcome.UNREACHABLE
                || o == Outcome.OPEN_OR_FILTERED;
    }

    /**
     * The sub-ranges as read: ports the responder's closing report says it did not hold are read as if no
     * responder had been planned there (what the probe saw decides, nothing is assumed about the responder).
     */
    static List<Part> parts(Judged j, List<Seg> segs) {
        List<PortRange> absent = j.notHeld.stream().map(ResponderAccount.Gap::ports).toList();
        List<Part> parts = new ArrayList<>();
        for (Seg s : segs) {
            List<PortRange> without = PortSets.intersect(List.of(s.ports()), absent);
            List<PortRange> with = PortSets.minus(List.of(s.ports()), absent);
            List<Part> cut = new ArrayList<>();
            with.forEach(p -> cut.add(new Part(p, s.outcome(), state(j, s.outcome(), j.responderExpected()))));
            without.forEach(p -> cut.add(new Part(p, s.outcome(), state(j, s.outcome(), false))));
            cut.sort(java.util.Comparator.comparing(Part::ports));
            parts.addAll(cut);
        }
        return parts;
    }

    static PathState state(Judged j, Outcome o, boolean responder) {
        return switch (o) {
            case ERROR -> PathState.NOT_PROBED;
            case FILTERED -> PathState.SILENT;
            case UNREACHABLE -> PathState.REJECTED;
            case OPEN_OR_FILTERED -> answerExpected(j, responder) ? PathState.SILENT : PathState.UNKNOWN;
            // ICMP port unreachable across a UDP media range without a responder proves the path: media ports
            // are bound per call, so an idle range answers "nothing here" once the packets get through
            case CLOSED -> j.task.kind() == ProbeKind.UDP_RANGE && !responder ? PathState.REACHED : PathState.REFUSED;
            default -> PathState.REACHED;
        };
    }

    /** Whether a silent UDP datagram or stream had something obliged to answer it. */
    private static boolean answerExpected(Judged j, boolean responder) {
        ProbeKind k = j.task.kind();
        return responder || k == ProbeKind.SIP || k == ProbeKind.RTP || k == ProbeKind.NAT;
    }

    /**
     * The sub-ranges of a sweep, or null when the result cannot be used (the verdict then says why: the
     * evidence contradicts itself, or the outcome is none a sweep reports).
     */
    static List<Seg> segments(Judged j) {
        ProbeResult r = j.result;
        PortRange asked = j.task.ports();
        List<Seg> segs = new ArrayList<>();
        if (r.evidence() instanceof RangeEvidence e && !e.segments().isEmpty()) {
            int next = asked.first();
            Set<Outcome> distinct = new HashSet<>();
            for (RangeEvidence.Segment s : e.segments()) {
                if (s == null || s.ports() == null || s.outcome() == null || s.ports().first() != next
                        || s.ports().last() > asked.last()) {
                    Judge.conflict(j, "the sweep's sub-ranges do not cover " + asked + " exactly once, in order");
                    return null;
                }
                // a sweep may leave some ports ERROR (not probed); the others still say what they say
                if (!isPortOutcome(s.outcome()) && !(s.outcome() == Outcome.ERROR && r.outcome() == Outcome.MIXED)) {
                    Judge.notUnderstood(j);
                    return null;
                }
                segs.add(new Seg(s.ports(), s.outcome()));
                distinct.add(s.outcome());
                next = s.ports().last() + 1;
            }
            if (next != asked.last() + 1) {
                Judge.conflict(j, "the sweep's sub-ranges end at " + (next - 1) + ", the task asked for " + asked);
                return null;
            }
            boolean consistent = distinct.size() == 1 ? distinct.contains(r.outcome()) : r.outcome() == Outcome.MIXED;
            if (!consistent) {
                Judge.conflict(j, "the sweep says " + r.outcome() + " overall but its sub-ranges say "
                        + segs.stream().map(s -> s.outcome() + " " + s.ports()).collect(Collectors.joining(", ")));
                return null;
            }
        } else if (r.outcome() == Outcome.MIXED) {
            Judge.conflict(j, "the sweep says MIXED without naming the sub-ranges");
            return null;
        } else if (isPortOutcome(r.outcome())) {
            segs.add(new Seg(asked, r.outcome()));
        } else {
            Judge.notUnderstood(j);
            return null;
        }
        return segs;
    }
}
