package dev.vantage.agent.probe;

import dev.vantage.agent.testing.LoopbackResponder;
import dev.vantage.agent.testing.Tasks;
import dev.vantage.wire.Outcome;
import dev.vantage.wire.PortRange;
import dev.vantage.wire.ProbeKind;
import dev.vantage.wire.ProbeResult;
import dev.vantage.wire.RangeEvidence;
import dev.vantage.wire.RangeEvidence.Segment;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.BindException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.ServerSocketChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

import static org.assertj.core.api.Assertions.assertThat;

class RangeProbesTest {

    @Test
    void namesTheOpenAndClosedSubRangesOfATcpSweep() throws Exception {
        try (LoopbackResponder r = LoopbackResponder.start(10, 0, 0, Duration.ofSeconds(10))) {
            // listening on the first 10 ports; the next 10 are not ours and, below the ephemeral range, closed
            PortRange swept = new PortRange(r.tcp.first(), r.tcp.first() + 19);
            ProbeResult result = new TcpRangeProbe().run(Tasks.of(ProbeKind.TCP_RANGE, "127.0.0.1", swept.toString(),
                    Duration.ofSeconds(2), "concurrency=4", "rate=500"), Tasks.CONTEXT);
            RangeEvidence evidence = (RangeEvidence) result.evidence();
            assertThat(result.outcome()).isEqualTo(Outcome.MIXED);
            assertThat(evidence.segments()).containsExactly(
                    new Segment(Outcome.OPEN, r.tcp),
                    new Segment(Outcome.CLOSED, new PortRange(r.tcp.last() + 1, swept.last())));
            assertThat(evidence.ports()).isNull();
            assertThat(result.summary()).contains("OPEN " + r.tcp).contains("MIXED");
        }
    }

    @Test
    void reportsThePortsASweepHadNotFinishedByItsDeadlineAsNotProbed() throws Exception {
        // a bound socket that never reads: silence, which the sweep would wait 2 s x 2 attempts for
        try (DatagramSocket silent = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            PortRange range = PortRange.of(silent.getLocalPort());
            var task = Tasks.of(ProbeKind.UDP_RANGE, "127.0.0.1", range.toString(), Duration.ofSeconds(2));
            Deadline deadline = Deadline.after(Duration.ofMillis(300));
            ProbeResult result = RangeReport.sweep("udp-range", Tasks.CONTEXT.result(task, java.time.Instant.now()),
                    InetAddress.getLoopbackAddress(), range, 1, 100, false, deadline,
                    errors -> UdpSweep.run(InetAddress.getLoopbackAddress(), range, 1, 100, Duration.ofSeconds(2), 2,
                            UdpPayload.ECHO, "abcdef123456", deadline, errors));
            assertThat(result.outcome()).isEqualTo(Outcome.ERROR);
            assertThat(result.summary()).contains("1 port(s) not probed to the end (ERROR)");
        }
    }

    @Test
    void givesPerPortDetailOnlyWhenAsked() throws Exception {
        List<ServerSocketChannel> servers = new ArrayList<>();
        try {
            ServerSocketChannel one = ServerSocketChannel.open().bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            servers.add(one);
            int port = one.socket().getLocalPort();
            ProbeResult result = new TcpRangeProbe().run(Tasks.of(ProbeKind.TCP_RANGE, "127.0.0.1", port + "-" + port,
                    Duration.ofSeconds(2), "detail=ports"), Tasks.CONTEXT);
            assertThat(result.outcome()).isEqualTo(Outcome.OPEN);
            assertThat(((RangeEvidence) result.evidence()).ports()).containsExactly(java.util.Map.entry(port, Outcome.OPEN));
        } finally {
            for (ServerSocketChannel server : servers) {
                server.close();
            }
        }
    }

    @Test
    void sweepsUdpThroughTheResponderWithoutAFalseOpen() throws Exception {
        try (LoopbackResponder r = LoopbackResponder.start(0, 30, 0, Duration.ofSeconds(10))) {
            PortRange swept = new PortRange(r.udp.first(), r.udp.last() + 10);
            ProbeResult result = new UdpRangeProbe().run(Tasks.of(ProbeKind.UDP_RANGE, "127.0.0.1", swept.toString(),
                    Duration.ofMillis(300), "responder=true", "concurrency=8", "rate=2000"), Tasks.CONTEXT);
            RangeEvidence evidence = (RangeEvidence) result.evidence();
            assertThat(evidence.segments()).containsExactly(
                    new Segment(Outcome.OPEN, r.udp),
                    new Segment(Outcome.CLOSED, new PortRange(r.udp.last() + 1, swept.last())));
            assertThat(evidence.counts()).containsEntry(Outcome.OPEN, 30);
        }
    }

    @Test
    void aLateAnswerWhileTheSweepGoesOnStillProvesThePortOpen() throws Exception {
        // the first port answers 600 ms after each datagram (a responder busy for longer than the 200 ms timeout);
        // ten silent ports after it keep the sweep, one port at a time, going for some 2 s
        List<DatagramChannel> ports = consecutiveUdpPorts(11);
        DatagramChannel slow = ports.get(0);
        int first = ((InetSocketAddress) slow.getLocalAddress()).getPort();
        Thread answering = new Thread(() -> {
            ByteBuffer in = ByteBuffer.allocate(1500);
            try {
                while (true) {
                    in.clear();
                    SocketAddress from = slow.receive(in);
                    Thread.sleep(600);
                    slow.send(in.flip(), from);
                }
            } catch (Exception closed) {
                // the test is over
            }
        });
        answering.setDaemon(true);
        answering.start();
        try {
            ProbeResult result = new UdpRangeProbe().run(Tasks.of(ProbeKind.UDP_RANGE, "127.0.0.1",
                    new PortRange(first, first + 10).toString(), Duration.ofMillis(200), "concurrency=1", "attempts=1"),
                    Tasks.CONTEXT);
            assertThat(((RangeEvidence) result.evidence()).segments()).containsExactly(
                    new Segment(Outcome.OPEN, PortRange.of(first)),
                    new Segment(Outcome.OPEN_OR_FILTERED, new PortRange(first + 1, first + 10)));
        } finally {
            for (DatagramChannel port : ports) {
                port.close();
            }
        }
    }

    /** {@code count} UDP sockets bound to consecutive ports of 127.0.0.1 below the ephemeral range. */
    private static List<DatagramChannel> consecutiveUdpPorts(int count) throws IOException {
        for (int attempt = 0; attempt < 20; attempt++) {
            int base = ThreadLocalRandom.current().nextInt(10_000, 30_000);
            List<DatagramChannel> bound = new ArrayList<>();
            try {
                for (int port = base; port < base + count; port++) {
                    DatagramChannel channel = DatagramChannel.open();
                    bound.add(channel);
                    channel.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
                }
                return bound;
            } catch (BindException taken) {
                for (DatagramChannel channel : bound) {
                    channel.close();
                }
            }
        }
        throw new IllegalStateException("no " + count + " consecutive free UDP ports on 127.0.0.1");
    }

    @Test
    void sendsOneDatagramPerPortWhereNothingButIcmpCanAnswerAndTwoWhereAResponderMay() throws Exception {
        assertThat(datagramsToASilentPort("responder=false")).as("an echo sweep without responder").isEqualTo(1);
        assertThat(datagramsToASilentPort("responder=true")).as("a sweep through a responder").isEqualTo(2);
        assertThat(datagramsToASilentPort("responder=false", "attempts=3")).as("attempts as the task writes them")
                .isEqualTo(3);
    }

    /** How many datagrams a one-port UDP sweep sends to a bound socket that never answers. */
    private static int datagramsToASilentPort(String... params) throws Exception {
        try (DatagramSocket silent = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            ProbeResult result = new UdpRangeProbe().run(Tasks.of(ProbeKind.UDP_RANGE, "127.0.0.1",
                    PortRange.of(silent.getLocalPort()).toString(), Duration.ofMillis(200), params), Tasks.CONTEXT);
            assertThat(result.outcome()).isEqualTo(Outcome.OPEN_OR_FILTERED);
            silent.setSoTimeout(50);
            int received = 0;
            try {
                while (true) {
                    silent.receive(new DatagramPacket(new byte[1500], 1500));
                    received++;
                }
            } catch (SocketTimeoutException drained) {
                return received;
            }
        }
    }

    @Test
    void aRangeTaskWithoutPortsIsAnErrorNamingTheField() {
        ProbeResult result = new UdpRangeProbe().run(Tasks.of(ProbeKind.UDP_RANGE, "127.0.0.1", null, Duration.ofMillis(300)),
                Tasks.CONTEXT);
        assertThat(result.outcome()).isEqualTo(Outcome.ERROR);
        assertThat(result.summary()).contains("no ports");
    }

    @Test
    void aConcurrencyOutOfBoundsIsAnErrorNamingTheValue() {
        ProbeResult result = new TcpRangeProbe().run(Tasks.of(ProbeKind.TCP_RANGE, "127.0.0.1", "1000-1010",
                Duration.ofMillis(300), "concurrency=0"), Tasks.CONTEXT);
        assertThat(result.outcome()).isEqualTo(Outcome.ERROR);
        assertThat(result.summary()).contains("concurrency=0");
    }
}
