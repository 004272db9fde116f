package dev.vantage.agent.cli;

import dev.vantage.agent.probe.TestDnsServer;
import dev.vantage.wire.DnsEvidence;
import dev.vantage.wire.Outcome;
import dev.vantage.wire.ProbeKind;
import dev.vantage.wire.ProbeResult;
import dev.vantage.wire.SshEvidence;
import dev.vantage.wire.Wire;
import io.quarkus.test.junit.main.LaunchResult;
import io.quarkus.test.junit.main.QuarkusMainLauncher;
import io.quarkus.test.junit.main.QuarkusMainTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;

import static org.assertj.core.api.Assertions.assertThat;

@QuarkusMainTest
class ProbeCommandTest {
    private static TestDnsServer dns;
    private static ServerSocket sshd;

    @BeforeAll
    static void servers() throws IOException {
        dns = new TestDnsServer();
        sshd = new ServerSocket(0, 10, InetAddress.getLoopbackAddress());
        TestDnsServer.daemon("test-sshd", () -> {
            while (!sshd.isClosed()) {
                try (Socket s = sshd.accept()) {
                    s.getOutputStream().write("SSH-2.0-OpenSSH_9.2\r\n".getBytes());
                } catch (IOException e) {
                    // next
                }
            }
        });
    }

    @AfterAll
    static void stop() throws IOException {
        dns.close();
        sshd.close();
    }

    @Test
    void printsAReadableBlockForAProbe(QuarkusMainLauncher launcher) {
        LaunchResult r = launcher.launch("probe", "ssh", "127.0.0.1:" + sshd.getLocalPort(), "--timeout", "1s");
        assertThat(r.exitCode()).isZero();
        assertThat(r.getOutput())
                .contains("ssh 127.0.0.1 port " + sshd.getLocalPort() + ": RESPONDED")
                .contains("banner: SSH-2.0-OpenSSH_9.2")
                .contains("to          127.0.0.1:" + sshd.getLocalPort());
    }

    @Test
    void printsTheResultAsJsonWithKindTargetOutcomeAndEvidence(QuarkusMainLauncher launcher) {
        LaunchResult r = launcher.launch("probe", "ssh", "127.0.0.1", String.valueOf(sshd.getLocalPort()),
                "--format", "json");
        assertThat(r.exitCode()).isZero();
        ProbeResult result = Wire.decode(r.getOutput().strip(), ProbeResult.class);
        assertThat(result.kind()).isEqualTo(ProbeKind.SSH);
        assertThat(result.target()).isEqualTo("127.0.0.1");
        assertThat(result.outcome()).isEqualTo(Outcome.RESPONDED);
        assertThat(((SshEvidence) result.evidence()).software()).isEqualTo("OpenSSH_9.2");
    }

    @Test
    void passesDnsOptionsIntoTheTask(QuarkusMainLauncher launcher) {
        LaunchResult r = launcher.launch("probe", "dns", "ok.test", "--server", dns.address(), "--expect",
                "10.0.0.9", "--timeout", "300ms", "--format", "json");
        assertThat(r.exitCode()).isZero();
        ProbeResult result = Wire.decode(r.getOutput().strip(), ProbeResult.class);
        assertThat(result.outcome()).isEqualTo(Outcome.MISMATCH);
        DnsEvidence e = (DnsEvidence) result.evidence();
        assertThat(e.resolver()).isEqualTo(dns.address());
        assertThat(e.expected()).containsExactly("10.0.0.9");
        assertThat(e.observed()).containsExactly("10.0.0.5");
    }

    @Test
    void exitsZeroWhenTheProbeRanWhateverItSaw(QuarkusMainLauncher launcher) throws IOException {
        int closed;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closed = s.getLocalPort();
        }
        LaunchResult r = launcher.launch("probe", "ssh", "127.0.0.1:" + closed);
        assertThat(r.exitCode()).isZero();
        assertThat(r.getOutput()).contains(": CLOSED");
    }

    @Test
    void namesAnUnknownKindAndListsTheKinds(QuarkusMainLauncher launcher) {
        LaunchResult r = launcher.launch("probe", "portscan", "10.0.0.5");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.getErrorOutput()).contains("unknown probe kind 'portscan'").contains("dns")
                .contains("tls").contains("sip");
    }

    @Test
    void refusesAnOptionTheKindDoesNotTakeAndABadValueNamingThem(QuarkusMainLauncher launcher) {
        LaunchResult other = launcher.launch("probe", "dns", "ok.test", "--sni", "ok.test");
        assertThat(other.exitCode()).isEqualTo(2);
        assertThat(other.getErrorOutput()).contains("dns parameter sni=ok.test: is not a parameter of dns tasks");
        LaunchResult bad = launcher.launch("probe", "http", "127.0.0.1:8443", "--scheme", "ftp");
        assertThat(bad.exitCode()).isEqualTo(2);
        assertThat(bad.getErrorOutput()).contains("http parameter scheme=ftp: expected one of http, https");
    }

    @Test
    void namesABadTimeoutAndABadPort(QuarkusMainLauncher launcher) {
        LaunchResult timeout = launcher.launch("probe", "ssh", "127.0.0.1:22", "--timeout", "soon");
        assertThat(timeout.exitCode()).isEqualTo(2);
        assertThat(timeout.getErrorOutput()).contains("--timeout 'soon'");
        LaunchResult port = launcher.launch("probe", "ssh", "127.0.0.1:99999");
        assertThat(port.exitCode()).isEqualTo(2);
        assertThat(port.getErrorOutput()).contains("'127.0.0.1:99999'");
    }
}
