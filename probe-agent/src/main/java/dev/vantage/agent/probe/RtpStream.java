package dev.vantage.agent.probe;

import dev.vantage.agent.responder.EchoDatagram;
import dev.vantage.wire.Outcome;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * One RTP stream of the {@link RtpProbe}: sends paced packets and reads the reflections in the same
 * loop, keeping what the probe reports (counts, RTT, RFC 3550 interarrival jitter).
 */
final class RtpStream {
    static final int CLOCK_RATE = 8000;
    private static final int HEADER = 12;
    private static final int PAYLOAD = 160;

    private final int count;
    private final int rate;
    private final String nonce;
    private final int ssrc = ThreadLocalRandom.current().nextInt();
    private final int firstSequence;
    private final RtpSequence sequence;
    private final long[] sentAt;
    private final boolean[] seen;
    /** Stream index minus extended sequence number; set again when the numbering restarts. */
    private long indexOffset;
    private int restarts;
    private int highest = -1;
    private double lastTransit;
    private boolean haveTransit;
    private long startNanos;

    // what the probe reports
    int sent;
    int received;
    int reordered;
    int duplicates;
    double jitter;
    long rttSum;
    long rttMax;
    long elapsedNanos;
    String source;
    SocketFailure failure;

    RtpStream(int count, int rate, String nonce, int firstSequence) {
        this.count = count;
        this.rate = rate;
        this.nonce = nonce;
        this.firstSequence = firstSequence;
        this.sequence = RtpSequence.startingAt(firstSequence);
        this.indexOffset = -firstSequence;
        this.sentAt = new long[count];
        this.seen = new boolean[count];
    }

    /**
     * Streams to {@code destination} and waits {@code drain} for the last reflections, all within the
     * {@code deadline}; a connect that fails (no route) ends it with {@link #failure} set and nothing sent.
     */
    void run(InetSocketAddress destination, Duration drain, Deadline deadline) throws IOException {
        long interval = 1_000_000_000L / rate;
        int nonceOffset = HEADER + 6;
        try (DatagramChannel channel = DatagramChannel.open(); Selector selector = Selector.open()) {
            try {
                channel.connect(destination);
            } catch (IOException e) {
                failure = SocketFailure.of(e, true);
                return;
            }
            channel.configureBlocking(false);
            deadline.phase("stream");
            channel.register(selector, SelectionKey.OP_READ);
            source = Endpoints.text(channel.getLocalAddress());
            ByteBuffer out = ByteBuffer.allocate(HEADER + PAYLOAD);
            ByteBuffer in = ByteBuffer.allocate(2048);
            long start = System.nanoTime();
            startNanos = start;
            long end = Long.MAX_VALUE;
            while (true) {
                long now = System.nanoTime();
                if (sent < count && now >= start + sent * interval) {
                    int index = sent;
                    out.clear();
                    out.put((byte) 0x80).put((byte) 0).putShort((short) (firstSequence + index))
                            .putInt((int) ((long) index * CLOCK_RATE / rate)).putInt(ssrc);
                    EchoDatagram.writeHeader(out, EchoDatagram.RTP, nonce);
                    out.putInt(index);
                    while (out.position() < HEADER + PAYLOAD) {
                        out.put((byte) 0xFF); // G.711 mu-law silence
                    }
                    out.flip();
                    sentAt[index] = System.nanoTime();
                    try {
                        channel.write(out);
                    } catch (IOException e) {
                        if (received == 0) {
                            failure = SocketFailure.of(e, true);
                            if (failure.outcome() != Outcome.OPEN_OR_FILTERED) {
                                sent++;
                                break;
                            }
                        }
                    }
                    sent++;
                    if (sent == count) {
                        end = System.nanoTime() + drain.toNanos();
                    }
                }
                now = System.nanoTime();
                if (now >= end || received == count || deadline.passed()) {
                    break;
                }
                Deadline.checkInterrupted();
                long next = Math.min(sent < count ? start + sent * interval : end, deadline.at());
                long wait = Math.max(0, next - now);
                if (wait >= 1_000_000) {
                    selector.select(wait / 1_000_000);
                } else {
                    selector.selectNow();
                }
                selector.selectedKeys().clear();
                while (true) {
                    in.clear();
                    int n;
                    try {
                        n = channel.read(in);
                    } catch (IOException e) {
                        if (received == 0) {
                            failure = SocketFailure.of(e, true);
                        }
                        break;
                    }
                    if (n <= 0) {
                        break;
                    }
                    in.flip();
                    accept(in, System.nanoTime(), nonceOffset);
                }
                if (failure != null && failure.outcome() != Outcome.OPEN_OR_FILTERED && received == 0) {
                    break;
                }
            }
            elapsedNanos = System.nanoTime() - start;
        }
    }

    private void accept(ByteBuffer packet, long arrival, int nonceOffset) {
        if (packet.remaining() < HEADER + 6 + nonce.length() + 4 || packet.getInt(8) != ssrc) {
            return;
        }
        ByteBuffer payload = packet.duplicate().position(HEADER);
        if (!nonce.equals(EchoDatagram.readHeader(payload, EchoDatagram.RTP))) {
            return;
        }
        int seq = Short.toUnsignedInt(packet.getShort(2));
        int carried = packet.getInt(nonceOffset + nonce.length());
        if (carried < 0 || carried >= count || ((firstSequence + carried) & 0xFFFF) != seq) {
            return; // not a packet of this stream as sent
        }
        long extended = sequence.update(seq);
        if (extended == RtpSequence.NOT_COUNTED) {
            return;
        }
        if (sequence.restarts() != restarts) {
            // RFC 3550 takes a confirmed jump (after a long outage) as a restart: number on from here
            restarts = sequence.restarts();
            indexOffset = carried - extended;
        }
        if (extended + indexOffset != carried) {
            return;
        }
        int index = carried;
        if (seen[index]) {
            duplicates++;
            return;
        }
        seen[index] = true;
        received++;
        if (index < highest) {
            reordered++;
        }
        highest = Math.max(highest, index);
        long rtt = arrival - sentAt[index];
        rttSum += rtt;
        rttMax = Math.max(rttMax, rtt);
        // RFC 3550 6.4.1: D = (Rj - Ri) - (Sj - Si) in timestamp units, J += (|D| - J) / 16
        long rtpTimestamp = Integer.toUnsignedLong(packet.getInt(4));
        double arrivalUnits = (arrival - startNanos) * (double) CLOCK_RATE / 1_000_000_000L;
        double transit = arrivalUnits - rtpTimestamp;
        if (haveTransit) {
            double d = Math.abs(transit - lastTransit);
            jitter += (d - jitter) / 16.0;
        }
        lastTransit = transit;
        haveTransit = true;
    }
}
