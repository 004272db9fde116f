package dev.vantage.agent.probe;

import dev.vantage.wire.Outcome;
import dev.vantage.wire.PortRange;
import dev.vantage.wire.ProbeKind;
import dev.vantage.wire.ProbeResult;
import dev.vantage.wire.ProbeTask;
import dev.vantage.wire.Wire;
import org.junit.jupiter.api.Test;

import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
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
        return new ProbeTask(Wire.SCHEMA_VERSION, "respond-1", null, "s", "acd-stack", null, "inbound.x",
                ProbeKind.RESPOND, "127.0.0.1", ports, Map.of("serve", serve, "transport", transport, "duration", duration),
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
