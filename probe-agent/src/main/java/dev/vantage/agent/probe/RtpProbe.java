package dev.vantage.agent.probe;

import dev.vantage.agent.responder.EchoDatagram;
import dev.vantage.params.MalformedParamException;
import dev.vantage.params.RtpParams;
import dev.vantage.wire.Outcome;
import dev.vantage.wire.PortEvidence;
import dev.vantage.wire.ProbeKind;
import dev.vantage.wire.ProbeResult;
import dev.vantage.wire.ProbeTask;
import dev.vantage.wire.RtpEvidence;
import jakarta.enterprise.context.ApplicationScoped;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A short paced G.711-shaped RTP stream (RFC 3550 header, payload type 0, 160-byte payload) to a
 * responder that reflects it: loss, round-trip jitter (RFC 3550 interarrival formula on the
 * reflected stream), RTT, reordering, and a MOS estimate. {@code PASSED} when within the task's
 * thresholds ({@code maxLossPct} 1, {@code maxJitterMs} 30, {@code minMos} 3.6 by default), else
 * {@code DEGRADED}; nothing reflected at all is {@code OPEN_OR_FILTERED} (or {@code CLOSED} on ICMP
 * port unreachable). Params: {@code duration} (default 2s), {@code rate} packets/s (default 50); the
 * task's timeout (default 2s) is how long to wait for reflections after the last packet.
 */
@ApplicationScoped
public class RtpProbe implements Probe {
    private static final int HEADER = 12;
    private static final int PAYLOAD = 160;
    private static final int CLOCK_RATE = 8000;

    @Override
    public ProbeKind kind() {
        return ProbeKind.RTP;
    }

    @Override
    public ProbeResult run(ProbeTask task, ProbeContext context) {
        Instant started = context.clock().instant();
        ProbeContext.ResultBuilder result = context.result(task, started).protocol("rtp");
        InetSocketAddress destination;
        Duration timeout;
        Duration duration;
        int rate;
        double maxLoss;
        double maxJitter;
        double minMos;
        String nonce;
        try {
            RtpParams params = RtpParams.read(task);
            int port = TaskInput.singlePort(task);
            timeout = params.timeout();
            duration = params.durationOrDefault();
            rate = params.rateOrDefault();
            maxLoss = params.maxLossPctOrDefault();
            maxJitter = params.maxJitterMsOrDefault();
            minMos = params.minMosOrDefault();
            nonce = TaskInput.nonce(params.nonce(), task);
            long t0 = System.nanoTime();
            destination = new InetSocketAddress(TaskInput.address(task), port);
            result.timing("resolve", System.nanoTime() - t0);
        } catch (MalformedTaskException | MalformedParamException e) {
            return result.outcome(Outcome.ERROR).summary(e.getMessage()).build();
        } catch (UnknownHostException e) {
            return result.outcome(Outcome.ERROR).summary(TaskInput.unresolved("rtp", task, e)).build();
        }
        String to = Endpoints.text(destination);
        result.destination(to).addressFamily(Endpoints.family(destination.getAddress()));
        int count = (int) Math.max(1, duration.toMillis() * rate / 1000);
        Stream stream = new Stream(count, rate, nonce);
        try {
            stream.run(destination, timeout);
        } catch (IOException e) {
            return result.outcome(Outcome.ERROR).summary("rtp " + to + ": could not open a local socket: "
                    + e.getMessage()).build();
        }
        result.source(stream.source).timing("stream", stream.elapsedNanos);
        if (stream.received == 0) {
            SocketFailure failure = stream.failure != null ? stream.failure : SocketFailure.SILENCE;
            return result.outcome(failure.outcome())
                    .summary("rtp " + to + " " + failure.outcome() + " from " + stream.source + ": none of "
                            + stream.sent + " packets came back" + failure.explain())
                    .evidence(new PortEvidence(stream.sent, failure.error(), failure.icmp(), null, nonce, false, null))
                    .build();
        }
        double loss = 100.0 * (stream.sent - stream.received) / stream.sent;
        double jitterMs = stream.jitter / (CLOCK_RATE / 1000.0);
        double rttAvg = stream.rttSum / 1e6 / stream.received;
        double rttMax = stream.rttMax / 1e6;
        double r = EModel.rFactor(rttAvg / 2, jitterMs, loss, 1000.0 / rate);
        double mos = EModel.mos(r);
        boolean passed = loss <= maxLoss && jitterMs <= maxJitter && mos >= minMos;
        Outcome outcome = passed ? Outcome.PASSED : Outcome.DEGRADED;
        RtpEvidence evidence = new RtpEvidence(stream.sent, stream.received, round(loss), round(jitterMs),
                round(rttAvg), round(rttMax), stream.reordered, stream.duplicates, round(mos), round(r), rate,
                maxLoss, maxJitter, minMos);
        return result.outcome(outcome)
                .summary(String.format(Locale.ROOT, "rtp %s %s from %s: %d/%d packets back, loss %.1f%%, jitter %.2f ms,"
                                + " rtt %.2f ms, %d reordered, MOS %.2f", to, outcome, stream.source, stream.received,
                        stream.sent, loss, jitterMs, rttAvg, stream.reordered, mos))
                .evidence(evidence)
                .build();
    }

    private static double round(double value) {
        return Math.round(value * 1000) / 1000.0;
    }

    /** One stream: sends paced packets and reads the reflections in the same loop. */
    private static final class Stream {
        final int count;
        final int rate;
        final String nonce;
        final int ssrc = ThreadLocalRandom.current().nextInt();
        final long[] sentAt;
        final boolean[] seen;
        int sent;
        int received;
        int reordered;
        int duplicates;
        int highest = -1;
        double jitter;
        double lastTransit;
        boolean haveTransit;
        long rttSum;
        long rttMax;
        long elapsedNanos;
        long startNanos;
        String source;
        SocketFailure failure;

        Stream(int count, int rate, String nonce) {
            this.count = count;
            this.rate = rate;
            this.nonce = nonce;
            this.sentAt = new long[count];
            this.seen = new boolean[count];
        }

        void run(InetSocketAddress destination, Duration drain) throws IOException {
            long interval = 1_000_000_000L / rate;
            int nonceOffset = HEADER + 6;
            try (DatagramChannel channel = DatagramChannel.open(); Selector selector = Selector.open()) {
                channel.connect(destination);
                channel.configureBlocking(false);
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
                        int seq = sent;
                        out.clear();
                        out.put((byte) 0x80).put((byte) 0).putShort((short) seq)
                                .putInt((int) ((long) seq * CLOCK_RATE / rate)).putInt(ssrc);
                        EchoDatagram.writeHeader(out, EchoDatagram.RTP, nonce);
                        out.putInt(seq);
                        while (out.position() < HEADER + PAYLOAD) {
                            out.put((byte) 0xFF); // G.711 mu-law silence
                        }
                        out.flip();
                        sentAt[seq] = System.nanoTime();
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
                    if (now >= end || received == count) {
                        break;
                    }
                    long next = sent < count ? start + sent * interval : end;
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
            if (seq >= count || packet.getInt(nonceOffset + nonce.length()) != seq) {
                return;
            }
            if (seen[seq]) {
                duplicates++;
                return;
            }
            seen[seq] = true;
            received++;
            if (seq < highest) {
                reordered++;
            }
            highest = Math.max(highest, seq);
            long rtt = arrival - sentAt[seq];
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
}
