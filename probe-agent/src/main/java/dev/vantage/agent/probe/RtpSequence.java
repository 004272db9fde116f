package dev.vantage.agent.probe;

/**
 * The receiving side's view of one RTP source's 16-bit sequence numbers, extended beyond 65,535 by
 * counting wraps, as RFC 3550 appendix A.1 does it ({@code cycles}, {@code max_seq},
 * {@code bad_seq}, {@code probation}): a stream longer than 65,536 packets, or one that starts
 * near the top of the range, keeps numbering its packets instead of starting again at 0.
 *
 * <p>As in A.1: a packet up to {@link #MAX_DROPOUT} ahead of the highest so far moves it (across a
 * wrap, a cycle is counted); one up to {@link #MAX_MISORDER} behind is a late or duplicate packet;
 * anything else is a jump, accepted only when the next packet follows it, and then the source is
 * taken to have restarted its numbering ({@link #restarts()}). A new source is on probation until
 * {@link #MIN_SEQUENTIAL} packets came in order. Not thread-safe.
 */
final class RtpSequence {
    static final int MAX_DROPOUT = 3000;
    static final int MAX_MISORDER = 100;
    static final int MIN_SEQUENTIAL = 2;
    /** What {@link #update} returns for a packet A.1 does not count. */
    static final long NOT_COUNTED = Long.MIN_VALUE;
    private static final int SEQ_MOD = 1 << 16;

    private int maxSeq;
    private long cycles;
    private int baseSeq;
    private int badSeq;
    private int probation;
    private long received;
    private int restarts;

    private RtpSequence() {
    }

    /**
     * A source known to start at {@code firstSeq}, such as our own stream coming back (already
     * identified by its SSRC and nonce): no probation, its first packet counts.
     */
    static RtpSequence startingAt(int firstSeq) {
        RtpSequence s = new RtpSequence();
        s.init(check(firstSeq));
        return s;
    }

    /**
     * A source first heard with {@code firstSeq}, on probation as A.1 puts it; pass that packet to
     * {@link #update} too.
     */
    static RtpSequence newSource(int firstSeq) {
        RtpSequence s = new RtpSequence();
        s.init(check(firstSeq));
        s.maxSeq = (firstSeq - 1) & (SEQ_MOD - 1);
        s.probation = MIN_SEQUENTIAL;
        return s;
    }

    private static int check(int seq) {
        if (seq < 0 || seq >= SEQ_MOD) {
            throw new IllegalArgumentException("an RTP sequence number is 0-65535, got " + seq);
        }
        return seq;
    }

    private void init(int seq) {
        baseSeq = seq;
        maxSeq = seq;
        badSeq = SEQ_MOD + 1; // so seq == badSeq is false
        cycles = 0;
        received = 0;
    }

    /**
     * Takes one packet's sequence number.
     *
     * @return its extended sequence number (the same for a duplicate; below the first one for a
     *         packet from before it), or {@link #NOT_COUNTED} when A.1 does not count it: on
     *         probation, or a jump not yet confirmed by the packet after it
     */
    long update(int seq) {
        check(seq);
        int udelta = (seq - maxSeq) & (SEQ_MOD - 1);
        if (probation > 0) {
            if (seq == ((maxSeq + 1) & (SEQ_MOD - 1))) {
                probation--;
                maxSeq = seq;
                if (probation == 0) {
                    init(seq);
                    received++;
                    return seq;
                }
            } else {
                probation = MIN_SEQUENTIAL - 1;
                maxSeq = seq;
            }
            return NOT_COUNTED;
        }
        long extended;
        if (udelta < MAX_DROPOUT) {
            // in order, with or without a gap
            if (seq < maxSeq) {
                cycles += SEQ_MOD;
            }
            maxSeq = seq;
            extended = cycles + seq;
        } else if (udelta <= SEQ_MOD - MAX_MISORDER) {
            // a very large jump: the source restarted, if the next packet follows this one
            if (seq != badSeq) {
                badSeq = (seq + 1) & (SEQ_MOD - 1);
                return NOT_COUNTED;
            }
            init(seq);
            restarts++;
            extended = seq;
        } else {
            // late or duplicate: behind the highest, possibly from before the last wrap
            extended = cycles + seq - (seq > maxSeq ? SEQ_MOD : 0);
        }
        received++;
        return extended;
    }

    /** Packets counted, duplicates included (A.1 counts them; lost can then go negative). */
    long received() {
        return received;
    }

    /** Extended sequence numbers from the first to the highest since the (re)start. */
    long expected() {
        return cycles + maxSeq - baseSeq + 1;
    }

    long lost() {
        return expected() - received;
    }

    /** The extended highest sequence number. */
    long highest() {
        return cycles + maxSeq;
    }

    /** How often a confirmed jump restarted the numbering; extended numbers restart at the jump. */
    int restarts() {
        return restarts;
    }
}
