package dev.vantage.agent.probe;

import dev.vantage.wire.Outcome;
import dev.vantage.wire.PortRange;
import dev.vantage.wire.ProbeKind;
import dev.vantage.wire.ProbeResult;
import dev.vantage.wire.ProbeTask;
import dev.vantage.wire.ReceiptEvidence;
import dev.vantage.wire.Wire;
import org.junit.jupiter.api.Test;

import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;

/** Responder windows opened by tasks, probed by the real probes of the other vantages. */
class RespondProbeTest {
    private final ProbeContext context = ProbeContext.standalone("test");

    @Test
    void acceptWindowIsReachedByATcpProbeAndReportsWhatItServed() throws Exception {
        int port = freeTcpPort();
        CompletableFuture<ProbeResult> window = open("accept", "tcp", PortRange.of(port), "PT2S");
        ProbeResult probe = until(() -> new TcpProbe().run(task(ProbeKind.TCP, PortRange.of(port), Map.of("responder", "true")),
                context), Outcome.OPEN);
        assertThat(probe.outcome()).isEqualTo(Outcome.OPEN);

        ProbeResult listened = window.get(10, TimeUnit.SECONDS);
        assertThat(listened.outcome()).isEqualTo(Outcome.LISTENED);
        assertThat(listened.summary()).contains("tcp accepted").doesNotContain(" 0 tcp accepted");
    }

    @Test
    void rtpWindowAlsoAnswersTheNonceEchoOfARangeSweep() throws Exception {
        int first = freeUdpPort();
        PortRange ports = new PortRange(first, first);
        CompletableFuture<ProbeResult> window = open("rtp", "udp", ports, "PT2S");
        ProbeResult probe = until(() -> new UdpProbe().run(task(ProbeKind.UDP, ports, Map.of("responder", "true")), context),
                Outcome.OPEN);
        assertThat(probe.outcome()).as("a udp probe with a responder expected gets its nonce back").isEqualTo(Outcome.OPEN);
        assertThat(window.get(10, TimeUnit.SECONDS).outcome()).isEqualTo(Outcome.LISTENED);
    }

    @Test
    void sipWindowAnswersOptions() throws Exception {
        int port = freeUdpPort();
        CompletableFuture<ProbeResult> window = open("sip", "udp", PortRange.of(port), "PT2S");
        ProbeResult probe = until(() -> new SipProbe().run(task(ProbeKind.SIP, PortRange.of(port),
                Map.of("responder", "true", "transport", "udp")), context), Outcome.RESPONDED);
        assertThat(probe.outcome()).isEqualTo(Outcome.RESPONDED);
        assertThat(window.get(10, TimeUnit.SECONDS).outcome()).isEqualTo(Outcome.LISTENED);
    }

    @Test
    void reportsTheWindowAsSoonAsItIsOpenAndANewerTaskOnTheSamePortsEndsIt() throws Exception {
        int port = freeTcpPort();
        RespondProbe probe = new RespondProbe();
        CompletableFuture<ProbeResult> openedFirst = new CompletableFuture<>();
        CompletableFuture<ProbeResult> first = CompletableFuture.supplyAsync(() -> probe.run(
                respond("respond-1", "accept", "tcp", PortRange.of(port), "PT60S"), context, openedFirst::complete));
        ProbeResult opened = openedFirst.get(10, TimeUnit.SECONDS);
        assertThat(opened.outcome()).isEqualTo(Outcome.LISTENED);
        assertThat(opened.summary()).contains("open for PT1M");
        assertThat(first).as("the window itself is still open").isNotDone();
        assertThat(until(() -> new TcpProbe().run(task(ProbeKind.TCP, PortRange.of(port), Map.of("responder", "true")),
                context), Outcome.OPEN).outcome()).isEqualTo(Outcome.OPEN);

        // the next survey's responder on the same port: the first window ends, the second opens
        CompletableFuture<ProbeResult> openedSecond = new CompletableFuture<>();
        CompletableFuture<ProbeResult> second = CompletableFuture.supplyAsync(() -> probe.run(
                respond("respond-2", "accept", "tcp", PortRange.of(port), "PT2S"), context, openedSecond::complete));
        assertThat(openedSecond.get(10, TimeUnit.SECONDS).outcome()).isEqualTo(Outcome.LISTENED);
        assertThat(first.get(10, TimeUnit.SECONDS).outcome()).isEqualTo(Outcome.LISTENED);
        assertThat(first.get().summary()).contains("1 tcp accepted");
        assertThat(second.get(10, TimeUnit.SECONDS).outcome()).isEqualTo(Outcome.LISTENED);
    }

    @Test
    void closingASurveyEndsItsWindowsAndNoOther() throws Exception {
        int mine = freeTcpPort();
        int other = freeUdpPort();
        RespondProbe probe = new RespondProbe();
        CompletableFuture<ProbeResult> openedMine = new CompletableFuture<>();
        CompletableFuture<ProbeResult> openedOther = new CompletableFuture<>();
        CompletableFuture<ProbeResult> windowMine = CompletableFuture.supplyAsync(() -> probe.run(respondIn("survey-a",
                "a-1", "accept", "tcp", PortRange.of(mine)), context, openedMine::complete));
        CompletableFuture<ProbeResult> windowOther = CompletableFuture.supplyAsync(() -> probe.run(respondIn("survey-b",
                "b-1", "echo", "udp", PortRange.of(other)), context, openedOther::complete));
        openedMine.get(10, TimeUnit.SECONDS);
        openedOther.get(10, TimeUnit.SECONDS);

        assertThat(probe.endWindowsOf("survey-a")).isEqualTo(1);
        assertThat(windowMine.get(10, TimeUnit.SECONDS).outcome()).isEqualTo(Outcome.LISTENED);
        assertThat(until(() -> new TcpProbe().run(task(ProbeKind.TCP, PortRange.of(mine), Map.of()), context),
                Outcome.CLOSED).outcome()).as("the port is free again").isEqualTo(Outcome.CLOSED);
        assertThat(windowOther).as("another survey's window stays open").isNotDone();
        assertThat(probe.endWindowsOf("survey-a")).as("nothing left to end").isZero();
        assertThat(probe.endWindowsOf("survey-b")).isEqualTo(1);
        assertThat(windowOther.get(10, TimeUnit.SECONDS).outcome()).isEqualTo(Outcome.LISTENED);
    }

    @Test
    void aNewerSipWindowOnTheSamePortEndsTheOlderOne() throws Exception {
        int port = freeUdpPort();
        RespondProbe probe = new RespondProbe();
        for (String transport : List.of("udp", "tcp")) {
            CompletableFuture<ProbeResult> opened = new CompletableFuture<>();
            CompletableFuture<ProbeResult> first = CompletableFuture.supplyAsync(() -> probe.run(
                    respond("sip-1-" + transport, "sip", transport, PortRange.of(port), "PT60S"), context, opened::complete));
            assertThat(opened.get(10, TimeUnit.SECONDS).outcome()).isEqualTo(Outcome.LISTENED);
            ProbeResult second = probe.run(respond("sip-2-" + transport, "sip", transport, PortRange.of(port), "PT1S"),
                    context, r -> { });
            assertThat(second.outcome()).as(second.summary()).isEqualTo(Outcome.LISTENED);
            assertThat(first.get(10, TimeUnit.SECONDS).outcome()).isEqualTo(Outcome.LISTENED);
        }
    }

    @Test
    void theClosingReportCarriesWhatReachedTheWindowWhenACloseEndsIt() throws Exception {
        int tcpPort = freeTcpPort();
        int udpPort = freeUdpPort();
        RespondProbe probe = new RespondProbe();
        CompletableFuture<ProbeResult> openedTcp = new CompletableFuture<>();
        CompletableFuture<ProbeResult> openedUdp = new CompletableFuture<>();
        CompletableFuture<ProbeResult> tcpWindow = CompletableFuture.supplyAsync(() -> probe.run(respondIn("survey-r",
                "r-1", "accept", "tcp", PortRange.of(tcpPort)), context, openedTcp::complete));
        CompletableFuture<ProbeResult> udpWindow = CompletableFuture.supplyAsync(() -> probe.run(respondIn("survey-r",
                "r-2", "echo", "udp", PortRange.of(udpPort)), context, openedUdp::complete));
        assertThat(openedTcp.get(10, TimeUnit.SECONDS).evidence()).as("the opening report has no receipts").isNull();
        openedUdp.get(10, TimeUnit.SECONDS);
        assertThat(new TcpProbe().run(task(ProbeKind.TCP, PortRange.of(tcpPort), Map.of("responder", "true")), context)
                .outcome()).isEqualTo(Outcome.OPEN);
        ProbeTask udpTask = task(ProbeKind.UDP, PortRange.of(udpPort), Map.of("responder", "true"));
        assertThat(new UdpProbe().run(udpTask, context).outcome()).isEqualTo(Outcome.OPEN);

        assertThat(probe.endWindowsOf("survey-r")).isEqualTo(2);
        ProbeResult tcpClosed = tcpWindow.get(10, TimeUnit.SECONDS);
        assertThat(tcpClosed.outcome()).isEqualTo(Outcome.LISTENED);
        ReceiptEvidence tcp = (ReceiptEvidence) tcpClosed.evidence();
        assertThat(tcp.listened()).containsExactly(PortRange.of(tcpPort));
        assertThat(tcp.of(ReceiptEvidence.Kind.TCP_ACCEPT)).singleElement().satisfies(r -> {
            assertThat(r.source()).isEqualTo("127.0.0.1");
            assertThat(r.ports()).containsExactly(PortRange.of(tcpPort));
        });
        ReceiptEvidence udp = (ReceiptEvidence) udpWindow.get(10, TimeUnit.SECONDS).evidence();
        assertThat(udp.of(ReceiptEvidence.Kind.UDP_NONCE)).singleElement().satisfies(r -> {
            assertThat(r.tag()).as("the probe's nonce names its task").isEqualTo(ReceiptEvidence.tagOf(udpTask.taskId()));
            assertThat(r.ports()).containsExactly(PortRange.of(udpPort));
        });
        assertThat(Wire.decode(Wire.encode(tcpClosed), ProbeResult.class)).as("it travels as it is").isEqualTo(tcpClosed);
    }

    @Test
    void aSipWindowReportsTheRequestsOfVantageProbes() throws Exception {
        int port = freeUdpPort();
        CompletableFuture<ProbeResult> window = open("sip", "udp", PortRange.of(port), "PT2S");
        until(() -> new SipProbe().run(task(ProbeKind.SIP, PortRange.of(port), Map.of("responder", "true",
                "transport", "udp")), context), Outcome.RESPONDED);
        ReceiptEvidence receipts = (ReceiptEvidence) window.get(10, TimeUnit.SECONDS).evidence();
        assertThat(receipts.of(ReceiptEvidence.Kind.SIP_REQUEST)).singleElement()
                .satisfies(r -> assertThat(r.source()).isEqualTo("127.0.0.1"));
    }

    @Test
    void aWindowOnFreePortsTakesThoseAndReportsThePortAnotherProcessHolds() throws Exception {
        try (DatagramSocket held = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            int port = held.getLocalPort();
            List<ProbeResult> opened = new java.util.ArrayList<>();
            ProbeTask task = new ProbeTask(Wire.SCHEMA_VERSION, "free-1", null, "s", "acd-stack", null, "inbound.rtp",
                    ProbeKind.RESPOND, "127.0.0.1", PortRange.of(port), Map.of("serve", "echo", "transport", "udp",
                    "duration", "PT1S", "freeOnly", "true"), Duration.ofMinutes(1));
            ProbeResult closed = new RespondProbe().run(task, context, opened::add);
            assertThat(opened).singleElement().satisfies(o -> assertThat(o.summary()).contains("1 port(s) skipped"));
            assertThat(closed.outcome()).as(closed.summary()).isEqualTo(Outcome.LISTENED);
            ReceiptEvidence receipts = (ReceiptEvidence) closed.evidence();
            assertThat(receipts.listened()).isEmpty();
            assertThat(receipts.skipped()).containsExactly(new ReceiptEvidence.Skipped(PortRange.of(port),
                    "in use by another process"));
        }
    }

    @Test
    void aWindowThatDoesNotOpenIsNotReportedAsOpen() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            List<ProbeResult> opened = new java.util.ArrayList<>();
            ProbeResult r = new RespondProbe().run(respond("respond-1", "accept", "tcp", PortRange.of(taken.getLocalPort()),
                    "PT1S"), context, opened::add);
            assertThat(r.outcome()).isEqualTo(Outcome.ERROR);
            assertThat(opened).isEmpty();
        }
    }

    @Test
    void aPortThatCannotBeOpenedIsAnErrorNamingIt() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            ProbeResult r = new RespondProbe().run(respond("accept", "tcp", PortRange.of(taken.getLocalPort()), "PT1S"), context);
            assertThat(r.outcome()).isEqualTo(Outcome.ERROR);
            assertThat(r.summary()).contains(Integer.toString(taken.getLocalPort()));
        }
    }

    @Test
    void anUnknownListenerKindIsAnErrorNamingIt() {
        ProbeResult r = new RespondProbe().run(respond("telnet", "tcp", PortRange.of(40000), "PT1S"), context);
        assertThat(r.outcome()).isEqualTo(Outcome.ERROR);
        assertThat(r.summary()).contains("serve=telnet").contains("accept, echo, nat, rtp, sip");
    }

    @Test
    void aWindowLongerThanADayIsRefusedAsMalformed() {
        ProbeResult r = new RespondProbe().run(respond("accept", "tcp", PortRange.of(40000), "P2D"), context);
        assertThat(r.outcome()).isEqualTo(Outcome.ERROR);
        assertThat(r.summary()).contains("longer than");
    }

    private CompletableFuture<ProbeResult> open(String serve, String transport, PortRange ports, String duration) {
        return CompletableFuture.supplyAsync(() -> new RespondProbe().run(respond(serve, transport, ports, duration), context));
    }

    private static ProbeResult until(Supplier<ProbeResult> probe, Outcome wanted) throws InterruptedException {
        ProbeResult last = null;
        for (int i = 0; i < 30; i++) {
            last = probe.get();
            if (last.outcome() == wanted) {
                return last;
            }
            Thread.sleep(50);
        }
        return last;
    }

    private static ProbeTask respond(String serve, String transport, PortRange ports, String duration) {
        return respond("respond-1", serve, transport, ports, duration);
    }

    private static ProbeTask respond(String id, String serve, String transport, PortRange ports, String duration) {
        return new ProbeTask(Wire.SCHEMA_VERSION, id, null, "s", "acd-stack", null, "inbound.x",
                ProbeKind.RESPOND, "127.0.0.1", ports, Map.of("serve", serve, "transport", transport, "duration", duration),
                Duration.ofMinutes(1));
    }

    /** A minute-long window of a survey. */
    private static ProbeTask respondIn(String survey, String id, String serve, String transport, PortRange ports) {
        return new ProbeTask(Wire.SCHEMA_VERSION, id, survey, "s", "acd-stack", null, "inbound.x", ProbeKind.RESPOND,
                "127.0.0.1", ports, Map.of("serve", serve, "transport", transport, "duration", "PT60S"),
                Duration.ofMinutes(1));
    }

    private static ProbeTask task(ProbeKind kind, PortRange ports, Map<String, String> params) {
        return new ProbeTask(Wire.SCHEMA_VERSION, "probe-1", null, "s", "end-users", null, "inbound.x", kind,
                "127.0.0.1", ports, params, Duration.ofMillis(300));
    }

    private static int freeTcpPort() throws Exception {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static int freeUdpPort() throws Exception {
        try (DatagramSocket s = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
