package dev.vantage.analysis;

import dev.vantage.wire.PortRange;

import java.util.ArrayList;
import java.util.List;

/**
 * A maximal run of adjacent failing ports of one probe: silent, refused (reset, ICMP port unreachable) or
 * rejected (ICMP unreachable, prohibited) in any mix. A device that answers for ports it does not pass rate-limits
 * its ICMP: the first ports of a block get an answer, the rest silence, and answers and silence alternate. So a
 * block is one failure with one cause and one location, however many fragments its ports fell into.
 *
 * @param ports    from the first to the last failing port of the run
 * @param silent   its silent sub-ranges
 * @param refused  its refused sub-ranges
 * @param rejected its rejected sub-ranges
 */
record FailingBlock(PortRange ports, List<PortRange> silent, List<PortRange> refused, List<PortRange> rejected) {

    /**
     * The blocks of the sub-ranges as read, in port order. {@code icmpRefusals}: refusals are ICMP port unreachable
     * (UDP), which devices rate-limit; TCP resets are not, so over TCP a refused run and a silent run stay apart.
     */
    static List<FailingBlock> of(List<PortStates.Part> parts, boolean icmpRefusals) {
        List<FailingBlock> blocks = new ArrayList<>();
        List<PortStates.Part> run = new ArrayList<>();
        for (PortStates.Part p : parts) {
            boolean failing = p.state() == PortStates.PathState.SILENT || p.state() == PortStates.PathState.REFUSED
                    || p.state() == PortStates.PathState.REJECTED;
            PortStates.Part last = run.isEmpty() ? null : run.get(run.size() - 1);
            boolean adjacent = last == null || last.ports().last() + 1 == p.ports().first();
            boolean oneAnswer = last == null || icmpRefusals
                    || (last.state() == PortStates.PathState.REFUSED) == (p.state() == PortStates.PathState.REFUSED);
            if (!failing || !adjacent || !oneAnswer) {
                close(run, blocks);
            }
            if (failing) {
                run.add(p);
            }
        }
        close(run, blocks);
        return blocks;
    }

    private static void close(List<PortStates.Part> run, List<FailingBlock> blocks) {
        if (run.isEmpty()) {
            return;
        }
        List<PortRange> silent = new ArrayList<>();
        List<PortRange> refused = new ArrayList<>();
        List<PortRange> rejected = new ArrayList<>();
        for (PortStates.Part p : run) {
            switch (p.state()) {
                case SILENT -> silent.add(p.ports());
                case REFUSED -> refused.add(p.ports());
                default -> rejected.add(p.ports());
            }
        }
        blocks.add(new FailingBlock(new PortRange(run.get(0).ports().first(), run.get(run.size() - 1).ports().last()),
                silent, refused, rejected));
        run.clear();
    }

    boolean hasRefusals() {
        return !refused.isEmpty();
    }

    /** More than one kind of failure: answers at a rate-limited trickle, silence in between. */
    boolean mixed() {
        int kinds = (silent.isEmpty() ? 0 : 1) + (refused.isEmpty() ? 0 : 1) + (rejected.isEmpty() ? 0 : 1);
        return kinds > 1;
    }

    /**
     * What came back in a mixed block: {@code "12 ports answered with ICMP port unreachable in 6 fragments, 2988
     * silent"}; {@code refusal} names the answer.
     */
    String composition(String refusal, String reject) {
        List<String> parts = new ArrayList<>();
        if (!refused.isEmpty()) {
            parts.add(answered(refused, "answered with " + refusal));
        }
        if (!rejected.isEmpty()) {
            parts.add(answered(rejected, "rejected with " + reject));
        }
        if (!silent.isEmpty()) {
            parts.add(PortSets.count(silent) + " silent");
        }
        return String.join(", ", parts);
    }

    private static String answered(List<PortRange> ranges, String how) {
        int n = PortSets.count(ranges);
        return n + (n == 1 ? " port " : " ports ") + how + (ranges.size() > 1 ? " in " + ranges.size() + " fragments" : "");
    }

    /** The blocks taken together: from the first block's first port to the last one's last, every sub-range kept. */
    static FailingBlock union(List<FailingBlock> blocks) {
        List<PortRange> silent = new ArrayList<>();
        List<PortRange> refused = new ArrayList<>();
        List<PortRange> rejected = new ArrayList<>();
        blocks.forEach(b -> {
            silent.addAll(b.silent());
            refused.addAll(b.refused());
            rejected.addAll(b.rejected());
        });
        return new FailingBlock(new PortRange(blocks.get(0).ports().first(), blocks.get(blocks.size() - 1).ports().last()),
                silent, refused, rejected);
    }

    static List<PortRange> ports(List<FailingBlock> blocks) {
        return blocks.stream().map(FailingBlock::ports).toList();
    }
}
