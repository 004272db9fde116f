package dev.vantage.agent.responder;

import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.EnumSet;

import static dev.vantage.agent.responder.SipUas.Transport.TCP;
import static dev.vantage.agent.responder.SipUas.Transport.UDP;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

class SipUasTest {
    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    private static String request(String method, String body) {
        return method + " sip:127.0.0.1 SIP/2.0\r\n"
                + "Via: SIP/2.0/UDP 10.9.9.9:5060;branch=z9hG4bK-test1;rport\r\n"
                + "From: <sip:a@10.9.9.9>;tag=abc\r\n"
                + "To: <sip:127.0.0.1>\r\n"
                + "Call-ID: call-1@test\r\n"
                + "CSeq: 7 " + method + "\r\n"
                + "Contact: <sip:a@10.9.9.9:5060>\r\n"
                + "Content-Length: " + body.length() + "\r\n\r\n" + body;
    }

    private static String udpExchange(int port, String message) throws Exception {
        try (DatagramSocket s = new DatagramSocket()) {
            s.setSoTimeout(2000);
            byte[] b = message.getBytes(StandardCharsets.ISO_8859_1);
            s.send(new DatagramPacket(b, b.length, new InetSocketAddress(LOOPBACK, port)));
            byte[] buf = new byte[65535];
            DatagramPacket p = new DatagramPacket(buf, buf.length);
            s.receive(p);
            return new String(buf, 0, p.getLength(), StandardCharsets.ISO_8859_1);
        }
    }

    @Test
    void answersOptionsOverUdpWithTheRequestAsReceivedInTheBody() throws Exception {
        String sdp = "v=0\r\nc=IN IP4 10.9.9.9\r\nm=audio 30000 RTP/AVP 0\r\n";
        String req = request("OPTIONS", sdp);
        try (SipUas uas = new SipUas(LOOPBACK, 0, EnumSet.of(UDP), Duration.ofSeconds(30)).start()) {
            String reply = udpExchange(uas.port(), req);
            assertThat(reply).startsWith("SIP/2.0 200 OK\r\n")
                    .contains("Via: SIP/2.0/UDP 10.9.9.9:5060;branch=z9hG4bK-test1;rport\r\n")
                    .contains("Call-ID: call-1@test\r\n")
                    .contains("CSeq: 7 OPTIONS\r\n")
                    .contains("Content-Type: message/sip\r\n")
                    .contains("Server: vantage-responder");
            assertThat(reply).containsPattern("To: <sip:127.0.0.1>;tag=\\w+");
            assertThat(reply.substring(reply.indexOf("\r\n\r\n") + 4)).isEqualTo(req);
        }
    }

    @Test
    void answersOptionsOverTcpOnTheSamePort() throws Exception {
        String req = request("OPTIONS", "");
        try (SipUas uas = new SipUas(LOOPBACK, 0, EnumSet.of(UDP, TCP), Duration.ofSeconds(30)).start();
             Socket s = new Socket(LOOPBACK, uas.port())) {
            s.setSoTimeout(2000);
            OutputStream out = s.getOutputStream();
            out.write(req.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = s.getInputStream();
            byte[] buf = new byte[4096];
            StringBuilder got = new StringBuilder();
            while (!got.toString().endsWith(req)) {
                int n = in.read(buf);
                assertThat(n).isPositive();
                got.append(new String(buf, 0, n, StandardCharsets.ISO_8859_1));
            }
            assertThat(got.toString()).startsWith("SIP/2.0 200 OK\r\n").contains("X-Vantage-Transport: TCP");
        }
    }

    @Test
    void refusesOtherMethodsWith405AndNoEcho() throws Exception {
        try (SipUas uas = new SipUas(LOOPBACK, 0, EnumSet.of(UDP), Duration.ofSeconds(30)).start()) {
            String reply = udpExchange(uas.port(), request("INVITE", "v=0\r\n"));
            assertThat(reply).startsWith("SIP/2.0 405 Method Not Allowed\r\n").contains("Allow: OPTIONS")
                    .endsWith("Content-Length: 0\r\n\r\n");
        }
    }

    @Test
    void ignoresGarbageAndKeepsAnswering() throws Exception {
        try (SipUas uas = new SipUas(LOOPBACK, 0, EnumSet.of(UDP), Duration.ofSeconds(30)).start();
             DatagramSocket s = new DatagramSocket()) {
            s.setSoTimeout(300);
            byte[] junk = "\u0000\u0001garbage\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1);
            s.send(new DatagramPacket(junk, junk.length, new InetSocketAddress(LOOPBACK, uas.port())));
            assertThatThrownBy(() -> s.receive(new DatagramPacket(new byte[100], 100)))
                    .isInstanceOf(SocketTimeoutException.class);
            assertThat(udpExchange(uas.port(), request("OPTIONS", ""))).startsWith("SIP/2.0 200 OK");
        }
    }

    @Test
    void answersARequestWithCompactAndFoldedHeadersSoTheSenderCanMatchIt() throws Exception {
        String req = request("OPTIONS", "")
                .replace("Via: SIP/2.0/UDP 10.9.9.9:5060;branch=z9hG4bK-test1;rport\r\n",
                        "v: SIP/2.0/UDP 10.9.9.9:5060\r\n ;branch=z9hG4bK-test1;rport\r\n")
                .replace("Call-ID: ", "i: ");
        try (SipUas uas = new SipUas(LOOPBACK, 0, EnumSet.of(UDP), Duration.ofSeconds(30)).start()) {
            String reply = udpExchange(uas.port(), req);
            assertThat(reply).startsWith("SIP/2.0 200 OK\r\n")
                    .contains("Via: SIP/2.0/UDP 10.9.9.9:5060 ;branch=z9hG4bK-test1;rport\r\n")
                    .contains("Call-ID: call-1@test\r\n");
            assertThat(reply.substring(reply.indexOf("\r\n\r\n") + 4)).isEqualTo(req);
        }
    }

    @Test
    void closesATcpConnectionThatSendsGarbage() throws Exception {
        try (SipUas uas = new SipUas(LOOPBACK, 0, EnumSet.of(TCP), Duration.ofSeconds(30)).start();
             Socket s = new Socket(LOOPBACK, uas.port())) {
            s.setSoTimeout(5000);
            s.getOutputStream().write("\u0000\u0001garbage\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
            s.getOutputStream().flush();
            assertThat(s.getInputStream().read()).isEqualTo(-1);
        }
    }

    @Test
    void closesATcpConnectionWhoseRequestIsLargerThanTheLimit() throws Exception {
        String big = request("OPTIONS", "x".repeat(SipUas.MAX_REQUEST_BYTES));
        try (SipUas uas = new SipUas(LOOPBACK, 0, EnumSet.of(TCP), Duration.ofSeconds(30)).start();
             Socket s = new Socket(LOOPBACK, uas.port())) {
            s.setSoTimeout(5000);
            s.getOutputStream().write(big.getBytes(StandardCharsets.ISO_8859_1));
            s.getOutputStream().flush();
            assertThat(s.getInputStream().read()).isEqualTo(-1);
        }
    }

    @Test
    void echoesATcpRequestWithoutContentLengthWithoutTheBytesAfterItsHead() throws Exception {
        String head = request("OPTIONS", "").replace("Content-Length: 0\r\n", "");
        try (SipUas uas = new SipUas(LOOPBACK, 0, EnumSet.of(TCP), Duration.ofSeconds(30)).start();
             Socket s = new Socket(LOOPBACK, uas.port())) {
            s.setSoTimeout(5000);
            s.getOutputStream().write((head + "v=0\r\n").getBytes(StandardCharsets.ISO_8859_1));
            s.shutdownOutput();
            String reply = new String(s.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
            assertThat(reply).startsWith("SIP/2.0 200 OK\r\n").endsWith("\r\n\r\n" + head);
        }
    }

    @Test
    void answersAnOversizedRequestWith513WithoutEchoingIt() throws Exception {
        String big = request("OPTIONS", "x".repeat(SipUas.MAX_REQUEST_BYTES));
        try (SipUas uas = new SipUas(LOOPBACK, 0, EnumSet.of(UDP), Duration.ofSeconds(30)).start()) {
            String reply = udpExchange(uas.port(), big);
            assertThat(reply).startsWith("SIP/2.0 513").endsWith("Content-Length: 0\r\n\r\n");
        }
    }

    @Test
    void stopsAtTheEndOfItsWindow() throws Exception {
        SipUas uas = new SipUas(LOOPBACK, 0, EnumSet.of(UDP, TCP), Duration.ofMillis(300)).start();
        int port = uas.port();
        assertThat(uas.isRunning()).isTrue();
        await().atMost(Duration.ofSeconds(5)).until(() -> !uas.isRunning());
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
                assertThatThrownBy(() -> new Socket(LOOPBACK, port).close()).hasMessageContaining("refused"));
    }

    @Test
    void rejectsAnEmptyTransportSet() {
        assertThatThrownBy(() -> new SipUas(LOOPBACK, 0, EnumSet.noneOf(SipUas.Transport.class), Duration.ofSeconds(1)))
                .hasMessageContaining("at least one transport");
    }
}
