package dev.vantage.agent.probe;

import dev.vantage.agent.responder.SipUas;
import dev.vantage.params.DefaultTimeouts;
import dev.vantage.wire.Outcome;
import dev.vantage.wire.ProbeKind;
import dev.vantage.wire.ProbeResult;
import dev.vantage.wire.SipEvidence;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.File;
import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

class SipProbeTest {
    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
    private static final List<Process> SIPP = new ArrayList<>();
    private static SipUas uas;
    private static int sippUdpPort;
    private static int sippTcpPort;
    private static String sippMissing;

    private final SipProbe probe = new SipProbe();

    @BeforeAll
    static void start() throws Exception {
        uas = new SipUas(LOOPBACK, 0, EnumSet.of(SipUas.Transport.UDP, SipUas.Transport.TCP),
                Duration.ofMinutes(5)).start();
        if (!onPath("sipp")) {
            sippMissing = "sipp is not installed (Debian package sip-tester, see .ci/packages)";
            System.out.println("SKIP sipp tests: " + sippMissing);
            return;
        }
        sippUdpPort = startSipp("u1");
        sippTcpPort = startSipp("t1");
    }

    @AfterAll
    static void stop() throws InterruptedException {
        uas.close();
        for (Process p : SIPP) {
            p.destroy();
            if (!p.waitFor(5, java.util.concurrent.TimeUnit.SECONDS)) {
                p.destroyForcibly().waitFor();
            }
        }
    }

    private static boolean onPath(String command) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            if (new File(dir, command).canExecute()) {
                return true;
            }
        }
        return false;
    }

    /** Starts sipp in the foreground as a child on a free port below 32768 and waits until it answers. */
    private static int startSipp(String transport) throws Exception {
        Path scenario = Path.of(SipProbeTest.class.getResource("/sipp/options-uas.xml").toURI());
        for (int attempt = 0; attempt < 10; attempt++) {
            int port = freePort();
            Process p = new ProcessBuilder("sipp", "-sf", scenario.toString(), "-i", "127.0.0.1", "-p",
                    Integer.toString(port), "-t", transport, "-nostdin")
                    .directory(new File("target"))
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .redirectError(new File("target/sipp-" + transport + ".err"))
                    .start();
            SIPP.add(p);
            Map<String, String> params = Map.of("transport", transport.startsWith("u") ? "udp" : "tcp",
                    "attempts", "1");
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (p.isAlive() && System.nanoTime() < deadline) {
                ProbeResult r = new SipProbe().run(Tasks.task(ProbeKind.SIP, "127.0.0.1", port,
                        Duration.ofMillis(300), params), Tasks.CONTEXT);
                if (r.outcome() == Outcome.RESPONDED) {
                    return port;
                }
                Thread.sleep(100);
            }
            p.destroyForcibly().waitFor();
        }
        throw new IllegalStateException("sipp did not come up; see target/sipp-" + transport + ".err");
    }

    private static int freePort() throws IOException {
        while (true) {
            int port = ThreadLocalRandom.current().nextInt(20000, 32000);
            try (DatagramSocket u = new DatagramSocket(new InetSocketAddress(LOOPBACK, port));
                 ServerSocket t = new ServerSocket(port, 1, LOOPBACK)) {
                return port;
            } catch (IOException busy) {
                // try another
            }
        }
    }

    private ProbeResult options(int port, String transport, Duration timeout, String... params) {
        Map<String, String> p = new java.util.HashMap<>(Map.of("transport", transport));
        for (int i = 0; i < params.length; i += 2) {
            p.put(params[i], params[i + 1]);
        }
        return probe.run(Tasks.task(ProbeKind.SIP, "127.0.0.1", port, timeout, p), Tasks.CONTEXT);
    }

    private static SipEvidence sip(ProbeResult r) {
        return (SipEvidence) r.evidence();
    }

    @Test
    void sendsTheServerNameOfTheTaskOverTls() throws Exception {
        TestCertificates.Identity ca = TestCertificates.ca("CN=SIP Test CA");
        try (TestTlsServer server = new TestTlsServer(TestCertificates.leaf(ca, "jtelacd.example.com",
                List.of("jtelacd.example.com")), "")) {
            options(server.port(), "tls", Duration.ofSeconds(1), "sni", "jtelacd.example.com");
            assertThat(server.serverNames().poll(5, TimeUnit.SECONDS)).containsExactly("jtelacd.example.com");
        }
    }

    @Test
    void waitsTheDefaultTimeoutThePlannerWritesWhenTheTaskHasNone() throws Exception {
        try (DatagramSocket silent = new DatagramSocket(0, LOOPBACK)) {
            ProbeResult r = probe.run(Tasks.task(ProbeKind.SIP, "127.0.0.1", silent.getLocalPort(), null,
                    Map.of("transport", "udp", "attempts", "1")), Tasks.CONTEXT);
            assertThat(r.outcome()).isEqualTo(Outcome.OPEN_OR_FILTERED);
            assertThat(r.summary()).contains("within " + DefaultTimeouts.of(ProbeKind.SIP).toMillis() + " ms x 1");
        }
    }

    @Test
    void getsA200FromARealSipStackOverUdp() {
        Assumptions.assumeTrue(sippMissing == null, sippMissing);
        ProbeResult r = options(sippUdpPort, "udp", Duration.ofSeconds(1));
        assertThat(r.outcome()).isEqualTo(Outcome.RESPONDED);
        SipEvidence e = sip(r);
        assertThat(e.statusCode()).isEqualTo(200);
        assertThat(e.reason()).isEqualTo("OK");
        assertThat(e.server()).isEqualTo("sipp-test-uas");
        assertThat(e.rttMicros()).isNotNull();
        assertThat(e.echoed()).isFalse();
        assertThat(e.rewritten()).isFalse();
        assertThat(r.destinationAddress()).isEqualTo("127.0.0.1:" + sippUdpPort);
        assertThat(r.sourceAddress()).startsWith("127.0.0.1:");
        assertThat(r.summary()).contains("200 OK").contains("sipp-test-uas");
    }

    @Test
    void getsA200FromARealSipStackOverTcp() {
        Assumptions.assumeTrue(sippMissing == null, sippMissing);
        ProbeResult r = options(sippTcpPort, "tcp", Duration.ofSeconds(1));
        assertThat(r.outcome()).isEqualTo(Outcome.RESPONDED);
        assertThat(sip(r).statusCode()).isEqualTo(200);
        assertThat(r.protocol()).isEqualTo("sip/tcp");
    }

    @Test
    void seesTheRequestArriveUnchangedAtTheResponderOverUdpAndTcp() {
        for (String transport : List.of("udp", "tcp")) {
            ProbeResult r = options(uas.port(), transport, Duration.ofSeconds(1));
            assertThat(r.outcome()).isEqualTo(Outcome.RESPONDED);
            assertThat(sip(r).server()).isEqualTo(SipUas.SERVER);
            assertThat(sip(r).echoed()).isTrue();
            assertThat(sip(r).rewritten()).isFalse();
            assertThat(sip(r).diff()).isEmpty();
            assertThat(r.summary()).contains("arrived unchanged");
        }
    }

    @Test
    void reportsASipAlgRewriteAsADiff() throws Exception {
        try (TestSipAlg alg = new TestSipAlg(uas.port())) {
            ProbeResult r = options(alg.port(), "udp", Duration.ofSeconds(1));
            assertThat(r.outcome()).isEqualTo(Outcome.RESPONDED);
            SipEvidence e = sip(r);
            assertThat(e.echoed()).isTrue();
            assertThat(e.rewritten()).isTrue();
            String local = r.sourceAddress();
            assertThat(e.diff()).contains(
                    new SipEvidence.Change("Via", "SIP/2.0/UDP " + local + ";branch=" + e.branch() + ";rport",
                            "SIP/2.0/UDP " + TestSipAlg.PUBLIC + ";branch=" + e.branch() + ";rport"),
                    new SipEvidence.Change("Contact", "<sip:vantage@" + local + ";transport=udp>",
                            "<sip:vantage@" + TestSipAlg.PUBLIC + ";transport=udp>"),
                    new SipEvidence.Change("sdp", "c=IN IP4 127.0.0.1", "c=IN IP4 " + TestSipAlg.PUBLIC_IP));
            assertThat(e.diff()).extracting(SipEvidence.Change::field).doesNotContain("From", "To", "Call-ID");
            assertThat(r.summary()).contains("rewrote").contains(TestSipAlg.PUBLIC);
        }
    }

    @Test
    void keepsMalformedAndUnmatchedRepliesAsEvidence() throws Exception {
        String unmatched = "SIP/2.0 200 OK\r\nVia: SIP/2.0/UDP 127.0.0.1:1;branch=z9hG4bK-other\r\n"
                + "From: <sip:x@y>;tag=other\r\nTo: <sip:y@z>\r\nCall-ID: other\r\nCSeq: 1 OPTIONS\r\n"
                + "Content-Length: 0\r\n\r\n";
        try (TestUdpPeer peer = new TestUdpPeer(req -> List.of("\u0000\u00ff garbage, not SIP", unmatched,
                "HTTP/1.1 400 Bad Request\r\n\r\n"))) {
            ProbeResult r = options(peer.port(), "udp", Duration.ofMillis(300), "attempts", "1");
            assertThat(r.outcome()).isEqualTo(Outcome.UNEXPECTED);
            SipEvidence e = sip(r);
            assertThat(e.statusCode()).isNull();
            assertThat(e.unmatchedReplies()).isEqualTo(1);
            assertThat(e.malformed()).hasSize(2);
            assertThat(e.malformed().get(0)).startsWith("\\x00\\xff garbage");
            assertThat(e.malformed().get(1)).startsWith("HTTP/1.1 400");
        }
    }

    @Test
    void matchesTheRealResponseAfterNoise() throws Exception {
        try (TestUdpPeer peer = new TestUdpPeer(req -> {
            String via = req.lines().filter(l -> l.startsWith("Via:")).findFirst().orElseThrow();
            String from = req.lines().filter(l -> l.startsWith("From:")).findFirst().orElseThrow();
            String callId = req.lines().filter(l -> l.startsWith("Call-ID:")).findFirst().orElseThrow();
            return List.of("garbage", "SIP/2.0 100 Trying\r\n" + via + "\r\n" + from + "\r\nTo: <sip:x>\r\n"
                    + callId + "\r\nCSeq: 1 OPTIONS\r\n\r\n", "SIP/2.0 404 Not Found\r\n" + via + "\r\n" + from
                    + "\r\nTo: <sip:x>;tag=1\r\n" + callId + "\r\nCSeq: 1 OPTIONS\r\nUser-Agent: FPBX\r\n"
                    + "Content-Length: 0\r\n\r\n");
        })) {
            ProbeResult r = options(peer.port(), "udp", Duration.ofSeconds(1));
            assertThat(r.outcome()).isEqualTo(Outcome.RESPONDED);
            assertThat(sip(r).statusCode()).isEqualTo(404);
            assertThat(sip(r).userAgent()).isEqualTo("FPBX");
            assertThat(sip(r).malformed()).containsExactly("garbage");
        }
    }

    @Test
    void matchesAResponseWithCompactAndFoldedHeaders() throws Exception {
        try (TestUdpPeer peer = new TestUdpPeer(req -> {
            String via = req.lines().filter(l -> l.startsWith("Via:")).findFirst().orElseThrow().substring(4);
            String from = req.lines().filter(l -> l.startsWith("From:")).findFirst().orElseThrow().substring(5);
            String callId = req.lines().filter(l -> l.startsWith("Call-ID:")).findFirst().orElseThrow().substring(8);
            // the From tag on a continuation line, as RFC 3261 allows
            String tag = from.substring(from.indexOf(";tag="));
            return List.of("SIP/2.0 200 OK\r\nv:" + via + "\r\nf: " + from.substring(0, from.indexOf(";tag="))
                    + "\r\n\t" + tag + "\r\nt: <sip:x>;tag=1\r\ni:" + callId + "\r\nCSeq: 1 OPTIONS\r\nl: 0\r\n\r\n");
        })) {
            ProbeResult r = options(peer.port(), "udp", Duration.ofSeconds(1), "attempts", "1");
            assertThat(r.outcome()).as(r.summary()).isEqualTo(Outcome.RESPONDED);
            assertThat(sip(r).statusCode()).isEqualTo(200);
            assertThat(sip(r).malformed()).isEmpty();
        }
    }

    @Test
    void countsAProvisionalResponseWithoutAFinalOneAsASipStack() throws Exception {
        try (TestUdpPeer peer = new TestUdpPeer(req -> List.of("SIP/2.0 100 Trying\r\n"
                + String.join("\r\n", req.lines().filter(l -> l.startsWith("Via:") || l.startsWith("From:")
                || l.startsWith("Call-ID:") || l.startsWith("CSeq:")).toList()) + "\r\nTo: <sip:x>\r\n\r\n"))) {
            ProbeResult r = options(peer.port(), "udp", Duration.ofMillis(300), "attempts", "1");
            assertThat(r.outcome()).isEqualTo(Outcome.RESPONDED);
            assertThat(sip(r).statusCode()).isEqualTo(100);
        }
    }

    @Test
    void reportsUdpSilenceAsOpenOrFiltered() throws Exception {
        try (TestUdpPeer silent = new TestUdpPeer(req -> List.of())) {
            ProbeResult r = options(silent.port(), "udp", Duration.ofMillis(300), "attempts", "1");
            assertThat(r.outcome()).isEqualTo(Outcome.OPEN_OR_FILTERED);
            assertThat(sip(r).error()).contains("no SIP response within 300 ms");
        }
    }

    @Test
    void reportsAClosedTcpPortAsClosed() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, LOOPBACK)) {
            port = s.getLocalPort();
        }
        ProbeResult r = options(port, "tcp", Duration.ofSeconds(1));
        assertThat(r.outcome()).isEqualTo(Outcome.CLOSED);
        assertThat(r.summary()).contains("127.0.0.1:" + port);
    }

    @Test
    void speaksSipOverTls() throws Exception {
        TestCertificates.Identity id = TestCertificates.selfSigned("sbc.test", List.of("127.0.0.1"));
        String reply = "SIP/2.0 200 OK\r\nVia: X\r\n\r\n";
        try (TestTlsServer server = new TestTlsServer(id, reply)) {
            ProbeResult r = options(server.port(), "tls", Duration.ofSeconds(1));
            // the server's canned reply does not carry our branch: the TLS path works, the reply is unmatched
            assertThat(r.outcome()).isEqualTo(Outcome.UNEXPECTED);
            assertThat(r.protocol()).isEqualTo("sip/tls");
            assertThat(r.timingsMicros()).containsKey("handshake");
            assertThat(sip(r).unmatchedReplies()).isEqualTo(1);
        }
    }
}
