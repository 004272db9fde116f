package dev.vantage.agent.probe;

import dev.vantage.wire.Outcome;
import dev.vantage.wire.ProbeKind;
import dev.vantage.wire.ProbeResult;
import dev.vantage.wire.SshEvidence;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class SshProbeTest {
    private final SshProbe probe = new SshProbe();

    private ProbeResult probe(int port, Duration timeout) {
        return probe.run(Tasks.task(ProbeKind.SSH, "127.0.0.1", port, timeout, Map.of()), Tasks.CONTEXT);
    }

    @Test
    void reportsTheBanner() throws Exception {
        try (TestTcpServer sshd = new TestTcpServer("SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u3\r\n", false)) {
            ProbeResult r = probe(sshd.port(), Duration.ofSeconds(1));
            assertThat(r.outcome()).isEqualTo(Outcome.RESPONDED);
            SshEvidence e = (SshEvidence) r.evidence();
            assertThat(e.banner()).isEqualTo("SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u3");
            assertThat(e.protocolVersion()).isEqualTo("2.0");
            assertThat(e.software()).isEqualTo("OpenSSH_9.2p1");
            assertThat(r.summary()).contains("127.0.0.1:" + sshd.port()).contains("OpenSSH_9.2p1");
        }
    }

    @Test
    void acceptsLinesBeforeTheBanner() throws Exception {
        try (TestTcpServer sshd = new TestTcpServer("Welcome\r\nSSH-2.0-OpenSSH_9.2\r\n", false)) {
            SshEvidence e = (SshEvidence) probe(sshd.port(), Duration.ofSeconds(1)).evidence();
            assertThat(e.banner()).isEqualTo("SSH-2.0-OpenSSH_9.2");
            assertThat(e.preBannerLines()).containsExactly("Welcome");
        }
    }

    @Test
    void reportsAnHttpAnswerAsUnexpectedWithTheFirstBytes() throws Exception {
        try (TestTcpServer proxy = new TestTcpServer("HTTP/1.1 400 Bad Request\r\nServer: squid\r\n\r\n", false)) {
            ProbeResult r = probe(proxy.port(), Duration.ofSeconds(1));
            assertThat(r.outcome()).isEqualTo(Outcome.UNEXPECTED);
            SshEvidence e = (SshEvidence) r.evidence();
            assertThat(e.banner()).isNull();
            assertThat(e.firstBytes()).startsWith("HTTP/1.1 400 Bad Request\\r\\n");
            assertThat(r.summary()).contains("HTTP/1.1 400");
        }
    }

    @Test
    void reportsSilenceAsTimeout() throws Exception {
        try (TestTcpServer silent = new TestTcpServer(null, false)) {
            ProbeResult r = probe(silent.port(), Duration.ofMillis(300));
            assertThat(r.outcome()).isEqualTo(Outcome.TIMEOUT);
            assertThat(((SshEvidence) r.evidence()).error()).contains("no banner within 300 ms");
        }
    }
}
