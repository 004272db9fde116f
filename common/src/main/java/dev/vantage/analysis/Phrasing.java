package dev.vantage.analysis;

import dev.vantage.catalog.Protocol;
import dev.vantage.wire.PortEvidence;
import dev.vantage.wire.PortRange;

import java.util.List;
import java.util.stream.Collectors;

/**
 * The sentence parts every rule uses, so that the diagnoses name vantages, destinations, ports and
 * evidence the same way: {@code "trunk (agent carrier-side)"}, {@code "203.0.113.10:5061"},
 * {@code "TCP"}, {@code "30000-31999, 33000-34999"}.
 */
final class Phrasing {
    private static final int MAX_TEXT = 240;
    /** Sub-ranges listed one by one up to this many; more are summarised. */
    static final int MAX_LISTED = 6;

    private Phrasing() {
    }

    /** {@code "trunk (agent carrier-side)"}. */
    static String from(Judged j) {
        return j.task.vantage() + (j.agentId == null ? "" : " (agent " + j.agentId + ")");
    }

    /** The probe kind as the wire names it. */
    static String kind(Judged j) {
        return j.task.kind().wireName();
    }

    /** {@code "203.0.113.10:5061"}, the target alone when the task has no ports. */
    static String where(Judged j) {
        return j.task.ports() == null ? j.task.target() : j.task.target() + ":" + j.task.ports();
    }

    /** {@code "TCP"}, {@code "UDP"}. */
    static String proto(Judged j) {
        return j.transport.name();
    }

    /**
     * What came back as a refusal: ICMP port unreachable for UDP; a reset for TCP, or "a reset or ICMP port
     * unreachable" when the probe says the kernel could not tell the two apart.
     */
    static String refusal(Judged j) {
        if (j.transport == Protocol.UDP) {
            return "ICMP port unreachable";
        }
        PortEvidence pe = j.result != null && j.result.evidence() instanceof PortEvidence p ? p : null;
        return pe != null && pe.icmp() != null && pe.icmp().contains("port-unreachable") ? "a reset or ICMP port unreachable"
                : "a reset";
    }

    /** The ICMP message of a reject, as the probe named it ({@code "ICMP unreachable"} when it did not). */
    static String reject(Judged j) {
        PortEvidence pe = j.result != null && j.result.evidence() instanceof PortEvidence p ? p : null;
        return pe != null && pe.icmp() != null ? "ICMP " + clip(pe.icmp()) : "ICMP unreachable";
    }

    /** {@code "the stack VM's own firewall"}. */
    static String firewallOf(String role) {
        return role.equals("acd-stack") ? "the stack VM's own firewall" : "the own firewall of the " + role + " host";
    }

    static String list(List<PortRange> ranges) {
        return ranges.stream().sorted().map(PortRange::toString).collect(Collectors.joining(", "));
    }

    /**
     * Sub-ranges as a list while it is short enough to read ({@value #MAX_LISTED} or fewer), otherwise as a
     * summary: {@code "4880 ports in 45 fragments between 30006 and 34999"}. A sweep fragmented by a rate limit
     * would otherwise print dozens of sub-ranges that say nothing one by one.
     */
    static String ranges(List<PortRange> ranges) {
        if (ranges.size() <= MAX_LISTED) {
            return list(ranges);
        }
        List<PortRange> sorted = ranges.stream().sorted().toList();
        int ports = sorted.stream().mapToInt(PortRange::size).sum();
        return ports + " ports in " + sorted.size() + " fragments between " + sorted.get(0).first() + " and "
                + sorted.get(sorted.size() - 1).last();
    }

    static String join(List<String> names) {
        return String.join(", ", names);
    }

    /** A number as written in a threshold: {@code 3} rather than {@code 3.0}. */
    static String num(double d) {
        return d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d);
    }

    static String lowerFirst(String s) {
        return s.isEmpty() ? s : Character.toLowerCase(s.charAt(0)) + s.substring(1);
    }

    /** Text from an agent, fit for a sentence: control characters blanked, at most 240 characters. */
    static String clip(String s) {
        if (s == null) {
            return "(no detail)";
        }
        String t = s.replaceAll("[\\p{Cntrl}&&[^\t]]", " ").strip();
        return t.length() <= MAX_TEXT ? t : t.substring(0, MAX_TEXT) + "...";
    }
}
