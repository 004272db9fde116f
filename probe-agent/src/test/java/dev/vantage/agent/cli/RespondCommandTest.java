package dev.vantage.agent.cli;

import dev.vantage.agent.probe.ProbeContext;
import dev.vantage.agent.probe.SipProbe;
import dev.vantage.wire.Outcome;
import dev.vantage.wire.PortRange;
import dev.vantage.wire.ProbeKind;
import dev.vantage.wire.ProbeResult;
import dev.vantage.wire.ProbeTask;
import dev.vantage.wire.SipEvidence;
import dev.vantage.wire.Wire;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.ServerSocket;

import static org.assertj.core.api.Assertions.assertThat;

class RespondCommandTest {
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int respond(String... args) {
        CommandLine cli = new CommandLine(new RespondCommand());
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        return cli.execute(args);
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

    @Test
    void listensOnTheGivenPortsAndExitsZeroAtTheEndOfTheWindow() throws Exception {
        int tcp = freeTcpPort();
        int udp = freeUdpPort();
        int exit = respond("--tcp", String.valueOf(tcp), "--udp", String.valueOf(udp), "--duration", "300ms",
                "--bind", "127.0.0.1", "--agent", "lab-1");
        assertThat(exit).as(err.toString()).isZero();
        assertThat(out.toString())
                .contains("responder listening for 300ms")
                .contains("tcp accept on 127.0.0.1 ports " + tcp)
                .contains("udp echo   on 127.0.0.1 ports " + udp)
                .contains("responder window closed");
    }

    @Test
    void sipOptionIsAnsweredBySipUasForTheWindow() throws Exception {
        int sip = freeUdpPort();
        java.util.concurrent.CompletableFuture<Integer> exit = java.util.concurrent.CompletableFuture.supplyAsync(
                () -> respond("--sip", String.valueOf(sip), "--duration", "3s", "--bind", "127.0.0.1"));
        ProbeResult result = null;
        for (int i = 0; i < 20 && (result == null || result.outcome() != Outcome.RESPONDED); i++) {
            Thread.sleep(100);
            result = new SipProbe().run(new ProbeTask(Wire.SCHEMA_VERSION, "t", null, "s", "v", null, "r",
                    ProbeKind.SIP, "127.0.0.1", PortRange.of(sip), java.util.Map.of("transport", "udp"),
                    java.time.Duration.ofMillis(300)), ProbeContext.standalone("test"));
        }
        assertThat(result.outcome()).isEqualTo(Outcome.RESPONDED);
        assertThat(((SipEvidence) result.evidence()).statusCode()).isEqualTo(200);
        assertThat(((SipEvidence) result.evidence()).rewritten()).isFalse();
        assertThat(exit.get(10, java.util.concurrent.TimeUnit.SECONDS)).as(err.toString()).isZero();
        assertThat(out.toString()).contains("sip " + sip + " (udp, tcp)");
    }

    @Test
    void sipPortAlsoGivenAsUdpIsExitCode2() {
        assertThat(respond("--sip", "5060", "--udp", "5060", "--duration", "1s")).isEqualTo(2);
        assertThat(err.toString()).contains("--sip 5060 and --udp 5060 overlap");
    }

    @Test
    void aPortOutOfRangeIsExitCode2NamingTheValue() {
        assertThat(respond("--tcp", "22,70000", "--duration", "1s")).isEqualTo(2);
        assertThat(err.toString()).contains("--tcp 22,70000").contains("port 70000 is out of range");
    }

    @Test
    void aBadDurationIsExitCode2NamingTheValue() {
        assertThat(respond("--udp", "30000-30010", "--duration", "soon")).isEqualTo(2);
        assertThat(err.toString()).contains("'soon' is not a duration");
    }

    @Test
    void nothingToListenOnIsExitCode2() {
        assertThat(respond("--duration", "1s")).isEqualTo(2);
        assertThat(err.toString()).contains("give --tcp, --udp, --rtp or --sip");
    }

    @Test
    void aPortAlreadyInUseIsExitCode1NamingIt() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            int exit = respond("--tcp", String.valueOf(taken.getLocalPort()), "--duration", "1s", "--bind", "127.0.0.1");
            assertThat(exit).isEqualTo(1);
            assertThat(err.toString()).contains("tcp port " + taken.getLocalPort()).contains("already uses it");
        }
    }
}
