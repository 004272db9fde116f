package dev.vantage.agent.probe;

import dev.vantage.wire.Outcome;
import dev.vantage.wire.PortRange;
import dev.vantage.wire.ProbeKind;
import dev.vantage.wire.ProbeResult;
import dev.vantage.wire.ProbeTask;
import jakarta.enterprise.context.ApplicationScoped;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.time.Instant;

/**
 * UDP sweep (echo to a responder, or the port's protocol payload) over a range ({@code concurrency} default 100, {@code rate} default 1000/s),
 * {@code attempts} datagrams per port (default 2), reported as contiguous segments per outcome
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
        PortRange range;
        Duration timeout;
        int concurrency;
        int rate;
        InetAddress address;
        int attempts;
        UdpPayload payload;
        String nonce;
        try {
            range = TaskInput.range(task);
            timeout = TaskInput.timeout(task);
            concurrency = TaskInput.intParam(task, "concurrency", 100, 1, 4096);
            rate = TaskInput.intParam(task, "rate", 1000, 1, 1_000_000);
            attempts = TaskInput.intParam(task, "attempts", 2, 1, 10);
            payload = UdpPayload.choose(task.params().get("payload"), TaskInput.flag(task, "responder"), range.first());
            nonce = TaskInput.nonce(task);
            long t0 = System.nanoTime();
            address = TaskInput.address(task);
            result.timing("resolve", System.nanoTime() - t0);
        } catch (MalformedTaskException e) {
            return result.outcome(Outcome.ERROR).summary(e.getMessage()).build();
        } catch (UnknownHostException e) {
            return result.outcome(Outcome.ERROR).summary("udp-range " + task.target() + ": cannot resolve the name ("
                    + e.getMessage() + ")").build();
        }
        String host = Endpoints.text(address, range.first());
        host = host.substring(0, host.lastIndexOf(':'));
        result.destination(host + ":" + range).addressFamily(Endpoints.family(address))
                .source(Endpoints.source(new InetSocketAddress(address, range.first()), 0));
        long t0 = System.nanoTime();
        Outcome[] outcomes;
        try {
            outcomes = UdpSweep.run(address, range, concurrency, rate, timeout, attempts, payload, nonce);
        } catch (IOException e) {
            return result.outcome(Outcome.ERROR).summary("udp-range " + host + ":" + range
                    + ": could not open local sockets: " + e.getMessage()).build();
        }
        result.timing("sweep", System.nanoTime() - t0);
        RangeReport report = RangeReport.of(range, outcomes, concurrency, rate, "ports".equals(task.params().get("detail")));
        return result.outcome(report.overall())
                .summary("udp-range " + host + ":" + range + " " + report.overall() + ": " + report.segmentsText())
                .evidence(report.evidence())
                .build();
    }
}
