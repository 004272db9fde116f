package dev.vantage.agent.probe;

import dev.vantage.params.MalformedParamException;
import dev.vantage.params.TcpRangeParams;
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
 * TCP connect sweep over a range ({@code concurrency} default 100, {@code rate} default 1000/s),
 * reported as contiguous segments per outcome; per-port detail with {@code detail=ports}.
 */
@ApplicationScoped
public class TcpRangeProbe implements Probe {

    @Override
    public ProbeKind kind() {
        return ProbeKind.TCP_RANGE;
    }

    @Override
    public ProbeResult run(ProbeTask task, ProbeContext context) {
        Instant started = context.clock().instant();
        ProbeContext.ResultBuilder result = context.result(task, started).protocol("tcp");
        Deadline deadline = Deadline.of(task, context);
        PortRange range;
        Duration timeout;
        int concurrency;
        int rate;
        boolean perPort;
        InetAddress address;
        try {
            TcpRangeParams params = TcpRangeParams.read(task);
            range = TaskInput.range(task);
            timeout = params.timeout();
            concurrency = params.concurrencyOrDefault();
            rate = params.rateOrDefault();
            perPort = params.perPort();
            long t0 = System.nanoTime();
            address = TaskInput.address(task, deadline, timeout);
            result.timing("resolve", System.nanoTime() - t0);
        } catch (MalformedTaskException | MalformedParamException e) {
            return result.outcome(Outcome.ERROR).summary(e.getMessage()).build();
        } catch (UnknownHostException e) {
            return result.outcome(Outcome.ERROR).summary(TaskInput.unresolved("tcp-range", task, e)).build();
        }
        return RangeReport.sweep("tcp-range", result, address, range, concurrency, rate, perPort, deadline,
                errors -> TcpSweep.run(address, range, concurrency, rate, timeout, deadline, errors));
    }
}
