package dev.vantage.agent.responder;

import dev.vantage.wire.PortRange;
import dev.vantage.wire.ReceiptEvidence.Skipped;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * The ports a window was asked for and those it skipped because another process holds them, written as the
 * maximal ranges its report names them by.
 */
final class HeldPorts {
    private final List<PortRange> tcp;
    private final List<PortRange> udp;
    private final SortedSet<Integer> skippedTcp = new TreeSet<>();
    private final SortedSet<Integer> skippedUdp = new TreeSet<>();

    /** @param tcp the TCP ports asked for; @param udp the UDP ports (echo and RTP) asked for */
    HeldPorts(List<PortRange> tcp, List<PortRange> udp) {
        this.tcp = List.copyOf(tcp);
        this.udp = List.copyOf(udp);
    }

    synchronized void skip(boolean isTcp, int port) {
        (isTcp ? skippedTcp : skippedUdp).add(port);
    }

    synchronized int skippedCount() {
        return skippedTcp.size() + skippedUdp.size();
    }

    /** The ports held: those asked for less the skipped ones, in port order. */
    synchronized List<PortRange> listened() {
        List<PortRange> out = new ArrayList<>(minus(tcp, skippedTcp));
        out.addAll(minus(udp, skippedUdp));
        out.sort(null);
        return out;
    }

    /** The ports skipped, with the reason, in port order. */
    synchronized List<Skipped> skipped() {
        List<Skipped> out = new ArrayList<>();
        ranges(skippedTcp).forEach(r -> out.add(new Skipped(r, Receipts.IN_USE)));
        ranges(skippedUdp).forEach(r -> out.add(new Skipped(r, Receipts.IN_USE)));
        out.sort(Comparator.comparing(Skipped::ports));
        return out;
    }

    /** The ports as maximal ranges, in port order. */
    static List<PortRange> ranges(SortedSet<Integer> ports) {
        List<PortRange> out = new ArrayList<>();
        int first = -1;
        int last = -1;
        for (int port : ports) {
            if (first < 0 || port != last + 1) {
                if (first >= 0) {
                    out.add(new PortRange(first, last));
                }
                first = port;
            }
            last = port;
        }
        if (first >= 0) {
            out.add(new PortRange(first, last));
        }
        return out;
    }

    /** The ranges without the given ports, as maximal ranges. */
    static List<PortRange> minus(List<PortRange> ranges, SortedSet<Integer> ports) {
        List<PortRange> out = new ArrayList<>();
        for (PortRange r : ranges) {
            int from = r.first();
            for (int port : ports.subSet(r.first(), r.last() + 1)) {
                if (port > from) {
                    out.add(new PortRange(from, port - 1));
                }
                from = port + 1;
            }
            if (from <= r.last()) {
                out.add(new PortRange(from, r.last()));
            }
        }
        return out;
    }
}
