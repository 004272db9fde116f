package dev.vantage.change;

import dev.vantage.analysis.PortSets;
import dev.vantage.wire.PortRange;

import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/** Port lists as changes write them: merged, compared, and as text ({@code 5060, 30000-34999}). */
final class Ports {
    private Ports() {
    }

    static List<PortRange> merge(List<PortRange> ranges) {
        return PortSets.merge(ranges);
    }

    static boolean overlap(List<PortRange> a, List<PortRange> b) {
        return PortSets.overlaps(a, b);
    }

    /** Every port of {@code part} is in {@code whole}, and {@code whole} has more. */
    static boolean properPart(List<PortRange> part, List<PortRange> whole) {
        return !part.isEmpty() && PortSets.covers(whole, part) && PortSets.count(whole) > PortSets.count(part);
    }

    /** {@code 5060, 30000-34999}. */
    static String text(List<PortRange> ranges) {
        return merge(ranges).stream().map(PortRange::toString).collect(Collectors.joining(", "));
    }

    /** {@code UDP 30000-34999}, or the ports alone when the protocol is not one. */
    static String text(String protocol, List<PortRange> ranges) {
        return (protocol == null ? "" : protocol.toUpperCase(Locale.ROOT) + " ") + text(ranges);
    }
}
