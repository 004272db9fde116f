package dev.vantage.analysis;

import dev.vantage.catalog.Catalog;
import dev.vantage.catalog.Expectation;
import dev.vantage.catalog.Protocol;
import dev.vantage.catalog.Requirement;
import dev.vantage.catalog.Zone;
import dev.vantage.wire.Outcome;
import dev.vantage.wire.PortEvidence;
import dev.vantage.wire.PortRange;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import static dev.vantage.analysis.DiagnosisCode.*;
import static dev.vantage.analysis.Phrasing.MAX_LISTED;
import static dev.vantage.analysis.Phrasing.from;
import static dev.vantage.analysis.Phrasing.list;
import static dev.vantage.analysis.Phrasing.proto;
import static dev.vantage.analysis.Phrasing.ranges;
import static dev.vantage.analysis.Phrasing.refusal;
import static dev.vantage.analysis.VerdictStatus.FAIL;
import static dev.vantage.analysis.VerdictStatus.INCONCLUSIVE;
import static dev.vantage.analysis.VerdictStatus.PARTIAL;
import static dev.vantage.analysis.VerdictStatus.PASS;

/**
 * The port rules: what the port states of one probe (a single port, or the sub-ranges of a sweep) say
 * about a requirement that a port be reachable or blocked. Failing ports are read in {@link FailingBlock}s:
 * adjacent failures of any kind are one failure. A block that failed on the path (silence, an ICMP reject, or
 * a refusal that {@link RefusalOriginRule} showed came from the path) is left for the cross-vantage rules to
 * place ({@link Judged#locate}); a refusal nothing shows to come from the path is read as the destination's
 * own: nothing listens there.
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
        List<PortStates.Part> parts = PortStates.parts(j, segs);
        List<PortRange> unknown = new ArrayList<>();
        List<PortRange> notProbed = new ArrayList<>();
        for (PortStates.Part p : parts) {
            switch (p.state()) {
                case REACHED -> {
                    j.reached.add(p.ports());
                    if (p.outcome() == Outcome.CLOSED) {
                        j.reachedByIcmp.add(p.ports());
                    }
                }
                case REFUSED -> j.refused.add(p.ports());
                case SILENT -> j.silent.add(p.ports());
                case REJECTED -> j.rejected.add(p.ports());
                case NOT_PROBED -> notProbed.add(p.ports());
                default -> unknown.add(p.ports());
            }
        }
        if (j.requirement.expect() == Expectation.BLOCKED) {
            blocked(j, parts, unknown, notProbed);
            return;
        }
        List<FailingBlock> blocks = FailingBlock.of(parts, j.transport == Protocol.UDP);
        List<FailingBlock> onPath = new ArrayList<>();
        List<FailingBlock> atHost = new ArrayList<>();
        for (FailingBlock b : blocks) {
            (b.hasRefusals() && !j.answeredByPath(b.ports()) ? atHost : onPath).add(b);
        }
        j.blocked.addAll(FailingBlock.ports(onPath));
        j.hostRefusals.addAll(FailingBlock.ports(atHost));
        if (blocks.isEmpty()) {
            if (unknown.isEmpty() && !notProbed.isEmpty()) {
                notProbed(j, notProbed);
            } else if (unknown.isEmpty()) {
                j.set(PASS, null, null);
            } else {
                noAnswer(j, unknown);
            }
        } else if (onPath.isEmpty()) {
            notListening(j, atHost);
        } else if (!j.reached.isEmpty()) {
            j.set(PARTIAL, RANGE_PARTIAL, proto(j) + " " + j.task.ports() + " on " + j.task.target() + " from " + from(j)
                    + ": " + ranges(j.reached) + " pass, " + describe(j, blocks)
                    + (j.reached.size() == 1 ? ". The rule covers " + list(j.reached) + " only."
                    : ". Passing and failing ports alternate (" + segs.size() + " sub-ranges): several rules cover parts"
                    + " of the range, or a rate limit or IPS on the path drops part of the sweep."));
            j.locate = true;
        } else {
            nothingPassed(j, onPath);
        }
    }

    /** A must-be-blocked port: a reset or ICMP port unreachable says nothing is exposed; only a real answer is. */
    private void blocked(Judged j, List<PortStates.Part> parts, List<PortRange> unknown, List<PortRange> notProbed) {
        List<PortRange> answered = parts.stream().filter(p -> p.outcome() != Outcome.CLOSED
                && p.state() == PortStates.PathState.REACHED).map(PortStates.Part::ports).toList();
        if (!answered.isEmpty()) {
            boolean outside = j.zone == Zone.OUTSIDE;
            j.set(FAIL, outside ? EXPOSED_TO_INTERNET : UNEXPECTEDLY_REACHABLE,
                    proto(j) + " " + list(answered) + " on " + j.task.target() + " answered from " + from(j)
                            + ", but it must be blocked from there" + allowedSources(j) + "."
                            + (outside ? " It is exposed to the internet: drop it at the perimeter and in the stack's firewall." : ""));
        } else if (!unknown.isEmpty()) {
            j.set(INCONCLUSIVE, UDP_NO_ANSWER, proto(j) + " " + ranges(unknown) + " on " + j.task.target()
                    + " stayed silent from " + from(j) + " and nothing there was obliged to answer: blocked and open"
                    + " look the same.");
        } else if (!notProbed.isEmpty()) {
            notProbed(j, notProbed);
        } else {
            j.set(PASS, null, null);
        }
    }

    /** Every port the sweep probed is as required, but some it could not probe: not proven, and not the network's fault. */
    private static void notProbed(Judged j, List<PortRange> notProbed) {
        j.set(INCONCLUSIVE, PROBE_ERROR, proto(j) + " " + j.task.ports() + " on " + j.task.target() + " from " + from(j)
                + ": every port probed is as required, but " + ranges(notProbed) + " could not be probed (" + Phrasing.clip(j.result.summary())
                + "). This is a problem of the agent, not a network finding: survey again, at a lower rate if the"
                + " agent's send queue was full.");
    }

    /** UDP silence where nothing was obliged to answer: nothing is proven. */
    private static void noAnswer(Judged j, List<PortRange> unknown) {
        List<PortRange> reached = j.reached;
        String notHeld = j.responderExpected() ? j.notHeldReason(unknown) : null;
        if (notHeld != null) {
            j.set(INCONCLUSIVE, RESPONDER_NOT_RUNNING, proto(j) + " " + ranges(unknown) + " on " + j.task.target()
                    + " stayed silent from " + from(j) + (reached.isEmpty() ? "" : " (" + ranges(reached) + " answered)")
                    + ", where the responder of " + j.destinationRole() + " did not listen (its report: " + notHeld
                    + ") and nothing else is obliged to answer: those ports are not proven.");
        } else if (unknown.size() > MAX_LISTED) {
            j.set(INCONCLUSIVE, UDP_NO_ANSWER, proto(j) + " " + j.task.ports() + " on " + j.task.target() + " from "
                    + from(j) + ": " + ranges(unknown) + " stayed silent" + (reached.isEmpty() ? "" : ", "
                    + ranges(reached) + " answered with ICMP port unreachable") + ". Answers and silence alternate: the host,"
                    + " or a device on the path, rate-limits its ICMP answers, so the silent ports may be open as well."
                    + " Without a responder UDP silence proves nothing.");
        } else {
            j.set(INCONCLUSIVE, UDP_NO_ANSWER, proto(j) + " " + list(unknown) + " on " + j.task.target()
                    + " stayed silent from " + from(j)
                    + (reached.isEmpty() ? "" : " (" + ranges(reached) + " answered)")
                    + ". Without a responder UDP silence proves nothing: filtered, or open with nothing that answers"
                    + (reached.isEmpty() ? "." : ", or the host rate-limited its ICMP answers."));
        }
    }

    /** Every failure is a refusal read as the destination's own: the path is open, nothing listens there. */
    private static void notListening(Judged j, List<FailingBlock> atHost) {
        List<PortRange> ports = FailingBlock.ports(atHost);
        String how = refusal(j) + rateLimited(j, atHost, "the host rate-limits its answers");
        String notHeld = j.responderExpected() ? j.notHeldReason(ports) : null;
        String head = j.reached.isEmpty()
                ? j.task.target() + " answered " + proto(j) + " " + ranges(ports) + " from " + from(j) + " with " + how
                : proto(j) + " " + j.task.ports() + " on " + j.task.target() + " from " + from(j) + ": "
                + ranges(j.reached) + " pass, " + ranges(ports) + " answered with " + how;
        if (j.isOutbound()) {
            j.set(FAIL, OUTBOUND_BLOCKED, proto(j) + " " + ranges(ports) + " to " + j.task.target() + " from " + from(j)
                    + " was refused with " + how + ": a reject rule on the way out, or the destination refused.");
        } else if (notHeld != null) {
            j.set(INCONCLUSIVE, RESPONDER_NOT_RUNNING, head + ": the responder of " + j.destinationRole()
                    + " did not listen there (its report: " + notHeld + "), so those ports are not proven.");
        } else if (j.responderExpected() && j.reached.isEmpty()) {
            j.set(INCONCLUSIVE, RESPONDER_NOT_RUNNING, head + ": the path is open, but no Vantage responder listened there"
                    + " (was the " + j.destinationRole() + " agent's responder window open?). Survey again with the"
                    + " responder running.");
        } else if (j.responderExpected()) {
            j.set(INCONCLUSIVE, RESPONDER_NOT_RUNNING, head + ": the path is open, but the responder did not listen there"
                    + " (its window, or too few file descriptors for the whole range). Survey again.");
        } else if (j.reached.isEmpty()) {
            j.set(FAIL, SERVICE_NOT_LISTENING, head + ": the path is open, but the service is not listening.");
        } else {
            j.set(PARTIAL, SERVICE_NOT_LISTENING, head + ": the path is open, nothing listens there.");
        }
    }

    /** {@code " in part, silent in between (34000-34999: 12 ports answered …, 988 silent): WHY"}; empty when no block is mixed. */
    private static String rateLimited(Judged j, List<FailingBlock> blocks, String why) {
        String mixed = compositions(j, blocks);
        return mixed.isEmpty() ? "" : " in part, silent in between (" + mixed + "): " + why;
    }

    /** What came back in each block where answers and silence alternate, {@code "34000-34999: 12 ports …, 988 silent"}. */
    private static String compositions(Judged j, List<FailingBlock> blocks) {
        List<FailingBlock> mixed = blocks.stream().filter(FailingBlock::mixed).toList();
        return String.join("; ", mixed.stream().limit(MAX_LISTED)
                .map(b -> b.ports() + ": " + b.composition(refusal(j), Phrasing.reject(j))).toList())
                + (mixed.size() > MAX_LISTED ? "; ..." : "");
    }

    /** No port passed: the most common failure on the path decides (silence, then ICMP rejects, then refusals). */
    private static void nothingPassed(Judged j, List<FailingBlock> onPath) {
        FailingBlock all = FailingBlock.union(onPath);
        List<PortRange> silent = all.silent();
        List<PortRange> refused = all.refused();
        List<PortRange> rejected = all.rejected();
        int nSilent = PortSets.count(silent);
        int nRefused = PortSets.count(refused);
        int nRejected = PortSets.count(rejected);
        boolean mixed = onPath.stream().anyMatch(FailingBlock::mixed);
        String blocks = ranges(FailingBlock.ports(onPath));
        String rateLimited = mixed ? " (" + compositions(j, onPath) + "; answers and silence alternate: whatever answered"
                + " rate-limits its answers)" : "";
        if (nSilent >= nRefused && nSilent >= nRejected) {
            if (j.isOutbound()) {
                j.set(FAIL, OUTBOUND_BLOCKED, proto(j) + " " + (mixed ? blocks : ranges(silent)) + " to " + j.task.target()
                        + " got no answer from " + from(j) + rateLimited + ": outbound traffic to it is blocked (dropped) on the way out.");
            } else {
                j.set(FAIL, PATH_FILTERED, proto(j) + " " + (mixed ? blocks : ranges(silent)) + " on " + j.task.target()
                        + " stayed silent from " + from(j) + rateLimited + ".");
                j.locate = true;
            }
        } else if (nRejected >= nRefused) {
            PortEvidence pe = j.result.evidence() instanceof PortEvidence p ? p : null;
            if (pe != null && "EPERM".equals(pe.error())) {
                j.set(INCONCLUSIVE, LOCAL_FIREWALL_BLOCKS, "The host of " + from(j) + " refused to send " + proto(j) + " "
                        + ranges(rejected) + " to " + j.task.target() + " (EPERM): a firewall on the agent's own machine, "
                        + "not the path. Allow the agent's traffic and survey again.");
            } else {
                String icmp = pe != null && pe.icmp() != null ? pe.icmp() : "ICMP unreachable";
                j.set(FAIL, EXPLICIT_REJECT, proto(j) + " " + (mixed ? blocks : ranges(rejected)) + " to " + j.task.target()
                        + " from " + from(j) + " was rejected (" + icmp + (pe != null && pe.error() != null ? ", " + pe.error() : "")
                        + ")" + rateLimited + ": an explicit reject rule on the path.");
                j.locate = !j.isOutbound();
            }
        } else {
            // RefusalOriginRule found that the destination listens there: something on the path answered for it
            j.set(FAIL, PATH_FILTERED, j.task.target() + " answered " + proto(j) + " " + (mixed ? blocks : ranges(refused))
                    + " from " + from(j) + " with " + refusal(j) + rateLimited + ", although " + j.destinationRole()
                    + " listened there (" + j.pathWhy + "): something on the path answered in its place.");
            j.locate = true;
        }
    }

    /** The failing blocks of a partial range, grouped by how they failed. */
    private static String describe(Judged j, List<FailingBlock> blocks) {
        if (blocks.size() > MAX_LISTED) {
            return ranges(FailingBlock.ports(blocks)) + " fail (" + FailingBlock.union(blocks)
                    .composition(refusal(j), Phrasing.reject(j)) + ")";
        }
        List<String> parts = new ArrayList<>();
        add(parts, blocks.stream().filter(b -> !b.mixed() && !b.silent().isEmpty()).toList(), " silent (filtered)");
        add(parts, blocks.stream().filter(b -> !b.mixed() && b.hasRefusals() && !j.answeredByPath(b.ports())).toList(),
                " refused (nothing listening)");
        add(parts, blocks.stream().filter(b -> !b.mixed() && b.hasRefusals() && j.answeredByPath(b.ports())).toList(),
                " answered with " + refusal(j) + " by something on the path (" + j.pathWhy + ")");
        add(parts, blocks.stream().filter(b -> !b.mixed() && !b.rejected().isEmpty()).toList(), " rejected (ICMP)");
        blocks.stream().filter(FailingBlock::mixed).forEach(b -> parts.add(b.ports() + " fail ("
                + b.composition(refusal(j), Phrasing.reject(j)) + ": whatever answered rate-limits its answers)"));
        return String.join(", ", parts);
    }

    private static void add(List<String> parts, List<FailingBlock> blocks, String how) {
        if (!blocks.isEmpty()) {
            parts.add(list(FailingBlock.ports(blocks)) + how);
        }
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
}
