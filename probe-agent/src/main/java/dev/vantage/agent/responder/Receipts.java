package dev.vantage.agent.responder;

import dev.vantage.net.IpAddress;
import dev.vantage.wire.PortRange;
import dev.vantage.wire.ReceiptEvidence;
import dev.vantage.wire.ReceiptEvidence.Kind;
import dev.vantage.wire.ReceiptEvidence.Receipt;
import dev.vantage.wire.ReceiptEvidence.Skipped;

import java.net.InetAddress;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What reached a responder window, per kind, source address and task tag: the ports that received (a bit per port
 * of the window), how many packets or connections, the first and last time. Bounded in memory: at most
 * {@link #MAX_TRACKED} (kind, source, tag) entries with a task tag and as many without are kept apart (so that
 * connections from strangers cannot crowd out the survey's probes), further ones are counted together per kind.
 * Traffic that carries no survey nonce (a datagram that is not a Vantage request, a SIP request that is not a
 * Vantage probe's) is counted apart as stray, never as a vantage's. At the end of the window
 * {@link #evidence} sums it up as a {@link ReceiptEvidence} within that record's bounds. Thread-safe: the
 * responder's selector thread and the SIP UAS's threads record into it.
 */
public final class Receipts {
    /** (kind, source, tag) entries kept apart in memory, with a tag and without each; a bit per port of the window. */
    static final int MAX_TRACKED = 1024;
    /** Why a port was skipped when another process holds it. */
    public static final String IN_USE = "in use by another process";

    private final int base;
    private final Clock clock;
    private final Map<Key, Entry> entries = new HashMap<>();
    private final Map<Kind, Entry> overflow = new EnumMap<>(Kind.class);
    private long stray;
    /** Entries with and without a task tag: each kind of key has its own room, so strays cannot crowd out a task. */
    private int tagged;
    private int untagged;

    /** The source stays an address until the report: formatting it for every packet would cost more than the rest. */
    private record Key(Kind kind, InetAddress source, String tag) {
    }

    private static final class Entry {
        final BitSet ports = new BitSet();
        long count;
        Instant first;
        Instant last;

        void add(int index, long n, Instant at) {
            ports.set(index);
            count += n;
            first = first == null || at.isBefore(first) ? at : first;
            last = last == null || at.isAfter(last) ? at : last;
        }

        void absorb(Entry other) {
            ports.or(other.ports);
            count += other.count;
            first = first == null || (other.first != null && other.first.isBefore(first)) ? other.first : first;
            last = last == null || (other.last != null && other.last.isAfter(last)) ? other.last : last;
        }
    }

    /** @param lowestPort the lowest port of the window (ports are kept as bits from there) */
    public Receipts(int lowestPort, Clock clock) {
        this.base = lowestPort;
        this.clock = clock;
    }

    /** Records one packet or connection of that kind from {@code source} on {@code port}; tag null when none. */
    public synchronized void record(Kind kind, InetAddress source, String tag, int port) {
        if (port < base) {
            return; // not a port of this window: cannot happen, listeners are the window's
        }
        Instant now = clock.instant();
        Key key = new Key(kind, source, tag);
        Entry entry = entries.get(key);
        if (entry == null && (tag == null ? untagged : tagged) < MAX_TRACKED) {
            entry = new Entry();
            entries.put(key, entry);
            if (tag == null) {
                untagged++;
            } else {
                tagged++;
            }
        } else if (entry == null) {
            entry = overflow.computeIfAbsent(kind, k -> new Entry());
        }
        entry.add(port - base, 1, now);
    }

    /** Counts a datagram or request that carried no survey nonce: not a vantage's. */
    public synchronized void stray() {
        stray++;
    }

    public synchronized long strayCount() {
        return stray;
    }

    /** Packets and connections recorded (stray ones not included). */
    public synchronized long counted() {
        long n = 0;
        for (Entry e : entries.values()) {
            n += e.count;
        }
        for (Entry e : overflow.values()) {
            n += e.count;
        }
        return n;
    }

    /** The source as the receipts spell it: canonical, an IPv4-mapped IPv6 address as the IPv4 address it names. */
    static String address(InetAddress source) {
        IpAddress ip = IpAddress.of(source.getAddress());
        return ip.mappedIpv4().orElse(ip).toString();
    }

    /**
     * The evidence of the window: what it held and skipped, and the receipts, cut to the bounds of
     * {@link ReceiptEvidence} (receipts carrying a task tag are kept before those without; the rest are summed up
     * per kind under {@link ReceiptEvidence#OTHER_SOURCES}).
     */
    public synchronized ReceiptEvidence evidence(List<PortRange> listened, List<Skipped> skipped) {
        List<String> notes = new ArrayList<>();
        boolean summarised = false;
        if (stray > 0) {
            notes.add(stray + " datagram(s) or request(s) without a survey nonce not counted");
        }
        List<Map.Entry<Key, Entry>> all = new ArrayList<>(entries.entrySet());
        Map<Kind, Entry> others = new EnumMap<>(Kind.class);
        overflow.forEach((kind, e) -> others.computeIfAbsent(kind, k -> new Entry()).absorb(e));
        if (!overflow.isEmpty()) {
            summarised = true;
            notes.add("more than " + MAX_TRACKED + " sources or tags: the further ones counted together per kind");
        }
        int room = ReceiptEvidence.MAX_RECEIPTS - Kind.values().length;
        if (all.size() + others.size() > ReceiptEvidence.MAX_RECEIPTS) {
            // a tagged receipt names the task that sent it: keep those first, then the busiest sources
            all.sort(Comparator.comparing((Map.Entry<Key, Entry> e) -> e.getKey().tag() == null)
                    .thenComparing(e -> -e.getValue().count));
            List<Map.Entry<Key, Entry>> cut = all.subList(room, all.size());
            cut.forEach(e -> others.computeIfAbsent(e.getKey().kind(), k -> new Entry()).absorb(e.getValue()));
            summarised = true;
            notes.add(String.format(Locale.ROOT, "%d sources summarised per kind: more than %d entries", cut.size(),
                    ReceiptEvidence.MAX_RECEIPTS));
            all = new ArrayList<>(all.subList(0, room));
        }
        record Out(Kind kind, String source, String tag, Entry entry, List<PortRange> runs) {
        }
        List<Out> out = new ArrayList<>();
        all.forEach(e -> out.add(new Out(e.getKey().kind(), address(e.getKey().source()), e.getKey().tag(),
                e.getValue(), runs(e.getValue().ports))));
        others.forEach((kind, e) -> out.add(new Out(kind, ReceiptEvidence.OTHER_SOURCES, null, e, runs(e.ports))));
        out.sort(Comparator.comparing(Out::kind).thenComparing(Out::source)
                .thenComparing(Out::tag, Comparator.nullsFirst(Comparator.naturalOrder())));
        int cap = rangesPerReceipt(out.stream().map(o -> o.runs().size()).toList());
        if (out.stream().anyMatch(o -> o.runs().size() > cap)) {
            summarised = true;
            notes.add("receipts keep their first " + cap + " port ranges (fragments says how many there were)");
        }
        List<Receipt> receipts = new ArrayList<>();
        for (Out o : out) {
            receipts.add(new Receipt(o.kind(), o.source(), o.tag(), o.runs().subList(0, Math.min(cap, o.runs().size())),
                    o.runs().size(), o.entry().count, o.entry().first, o.entry().last));
        }
        List<Skipped> keptSkipped = skipped;
        if (skipped.size() > ReceiptEvidence.MAX_SKIPPED) {
            keptSkipped = skipped.subList(0, ReceiptEvidence.MAX_SKIPPED);
            summarised = true;
            int ports = skipped.subList(ReceiptEvidence.MAX_SKIPPED, skipped.size()).stream()
                    .mapToInt(s -> s.ports().size()).sum();
            notes.add((skipped.size() - ReceiptEvidence.MAX_SKIPPED) + " further skipped range(s) (" + ports
                    + " port(s)) not listed: every asked port not in listened was skipped");
        }
        return new ReceiptEvidence(listened, keptSkipped, receipts, summarised,
                notes.isEmpty() ? null : String.join("; ", notes));
    }

    /** The most ranges each receipt may keep so that all of them together stay within the bound. */
    private static int rangesPerReceipt(List<Integer> runs) {
        for (int cap = ReceiptEvidence.MAX_RANGES_PER_RECEIPT; cap > 1; cap--) {
            int total = 0;
            for (int n : runs) {
                total += Math.min(n, cap);
            }
            if (total <= ReceiptEvidence.MAX_RANGES) {
                return cap;
            }
        }
        return 1;
    }

    private List<PortRange> runs(BitSet ports) {
        List<PortRange> runs = new ArrayList<>();
        for (int from = ports.nextSetBit(0); from >= 0; ) {
            int to = ports.nextClearBit(from) - 1;
            runs.add(new PortRange(base + from, base + to));
            from = ports.nextSetBit(to + 1);
        }
        return runs;
    }
}
