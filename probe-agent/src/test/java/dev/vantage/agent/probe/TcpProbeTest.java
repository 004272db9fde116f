package dev.vantage.agent.probe;

import dev.vantage.agent.testing.Tasks;
import dev.vantage.wire.Outcome;
import dev.vantage.wire.PortEvidence;
import dev.vantage.wire.ProbeKind;
import dev.vantage.wire.ProbeResult;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

class TcpProbeTest {
    private final TcpProbe probe = new TcpProbe();

    @Test
    void reportsOpenWithTheAddressesUsedWhenTheHandshakeCompletes() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            ProbeResult result = probe.run(Tasks.of(ProbeKind.TCP, "127.0.0.1", String.valueOf(server.getLocalPort()),
                    Duration.ofSeconds(2)), Tasks.CONTEXT);
            assertThat(result.outcome()).isEqualTo(Outcome.OPEN);
            assertThat(result.destinationAddress()).isEqualTo("127.0.0.1:" + server.getLocalPort());
            assertThat(result.sourceAddress()).startsWith("127.0.0.1:");
            assertThat(result.addressFamily()).isEqualTo("ipv4");
            assertThat(result.timingsMicros()).containsKey("connect");
            assertThat(result.summary()).contains("OPEN").contains("127.0.0.1:" + server.getLocalPort());
        }
    }

    @Test
    void reportsClosedWhenThePortWasJustReleased() throws Exception {
        int port;
        try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            port = server.getLocalPort();
        }
        ProbeResult result = probe.run(Tasks.of(ProbeKind.TCP, "127.0.0.1", String.valueOf(port), Duration.ofSeconds(2)),
                Tasks.CONTEXT);
        assertThat(result.outcome()).isEqualTo(Outcome.CLOSED);
        assertThat(((PortEvidence) result.evidence()).error()).isEqualTo("ECONNREFUSED");
        assertThat(result.summary()).contains("127.0.0.1:" + port).contains("CLOSED");
    }

    @Test
    void readsTheResponderLineWhenAskedTo() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Thread answer = new Thread(() -> {
                try (var client = server.accept()) {
                    InetSocketAddress seen = (InetSocketAddress) client.getRemoteSocketAddress();
                    client.getOutputStream().write(("VANTAGE-RESPONDER a1 " + server.getLocalPort() + " 127.0.0.1:"
                            + seen.getPort() + "\r\n").getBytes());
                } catch (Exception e) {
                    // the assertion below will say what is missing
                }
            });
            answer.start();
            ProbeResult result = probe.run(Tasks.of(ProbeKind.TCP, "127.0.0.1", String.valueOf(server.getLocalPort()),
                    Duration.ofSeconds(2), "responder=true"), Tasks.CONTEXT);
            answer.join();
            PortEvidence evidence = (PortEvidence) result.evidence();
            assertThat(result.outcome()).isEqualTo(Outcome.OPEN);
            assertThat(evidence.reply()).startsWith("VANTAGE-RESPONDER a1");
            assertThat(evidence.seenSource()).isEqualTo(result.sourceAddress());
        }
    }

    @Test
    void aTaskWithoutPortIsAnErrorNamingTheField() {
        ProbeResult result = probe.run(Tasks.of(ProbeKind.TCP, "127.0.0.1", null, Duration.ofSeconds(1)), Tasks.CONTEXT);
        assertThat(result.outcome()).isEqualTo(Outcome.ERROR);
        assertThat(result.summary()).contains("has no ports");
    }

    @Test
    void aRangeGivenToTheSinglePortProbeIsAnErrorThatPointsToTheRangeProbe() {
        ProbeResult result = probe.run(Tasks.of(ProbeKind.TCP, "127.0.0.1", "80-90", Duration.ofSeconds(1)), Tasks.CONTEXT);
        assertThat(result.outcome()).isEqualTo(Outcome.ERROR);
        assertThat(result.summary()).contains("80-90").contains("tcp-range");
    }
}
