package dev.vantage.analysis;

import dev.vantage.catalog.Catalog;
import dev.vantage.catalog.Expectation;
import dev.vantage.catalog.Requirement;
import dev.vantage.catalog.Zone;
import dev.vantage.wire.Outcome;
import dev.vantage.wire.PortEvidence;
import dev.vantage.wire.PortRange;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static dev.vantage.analysis.DiagnosisCode.*;
import static dev.vantage.analysis.Phrasing.from;
import static dev.vantage.analysis.Phrasing.list;
import static dev.vantage.analysis.Phrasing.proto;
import static dev.vantage.analysis.Phrasing.refusal;
import static dev.vantage.analysis.VerdictStatus.FAIL;
import static dev.vantage.analysis.VerdictStatus.INCONCLUSIVE;
import static dev.vantage.analysis.VerdictStatus.PARTIAL;
import static dev.vantage.analysis.VerdictStatus.PASS;

/**
 * The port rules: what the port states of one probe (a single port, or the sub-ranges of a sweep) say
 * about a requirement that a port be reachable or blocked. Silence towards a role is left for the
 * cross-vantage rules to place ({@link Judged#locate}).
 */
final class PortRules {
    private final Catalog catalog;

    PortRules(Catalog catalog) {
        this.catalog = catalog;
    }

    /** A probe whose outcome is a port state (tcp, udp, or any kind that did not get past the port). */
    void judgeOutcome(Judged j) {
        if (PortStates.isPortOutcome(j.result.outcome())) {
            judge(j, List.of(new PortStates.Seg(j.task.ports(), j.result.outcome())));
        } else {
            Judge.notUnderstood(j);
        }
    }

    /** A sweep of a port range, read from its sub-ranges. */
    void judgeRange(Judged j) {
        List<PortStates.Seg> segs = PortStates.segments(j);
        if (segs != null) {
            judge(j, segs);
        }
    }

    /** The port rules, for a single port or the sub-ranges of a sweep. */
    void judge(Judged j, List<PortStates.Seg> segs) {
        Map<PortStates.PathState, List<PortRange>> by = new EnumMap<>(PortStates.PathState.class);
        for (PortStates.Seg s : segs) {
            by.computeIfAbsent(PortStates.state(j, s.outcome()), k -> new ArrayList<>()).add(s.ports());
        }
        List<PortRange> reached = by.getOrDefault(PortStates.PathState.REACHED, List.of());
        List<PortRange> refused = by.getOrDefault(PortStates.PathState.REFUSED, List.of());
        List<PortRange> silent = by.getOrDefault(PortStates.PathState.SILENT, List.of());
        List<PortRange> rejected = by.getOrDefault(PortStates.PathState.REJECTED, List.of());
        List<PortRange> unknown = by.getOrDefault(PortStates.PathState.UNKNOWN, List.of());
        j.reached.addAll(reached);
        j.reached.addAll(refused);
        j.silent.addAll(silent);
        j.rejected.addAll(rejected);

        if (j.requirement.expect() == Expectation.BLOCKED) {
            blocked(j, segs, unknown);
            return;
        }
        List<PortRange> failing = new ArrayList<>(silent);
        failing.addAll(refused);
        failing.addAll(rejected);
        failing.sort(null);
        if (failing.isEmpty() && unknown.isEmpty()) {
            j.set(PASS, null, null);
        } else if (failing.isEmpty()) {
            j.set(INCONCLUSIVE, UDP_NO_ANSWER, proto(j) + " " + list(unknown) + " on " + j.task.target()
                    + " stayed silent from " + from(j)
                    + (reached.isEmpty() ? "" : " (" + list(reached) + " answered)")
                    + ". Without a responder UDP silence proves nothing: filtered, or open with nothing that answers"
                    + (reached.isEmpty() ? "." : ", or the host rate-limited its ICMP answers."));
        } else if (!reached.isEmpty() && silent.isEmpty() && rejected.isEmpty()) {
            partlyListening(j, reached, refused);
        } else if (!reached.isEmpty()) {
            j.set(PARTIAL, RANGE_PARTIAL, proto(j) + " " + j.task.ports() + " on " + j.task.target() + " from " + from(j)
                    + ": " + list(reached) + " pass, " + describeFailing(silent, refused, rejected)
                    + (reached.size() == 1 ? ". The rule covers " + list(reached) + " only."
                    : ". Passing and failing ports alternate (" + segs.size() + " sub-ranges): several rules cover parts"
                    + " of the range, or a rate limit or IPS on the path drops part of the sweep."));
            j.locate = !silent.isEmpty();
        } else {
            nothingPassed(j, silent, refused, rejected);
        }
    }

    /** A must-be-blocked port: a reset or ICMP port unreachable says nothing is exposed; only a real answer is. */
    private void blocked(Judged j, List<PortStates.Seg> segs, List<PortRange> unknown) {
        List<PortRange> answered = segs.stream().filter(s -> s.outcome() != Outcome.CLOSED
                && PortStates.state(j, s.outcome()) == PortStates.PathState.REACHED).map(PortStates.Seg::ports).toList();
        if (!answered.isEmpty()) {
            boolean outside = j.zone == Zone.OUTSIDE;
            j.set(FAIL, outside ? EXPOSED_TO_INTERNET : UNEXPECTEDLY_REACHABLE,
                    proto(j) + " " + list(answered) + " on " + j.task.target() + " answered from " + from(j)
                            + ", but it must be blocked from there" + allowedSources(j) + "."
                            + (outside ? " It is exposed to the internet: drop it at the perimeter and in the stack's firewall." : ""));
        } else if (!unknown.isEmpty()) {
            j.set(INCONCLUSIVE, UDP_NO_ANSWER, proto(j) + " " + list(unknown) + " on " + j.task.target()
                    + " stayed silent from " + from(j) + " and nothing there was obliged to answer: blocked and open"
                    + " look the same.");
        } else {
            j.set(PASS, null, null);
        }
    }

    /** Every port got through; part of them found nothing listening. */
    private static void partlyListening(Judged j, List<PortRange> reached, List<PortRange> refused) {
        if (j.responderExpected()) {
            j.set(INCONCLUSIVE, RESPONDER_NOT_RUNNING, proto(j) + " " + j.task.ports() + " on " + j.task.target()
                    + " from " + from(j) + ": " + list(reached) + " pass, " + list(refused) + " answered with " + refusal(j)
                    + ": the path is open, but the responder did not listen there (its window, or too few file"
                    + " descriptors for the whole range). Survey again.");
        } else {
            j.set(PARTIAL, SERVICE_NOT_LISTENING, proto(j) + " " + j.task.ports() + " on " + j.task.target() + " from "
                    + from(j) + ": " + list(reached) + " pass, " + list(refused) + " answered with " + refusal(j)
                    + ": the path is open, nothing listens there.");
        }
    }

    /** No port passed: the most common failure decides (silence, then ICMP rejects, then refusals). */
    private static void nothingPassed(Judged j, List<PortRange> silent, List<PortRange> refused, List<PortRange> rejected) {
        int nSilent = count(silent);
        int nRefused = count(refused);
        int nRejected = count(rejected);
        if (nSilent >= nRefused && nSilent >= nRejected) {
            if (j.isOutbound()) {
                j.set(FAIL, OUTBOUND_BLOCKED, proto(j) + " " + list(silent) + " to " + j.task.target() + " got no answer from "
                        + from(j) + ": outbound traffic to it is blocked (dropped) on the way out.");
            } else {
                j.set(FAIL, PATH_FILTERED, proto(j) + " " + list(silent) + " on " + j.task.target()
                        + " stayed silent from " + from(j) + ".");
                j.locate = true;
            }
        } else if (nRejected >= nRefused) {
            PortEvidence pe = j.result.evidence() instanceof PortEvidence p ? p : null;
            if (pe != null && "EPERM".equals(pe.error())) {
                j.set(INCONCLUSIVE, LOCAL_FIREWALL_BLOCKS, "The host of " + from(j) + " refused to send " + proto(j) + " "
                        + list(rejected) + " to " + j.task.target() + " (EPERM): a firewall on the agent's own machine, "
                        + "not the path. Allow the agent's traffic and survey again.");
            } else {
                String icmp = pe != null && pe.icmp() != null ? pe.icmp() : "ICMP unreachable";
                j.set(FAIL, EXPLICIT_REJECT, proto(j) + " " + list(rejected) + " to " + j.task.target() + " from " + from(j)
                        + " was rejected (" + icmp + (pe != null && pe.error() != null ? ", " + pe.error() : "")
                        + "): an explicit reject rule on the path.");
            }
        } else if (j.isOutbound()) {
            j.set(FAIL, OUTBOUND_BLOCKED, proto(j) + " " + list(refused) + " to " + j.task.target() + " from " + from(j)
                    + " was refused with a reset: a reject rule on the way out, or the destination refused.");
        } else if (j.responderExpected()) {
            j.set(INCONCLUSIVE, RESPONDER_NOT_RUNNING, j.task.target() + " answered " + proto(j) + " " + list(refused)
                    + " from " + from(j) + " with " + refusal(j)
                    + ": the path is open, but no Vantage responder listened there (was the " + j.destinationRole()
                    + " agent's responder window open?). Survey again with the responder running.");
        } else {
            j.set(FAIL, SERVICE_NOT_LISTENING, j.task.target() + " answered " + proto(j) + " " + list(refused) + " from "
                    + from(j) + " with " + refusal(j) + ": the path is open, but the service is not listening.");
        }
    }

    private static String describeFailing(List<PortRange> silent, List<PortRange> refused, List<PortRange> rejected) {
        List<String> parts = new ArrayList<>();
        if (!silent.isEmpty()) {
            parts.add(list(silent) + " silent (filtered)");
        }
        if (!refused.isEmpty()) {
            parts.add(list(refused) + " refused (nothing listening)");
        }
        if (!rejected.isEmpty()) {
            parts.add(list(rejected) + " rejected (ICMP)");
        }
        return String.join(", ", parts);
    }

    /** {@code " (only jtel-support, admin-network may reach it)"}, from the catalog's reachable twins of a blocked requirement. */
    private String allowedSources(Judged j) {
        Set<String> allowed = new LinkedHashSet<>();
        for (Requirement other : catalog.requirements()) {
            if (other.expect() == Expectation.REACHABLE && other.protocol() == j.requirement.protocol()
                    && other.destination().isRole() && other.destination().role().equals(j.destinationRole())
                    && other.ports().stream().anyMatch(p -> j.requirement.ports().stream().anyMatch(p::overlaps))) {
                allowed.addAll(other.sources());
            }
        }
        return allowed.isEmpty() ? "" : " (only " + String.join(", ", allowed) + " may reach it)";
    }

    private static int count(List<PortRange> ranges) {
        return ranges.stream().mapToInt(PortRange::size).sum();
    }
}
