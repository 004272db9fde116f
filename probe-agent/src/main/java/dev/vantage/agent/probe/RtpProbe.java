package dev.vantage.agent.probe;

import dev.vantage.params.MalformedParamException;
import dev.vantage.params.RtpParams;
import dev.vantage.wire.Outcome;
import dev.vantage.wire.PortEvidence;
import dev.vantage.wire.ProbeKind;
import dev.vantage.wire.ProbeResult;
import dev.vantage.wire.ProbeTask;
import dev.vantage.wire.RtpEvidence;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;

/**
 * A short paced G.711-shaped RTP stream (RFC 3550 header, payload type 0, 160-byte payload) to a
 * responder that reflects it: loss, round-trip jitter (RFC 3550 interarrival formula on the
 * reflected stream), RTT, reordering, and a MOS estimate. {@code PASSED} when within the task's
 * thresholds ({@code maxLossPct} 1, {@code maxJitterMs} 30, {@code minMos} 3.6 by default), else
 * {@code DEGRADED}; nothing reflected at all is {@code OPEN_OR_FILTERED} (or {@code CLOSED} on ICMP
 * port unreachable). Params: {@code duration} (default 2s), {@code rate} packets/s (default 50); the
 * task's timeout (default 2s) is how long to wait for reflections after the last packet.
 *
 * <p>Each packet carries its index in the stream after the nonce; the reflected packets are
 * numbered by their RTP sequence number, extended beyond 16 bits as RFC 3550 does it
 * ({@link RtpSequence}), and must agree with that index.
 */
@ApplicationScoped
public class RtpProbe implements Probe {
    private final int firstSequence;

    @Inject
    public RtpProbe() {
        this(0);
    }

    /** A probe whose streams start at RTP sequence number {@code firstSequence} (0-65535). */
    RtpProbe(int firstSequence) {
        this.firstSequence = firstSequence;
    }

    @Override
    public ProbeKind kind() {
        return ProbeKind.RTP;
    }

    @Override
    public ProbeResult run(ProbeTask task, ProbeContext context) {
        Instant started = context.clock().instant();
        ProbeContext.ResultBuilder result = context.result(task, started).protocol("rtp");
        Deadline deadline = Deadline.of(task, context);
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
            destination = new InetSocketAddress(TaskInput.address(task, deadline, timeout), port);
            result.timing("resolve", System.nanoTime() - t0);
        } catch (MalformedTaskException | MalformedParamException e) {
            return result.outcome(Outcome.ERROR).summary(e.getMessage()).build();
        } catch (UnknownHostException e) {
            return result.outcome(Outcome.ERROR).summary(TaskInput.unresolved("rtp", task, e)).build();
        }
        String to = Endpoints.text(destination);
        result.destination(to).addressFamily(Endpoints.family(destination.getAddress()));
        int count = (int) Math.max(1, duration.toMillis() * rate / 1000);
        RtpStream stream = new RtpStream(count, rate, nonce, firstSequence);
        try {
            stream.run(destination, timeout, deadline);
        } catch (IOException e) {
            return result.outcome(Outcome.ERROR).summary("rtp " + to + ": could not open a local socket: "
                    + e.getMessage()).build();
        }
        result.source(stream.source).timing("stream", stream.elapsedNanos);
        if (stream.received == 0) {
            SocketFailure failure = stream.failure != null ? stream.failure : SocketFailure.SILENCE;
            return result.outcome(failure.outcome())
                    .summary("rtp " + to + " " + failure.outcome() + (stream.source == null ? "" : " from " + stream.source)
                            + ": " + (stream.sent == 0 ? "no packet could be sent" : "none of " + stream.sent
                            + " packets came back") + failure.explain())
                    .evidence(new PortEvidence(stream.sent, failure.error(), failure.icmp(), null, nonce, false, null))
                    .build();
        }
        double loss = 100.0 * (stream.sent - stream.received) / stream.sent;
        double jitterMs = stream.jitter / (RtpStream.CLOCK_RATE / 1000.0);
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
}
