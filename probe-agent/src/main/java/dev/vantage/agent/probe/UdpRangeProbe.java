package dev.vantage.agent.probe;

import dev.vantage.params.MalformedParamException;
import dev.vantage.params.UdpRangeParams;
import dev.vantage.wire.Outcome;
import dev.vantage.wire.PortRange;
import dev.vantage.wire.ProbeKind;
import dev.vantage.wire.ProbeResult;
import dev.vantage.wire.ProbeTask;
import jakarta.enterprise.context.ApplicationScoped;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.time.Instant;

/**
 * UDP sweep (echo to a responder, or the port's protocol payload) over a range ({@code concurrency} default 100, {@code rate} default 1000/s),
 * {@code attempts} datagrams per port (default 2, or 1 where nothing but ICMP can answer:
 * {@link UdpRangeParams#attemptsOrDefault(boolean)}), reported as contiguous segments per outcome
 * ({@code OPEN} only for ports that answered); per-port detail with {@code detail=ports}.
 */
@ApplicationScoped
public class UdpRangeProbe implements Probe {

    @Override
    public ProbeKind kind() {
        return ProbeKind.UDP_RANGE;
    }

    @Override
    public ProbeResult run(ProbeTask task, ProbeContext context) {
        Instant started = context.clock().instant();
        ProbeContext.ResultBuilder result = context.result(task, started).protocol("udp");
        Deadline deadline = Deadline.of(task, context);
        PortRange range;
        Duration timeout;
        int concurrency;
        int rate;
        InetAddress address;
        int attempts;
        boolean perPort;
        UdpPayload payload;
        String nonce;
        try {
            UdpRangeParams params = UdpRangeParams.read(task);
            range = TaskInput.range(task);
            timeout = params.timeout();
            concurrency = params.concurrencyOrDefault();
            rate = params.rateOrDefault();
            perPort = params.perPort();
            payload = payload(params, range.first());
            attempts = attempts(params, payload);
            nonce = TaskInput.nonce(params.nonce(), task);
            long t0 = System.nanoTime();
            address = TaskInput.address(task, deadline, timeout);
            result.timing("resolve", System.nanoTime() - t0);
        } catch (MalformedTaskException | MalformedParamException e) {
            return result.outcome(Outcome.ERROR).summary(e.getMessage()).build();
        } catch (UnknownHostException e) {
            return result.outcome(Outcome.ERROR).summary(TaskInput.unresolved("udp-range", task, e)).build();
        }
        return RangeReport.sweep("udp-range", result, address, range, concurrency, rate, perPort, deadline,
                errors -> UdpSweep.run(address, range, concurrency, rate, timeout, attempts, payload, nonce, deadline,
                        errors));
    }

    /** What the sweep sends to each port: the echo for a responder, else the payload of the range's first port. */
    static UdpPayload payload(UdpRangeParams params, int firstPort) {
        return UdpPayload.choose(params.payload(), params.responder(), firstPort);
    }

    /** Datagrams per port: as the task asks, else 2 where something may answer the payload, 1 where only ICMP can. */
    static int attempts(UdpRangeParams params, UdpPayload payload) {
        return params.attemptsOrDefault(payload.answerable(params.responder()));
    }
}
