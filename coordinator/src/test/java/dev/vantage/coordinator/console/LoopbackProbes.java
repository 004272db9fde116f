package dev.vantage.coordinator.console;

import dev.vantage.coordinator.TestAgent;
import dev.vantage.wire.Outcome;
import dev.vantage.wire.PortEvidence;
import dev.vantage.wire.PortRange;
import dev.vantage.wire.ProbeKind;
import dev.vantage.wire.ProbeResult;
import dev.vantage.wire.ProbeTask;
import dev.vantage.wire.RangeEvidence;
import dev.vantage.wire.Wire;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.BiPredicate;

/**
 * Answers a survey's TCP tasks with real TCP connects on loopback, the site's hosts played by two local ports: one
 * that listens (and accepts), one where nothing listens (the kernel answers with a reset). Which (requirement,
 * port) is refused is the planted fault. The coordinator module cannot use the agent's probe classes (the agent
 * depends on what the coordinator depends on, not the other way round), so this does what {@code TcpProbe} does:
 * a timed connect, the outcome the kernel gave, the addresses used; a range is swept port by port into the same
 * sub-range evidence. Tasks of other kinds get {@link TestAgent#healthyResult}.
 */
final class LoopbackProbes implements AutoCloseable {
    private final ServerSocket listening;
    private final int refusing;
    private final Thread acceptor;

    LoopbackProbes() {
        try {
            listening = new ServerSocket(0, 500, InetAddress.getLoopbackAddress());
            try (ServerSocket gone = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                refusing = gone.getLocalPort();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        acceptor = new Thread(() -> {
            while (!listening.isClosed()) {
                // closed the ordinary way: a reset right after the handshake can reach the client while its connect
                // is still being completed, which then fails with "connection reset" although the port answered
                try (Socket s = listening.accept()) {
                    s.getInputStream().available();
                } catch (IOException e) {
                    // closed
                }
            }
        }, "loopback-acceptor");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /** The result of the task: probed on loopback when it is TCP; {@code refused} names the ports that refuse. */
    ProbeResult answer(ProbeTask t, BiPredicate<ProbeTask, Integer> refused) {
        if (t.kind() == ProbeKind.TCP && t.ports() != null) {
            return single(t, refused.test(t, t.ports().first()));
        }
        if (t.kind() == ProbeKind.TCP_RANGE && t.ports() != null) {
            return sweep(t, refused);
        }
        return TestAgent.healthyResult(t);
    }

    private record Connect(Outcome outcome, long micros, String source, String destination, String error) {
    }

    private Connect connect(boolean refuse) {
        int port = refuse ? refusing : listening.getLocalPort();
        long start = System.nanoTime();
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 5000);
            long us = (System.nanoTime() - start) / 1000;
            return new Connect(Outcome.OPEN, us, s.getLocalAddress().getHostAddress() + ":" + s.getLocalPort(),
                    "127.0.0.1:" + port, null);
        } catch (ConnectException e) {
            return new Connect(Outcome.CLOSED, (System.nanoTime() - start) / 1000, "127.0.0.1", "127.0.0.1:" + port,
                    "ECONNREFUSED");
        } catch (java.net.SocketTimeoutException e) {
            return new Connect(Outcome.FILTERED, (System.nanoTime() - start) / 1000, "127.0.0.1", "127.0.0.1:" + port,
                    "ETIMEDOUT");
        } catch (IOException e) {
            throw new IllegalStateException("connect to loopback port " + port + " failed: " + e, e);
        }
    }

    private ProbeResult single(ProbeTask t, boolean refuse) {
        Instant at = Instant.now();
        Connect c = connect(refuse);
        String summary = "tcp " + t.target() + ":" + t.ports() + " " + c.outcome().name().toLowerCase() + " in "
                + String.format("%.2f ms", c.micros() / 1000.0) + " (played on loopback " + c.destination() + ")";
        return new ProbeResult(Wire.SCHEMA_VERSION, UUID.randomUUID().toString(), t.taskId(), t.surveyId(), t.siteId(),
                t.vantage(), t.agentId(), "0.1.0-loopback", t.requirementId(), t.kind(), t.target(), t.ports(),
                c.outcome(), c.source(), c.destination(), "ipv4", "tcp", at,
                Map.of("connect", c.micros(), "total", c.micros()), summary,
                new PortEvidence(1, c.error(), null, null, null, false, null));
    }

    private ProbeResult sweep(ProbeTask t, BiPredicate<ProbeTask, Integer> refused) {
        Instant at = Instant.now();
        long start = System.nanoTime();
        List<RangeEvidence.Segment> segments = new ArrayList<>();
        Map<Outcome, Integer> counts = new EnumMap<>(Outcome.class);
        Outcome runOutcome = null;
        int runStart = 0;
        PortRange range = t.ports();
        for (int port = range.first(); port <= range.last(); port++) {
            Outcome o = connect(refused.test(t, port)).outcome();
            counts.merge(o, 1, Integer::sum);
            if (o != runOutcome) {
                if (runOutcome != null) {
                    segments.add(new RangeEvidence.Segment(runOutcome, new PortRange(runStart, port - 1)));
                }
                runOutcome = o;
                runStart = port;
            }
        }
        segments.add(new RangeEvidence.Segment(runOutcome, new PortRange(runStart, range.last())));
        Outcome outcome = segments.size() == 1 ? segments.get(0).outcome() : Outcome.MIXED;
        long us = (System.nanoTime() - start) / 1000;
        Map<String, Long> timings = new LinkedHashMap<>();
        timings.put("total", us);
        return new ProbeResult(Wire.SCHEMA_VERSION, UUID.randomUUID().toString(), t.taskId(), t.surveyId(), t.siteId(),
                t.vantage(), t.agentId(), "0.1.0-loopback", t.requirementId(), t.kind(), t.target(), t.ports(),
                outcome, "127.0.0.1", "127.0.0.1", "ipv4", "tcp", at, timings,
                "tcp-range " + t.target() + " " + range + ": " + counts + " (played on loopback)",
                new RangeEvidence(segments, counts, 1, 0, null));
    }

    @Override
    public void close() throws IOException {
        listening.close();
    }
}
