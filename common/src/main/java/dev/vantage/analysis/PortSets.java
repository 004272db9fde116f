package dev.vantage.analysis;

import dev.vantage.wire.PortRange;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/** Sets of ports as sorted, merged lists of ranges: what the rules need to compare sweeps, windows and receipts. */
final class PortSets {
    private PortSets() {
    }

    /** The ranges sorted and merged where they overlap or touch; nulls left out. */
    static List<PortRange> merge(List<PortRange> ranges) {
        List<PortRange> sorted = new ArrayList<>(ranges.stream().filter(Objects::nonNull).sorted().toList());
        List<PortRange> out = new ArrayList<>();
        for (PortRange r : sorted) {
            PortRange last = out.isEmpty() ? null : out.get(out.size() - 1);
            if (last != null && r.first() <= last.last() + 1) {
                out.set(out.size() - 1, new PortRange(last.first(), Math.max(last.last(), r.last())));
            } else {
                out.add(r);
            }
        }
        return out;
    }

    /** The ports of {@code a} that are not in {@code b}. */
    static List<PortRange> minus(List<PortRange> a, List<PortRange> b) {
        List<PortRange> out = new ArrayList<>();
        List<PortRange> cut = merge(b);
        for (PortRange r : merge(a)) {
            int next = r.first();
            for (PortRange c : cut) {
                if (c.last() < next || c.first() > r.last()) {
                    continue;
                }
                if (c.first() > next) {
                    out.add(new PortRange(next, c.first() - 1));
                }
                next = c.last() + 1;
                if (next > r.last()) {
                    break;
                }
            }
            if (next <= r.last()) {
                out.add(new PortRange(next, r.last()));
            }
        }
        return out;
    }

    /** The ports in both. */
    static List<PortRange> intersect(List<PortRange> a, List<PortRange> b) {
        return minus(a, minus(a, b));
    }

    /** Every port of {@code part} is in {@code whole}. */
    static boolean covers(List<PortRange> whole, List<PortRange> part) {
        return minus(part, whole).isEmpty();
    }

    static boolean overlaps(List<PortRange> a, List<PortRange> b) {
        for (PortRange x : a) {
            for (PortRange y : b) {
                if (x != null && y != null && x.overlaps(y)) {
                    return true;
                }
            }
        }
        return false;
    }

    /** How many ports. */
    static int count(List<PortRange> ranges) {
        return merge(ranges).stream().mapToInt(PortRange::size).sum();
    }
}
