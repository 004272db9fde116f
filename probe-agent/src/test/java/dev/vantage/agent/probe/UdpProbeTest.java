package dev.vantage.agent.probe;

import dev.vantage.agent.responder.Responder;
import dev.vantage.agent.testing.LoopbackResponder;
import dev.vantage.agent.testing.Tasks;
import dev.vantage.wire.Outcome;
import dev.vantage.wire.PortEvidence;
import dev.vantage.wire.PortRange;
import dev.vantage.wire.ProbeKind;
import dev.vantage.wire.ProbeResult;
import org.junit.jupiter.api.Test;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class UdpProbeTest {
    private static final Duration SHORT = Duration.ofMillis(300);
    private final UdpProbe probe = new UdpProbe();

    @Test
    void reportsOpenWhenTheResponderEchoesOurNonce() throws Exception {
        try (LoopbackResponder r = LoopbackResponder.start(0, 1, 0, Duration.ofSeconds(10))) {
            ProbeResult result = probe.run(Tasks.of(ProbeKind.UDP, "127.0.0.1", r.udp.toString(), SHORT,
                    "responder=true", "nonce=abcdef123456"), Tasks.CONTEXT);
            PortEvidence evidence = (PortEvidence) result.evidence();
            assertThat(result.outcome()).isEqualTo(Outcome.OPEN);
            assertThat(evidence.nonceEchoed()).isTrue();
            assertThat(evidence.nonce()).isEqualTo("abcdef123456");
            assertThat(evidence.seenSource()).isEqualTo(result.sourceAddress());
            assertThat(result.summary()).contains("OPEN").contains("nonce");
        }
    }

    @Test
    void reportsOpenOverIpv6WithTheLongerAnswerStillNoLargerThanTheRequest() throws Exception {
        InetAddress v6 = InetAddress.getByName("::1");
        int port;
        try (DatagramSocket probeForFree = new DatagramSocket(0, v6)) {
            port = probeForFree.getLocalPort();
        }
        Responder responder = Responder.open(new Responder.Config(v6, List.of(), List.of(PortRange.of(port)), List.of(),
                Duration.ofSeconds(10), "v6"));
        Thread serving = new Thread(responder::serve);
        serving.start();
        try {
            ProbeResult result = probe.run(Tasks.of(ProbeKind.UDP, "[::1]", String.valueOf(port), SHORT), Tasks.CONTEXT);
            assertThat(result.outcome()).as(result.summary()).isEqualTo(Outcome.OPEN);
            assertThat(result.addressFamily()).isEqualTo("ipv6");
            assertThat(result.destinationAddress()).isEqualTo("[0:0:0:0:0:0:0:1]:" + port);
            assertThat(((PortEvidence) result.evidence()).seenSource()).isEqualTo(result.sourceAddress());
        } finally {
            responder.close();
            serving.join();
        }
    }

    @Test
    void reportsClosedOnIcmpPortUnreachable() throws Exception {
        int port;
        try (DatagramSocket socket = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        ProbeResult result = probe.run(Tasks.of(ProbeKind.UDP, "127.0.0.1", String.valueOf(port), SHORT), Tasks.CONTEXT);
        assertThat(result.outcome()).isEqualTo(Outcome.CLOSED);
        assertThat(((PortEvidence) result.evidence()).icmp()).isEqualTo("port-unreachable");
    }

    @Test
    void neverClaimsOpenWhenNothingAnswers() throws Exception {
        try (DatagramSocket silent = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            ProbeResult result = probe.run(Tasks.of(ProbeKind.UDP, "127.0.0.1", String.valueOf(silent.getLocalPort()),
                    SHORT, "attempts=2"), Tasks.CONTEXT);
            assertThat(result.outcome()).isEqualTo(Outcome.OPEN_OR_FILTERED);
            assertThat(((PortEvidence) result.evidence()).attempts()).isEqualTo(2);
        }
    }

    @Test
    void countsAnySipResponseAsOpenWithoutAResponder() throws Exception {
        try (DatagramSocket sip = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            Thread uas = new Thread(() -> {
                try {
                    DatagramPacket request = new DatagramPacket(new byte[2048], 2048);
                    sip.receive(request);
                    String text = new String(request.getData(), 0, request.getLength(), StandardCharsets.US_ASCII);
                    String callId = text.lines().filter(l -> l.startsWith("Call-ID:")).findFirst().orElse("");
                    byte[] reply = ("SIP/2.0 200 OK\r\n" + callId + "\r\nServer: test\r\nContent-Length: 0\r\n\r\n")
                            .getBytes(StandardCharsets.US_ASCII);
                    sip.send(new DatagramPacket(reply, reply.length, request.getSocketAddress()));
                } catch (Exception e) {
                    // the probe then reports silence and the assertion fails
                }
            });
            uas.start();
            ProbeResult result = probe.run(Tasks.of(ProbeKind.UDP, "127.0.0.1", String.valueOf(sip.getLocalPort()),
                    Duration.ofSeconds(2), "payload=sip"), Tasks.CONTEXT);
            uas.join();
            PortEvidence evidence = (PortEvidence) result.evidence();
            assertThat(result.outcome()).isEqualTo(Outcome.OPEN);
            assertThat(evidence.reply()).startsWith("SIP/2.0 200 OK");
            assertThat(evidence.nonceEchoed()).isTrue();
        }
    }

    @Test
    void countsADnsResponseToOurQueryAsOpen() throws Exception {
        try (DatagramSocket dns = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            Thread server = new Thread(() -> {
                try {
                    DatagramPacket query = new DatagramPacket(new byte[512], 512);
                    dns.receive(query);
                    byte[] reply = java.util.Arrays.copyOf(query.getData(), query.getLength());
                    reply[2] |= (byte) 0x80; // QR: a response (REFUSED would do as well: any answer proves the port)
                    reply[3] = 5;
                    dns.send(new DatagramPacket(reply, reply.length, query.getSocketAddress()));
                } catch (Exception e) {
                    // the probe then reports silence and the assertion fails
                }
            });
            server.start();
            ProbeResult result = probe.run(Tasks.of(ProbeKind.UDP, "127.0.0.1", String.valueOf(dns.getLocalPort()),
                    Duration.ofSeconds(2), "payload=dns"), Tasks.CONTEXT);
            server.join();
            assertThat(result.outcome()).as(result.summary()).isEqualTo(Outcome.OPEN);
            assertThat(result.summary()).contains("DNS answer");
        }
    }

    @Test
    void aBadPayloadParameterIsAnErrorNamingIt() {
        ProbeResult result = probe.run(Tasks.of(ProbeKind.UDP, "127.0.0.1", "5060", SHORT, "payload=ftp"), Tasks.CONTEXT);
        assertThat(result.outcome()).isEqualTo(Outcome.ERROR);
        assertThat(result.summary()).contains("payload=ftp");
    }
}
