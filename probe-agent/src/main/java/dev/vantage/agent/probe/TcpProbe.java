package dev.vantage.agent.probe;

import dev.vantage.params.MalformedParamException;
import dev.vantage.params.TcpParams;
import dev.vantage.wire.Outcome;
import dev.vantage.wire.PortEvidence;
import dev.vantage.wire.ProbeKind;
import dev.vantage.wire.ProbeResult;
import dev.vantage.wire.ProbeTask;
import jakarta.enterprise.context.ApplicationScoped;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.time.Instant;

/**
 * TCP connect: {@code OPEN} on a completed handshake, {@code CLOSED} on a reset, {@code FILTERED} on
 * silence until the timeout, {@code UNREACHABLE} on an ICMP unreachable or prohibited. With
 * {@code responder=true} it also reads the responder's identifying line as evidence.
 */
@ApplicationScoped
public class TcpProbe implements Probe {
    private static final int MAX_BANNER = 256;

    @Override
    public ProbeKind kind() {
        return ProbeKind.TCP;
    }

    @Override
    public ProbeResult run(ProbeTask task, ProbeContext context) {
        Instant started = context.clock().instant();
        ProbeContext.ResultBuilder result = context.result(task, started).protocol("tcp");
        Deadline deadline = Deadline.of(task, context);
        InetSocketAddress destination;
        Duration timeout;
        boolean readBanner;
        try {
            TcpParams params = TcpParams.read(task);
            readBanner = params.responder();
            timeout = params.timeout();
            int port = TaskInput.singlePort(task);
            long t0 = System.nanoTime();
            InetAddress address = TaskInput.address(task, deadline, timeout);
            result.timing("resolve", System.nanoTime() - t0);
            destination = new InetSocketAddress(address, port);
        } catch (MalformedTaskException | MalformedParamException e) {
            return result.outcome(Outcome.ERROR).summary(e.getMessage()).build();
        } catch (UnknownHostException e) {
            return result.outcome(Outcome.ERROR).summary(TaskInput.unresolved("tcp", task, e)).build();
        }
        String to = Endpoints.text(destination);
        result.destination(to).addressFamily(Endpoints.family(destination.getAddress()));

        try (Socket socket = deadline.hold(new Socket())) {
            socket.setSoLinger(true, 0);
            socket.bind(null);
            int localPort = socket.getLocalPort();
            long t0 = System.nanoTime();
            deadline.phase("connect");
            int connectMillis = deadline.capMillis(timeout);
            try {
                socket.connect(destination, connectMillis);
            } catch (IOException e) {
                long elapsed = System.nanoTime() - t0;
                result.timing("connect", elapsed).source(Endpoints.source(destination, localPort));
                SocketFailure failure = SocketFailure.of(e, false);
                String what = failure.outcome() == Outcome.FILTERED
                        ? "no answer within " + connectMillis + " ms" : "after " + elapsed(elapsed);
                return result.outcome(failure.outcome())
                        .summary("tcp " + to + " " + failure.outcome() + " " + what + failure.explain())
                        .evidence(new PortEvidence(1, failure.error(), failure.icmp(), null, null, false, null))
                        .build();
            }
            long connect = System.nanoTime() - t0;
            String from = Endpoints.text(socket.getLocalSocketAddress());
            result.timing("connect", connect).source(from);
            String banner = null;
            if (readBanner) {
                deadline.phase("banner");
                banner = readLine(socket, deadline.cap(timeout));
            }
            return result.outcome(Outcome.OPEN)
                    .summary("tcp " + to + " OPEN from " + from + ", handshake in " + elapsed(connect)
                            + (banner == null ? "" : ", said '" + banner.strip() + "'"))
                    .evidence(new PortEvidence(1, null, null, banner, null, false, seenIn(banner)))
                    .build();
        } catch (IOException e) {
            return result.outcome(Outcome.ERROR).summary("tcp " + to + ": could not open a local socket: "
                    + e.getMessage()).build();
        }
    }

    /** The fourth word of a responder line is the source it saw. */
    static String seenIn(String banner) {
        if (banner == null || !banner.startsWith("VANTAGE-RESPONDER ")) {
            return null;
        }
        String[] words = banner.strip().split(" ");
        return words.length >= 4 ? words[3] : null;
    }

    /**
     * The first line the peer sends (at most 256 bytes), read within {@code budget} however slowly it comes; null
     * when none came in time.
     */
    static String readLine(Socket socket, Duration budget) {
        try {
            InputStream in = DeadlineInput.of(socket, budget);
            byte[] buffer = new byte[MAX_BANNER];
            int n = 0;
            while (n < buffer.length) {
                int r = in.read(buffer, n, buffer.length - n);
                if (r < 0) {
                    break;
                }
                n += r;
                if (buffer[n - 1] == '\n') {
                    break;
                }
            }
            return n == 0 ? null : Printable.text(buffer, 0, n);
        } catch (SocketTimeoutException e) {
            return null;
        } catch (IOException e) {
            return null;
        }
    }

    /** {@code 0.42 ms} or {@code 153 ms}; without String.format, which would dominate a loopback probe's CPU. */
    static String elapsed(long nanos) {
        if (nanos >= 10_000_000) {
            return (nanos / 1_000_000) + " ms";
        }
        long hundredths = (nanos + 5_000) / 10_000;
        long fraction = hundredths % 100;
        return (hundredths / 100) + (fraction < 10 ? ".0" : ".") + fraction + " ms";
    }
}
