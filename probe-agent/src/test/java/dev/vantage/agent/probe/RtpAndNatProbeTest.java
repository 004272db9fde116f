package dev.vantage.agent.probe;

import dev.vantage.agent.testing.LoopbackResponder;
import dev.vantage.agent.testing.Tasks;
import dev.vantage.wire.NatEvidence;
import dev.vantage.wire.Outcome;
import dev.vantage.wire.ProbeKind;
import dev.vantage.wire.ProbeResult;
import dev.vantage.wire.RtpEvidence;
import org.junit.jupiter.api.Test;

import java.net.DatagramSocket;
import java.net.InetAddress;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

class RtpAndNatProbeTest {

    @Test
    void passesAStreamReflectedOnLoopback() throws Exception {
        try (LoopbackResponder r = LoopbackResponder.start(0, 0, 1, Duration.ofSeconds(10))) {
            ProbeResult result = new RtpProbe().run(Tasks.of(ProbeKind.RTP, "127.0.0.1", r.rtp.toString(),
                    Duration.ofMillis(500), "duration=1s", "rate=50"), Tasks.CONTEXT);
            RtpEvidence evidence = (RtpEvidence) result.evidence();
            assertThat(result.outcome()).as(result.summary()).isEqualTo(Outcome.PASSED);
            assertThat(evidence.sent()).isEqualTo(50);
            assertThat(evidence.received()).isEqualTo(50);
            assertThat(evidence.lossPct()).isZero();
            assertThat(evidence.mos()).isGreaterThan(4.0);
            assertThat(r.responder.rtpReflected()).isEqualTo(50);
        }
    }

    @Test
    void losesNothingWhenTheSequenceNumberWrapsOnTheWayThroughTheReflector() throws Exception {
        try (LoopbackResponder r = LoopbackResponder.start(0, 0, 1, Duration.ofSeconds(10))) {
            // 36 packets up to 65535, then 64 from 0 on
            ProbeResult result = new RtpProbe(65_500).run(Tasks.of(ProbeKind.RTP, "127.0.0.1", r.rtp.toString(),
                    Duration.ofMillis(500), "duration=1s", "rate=100"), Tasks.CONTEXT);
            assertThat(result.evidence()).as(result.summary()).isInstanceOf(RtpEvidence.class);
            RtpEvidence evidence = (RtpEvidence) result.evidence();
            assertThat(r.responder.rtpReflected()).isEqualTo(100);
            assertThat(evidence.sent()).isEqualTo(100);
            assertThat(evidence.received()).isEqualTo(100);
            assertThat(evidence.lossPct()).isZero();
            assertThat(evidence.duplicates()).isZero();
        }
    }

    @Test
    void reportsOpenOrFilteredWhenNothingIsReflected() throws Exception {
        try (DatagramSocket silent = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            ProbeResult result = new RtpProbe().run(Tasks.of(ProbeKind.RTP, "127.0.0.1",
                    String.valueOf(silent.getLocalPort()), Duration.ofMillis(200), "duration=200ms"), Tasks.CONTEXT);
            assertThat(result.outcome()).isEqualTo(Outcome.OPEN_OR_FILTERED);
        }
    }

    @Test
    void degradedWhenAThresholdIsMissedEvenWithoutLoss() throws Exception {
        try (LoopbackResponder r = LoopbackResponder.start(0, 0, 1, Duration.ofSeconds(10))) {
            ProbeResult result = new RtpProbe().run(Tasks.of(ProbeKind.RTP, "127.0.0.1", r.rtp.toString(),
                    Duration.ofMillis(500), "duration=200ms", "minMos=4.6"), Tasks.CONTEXT);
            assertThat(result.outcome()).isEqualTo(Outcome.DEGRADED);
            assertThat(((RtpEvidence) result.evidence()).minMos()).isEqualTo(4.6);
        }
    }

    @Test
    void seesNoNatOnLoopback() throws Exception {
        try (LoopbackResponder r = LoopbackResponder.start(0, 1, 0, Duration.ofSeconds(10))) {
            ProbeResult result = new NatProbe().run(Tasks.of(ProbeKind.NAT, "127.0.0.1", r.udp.toString(),
                    Duration.ofMillis(300)), Tasks.CONTEXT);
            NatEvidence evidence = (NatEvidence) result.evidence();
            assertThat(result.outcome()).isEqualTo(Outcome.NO_NAT);
            assertThat(evidence.seenSource()).isEqualTo(evidence.localSource()).isEqualTo(result.sourceAddress());
            assertThat(evidence.portPreserved()).isTrue();
        }
    }

    @Test
    void seesNoNatOverTcpThroughTheRespondersAcceptLine() throws Exception {
        try (LoopbackResponder r = LoopbackResponder.start(1, 0, 0, Duration.ofSeconds(10))) {
            ProbeResult result = new NatProbe().run(Tasks.of(ProbeKind.NAT, "127.0.0.1", r.tcp.toString(),
                    Duration.ofMillis(500), "transport=tcp"), Tasks.CONTEXT);
            NatEvidence evidence = (NatEvidence) result.evidence();
            assertThat(result.outcome()).as(result.summary()).isEqualTo(Outcome.NO_NAT);
            assertThat(result.protocol()).isEqualTo("tcp");
            assertThat(evidence.seenSource()).isEqualTo(evidence.localSource()).isEqualTo(result.sourceAddress());
        }
    }

    @Test
    void hairpinPassesWhenTheResponderAnswersThroughThePublicAddress() throws Exception {
        try (LoopbackResponder r = LoopbackResponder.start(1, 1, 0, Duration.ofSeconds(10))) {
            ProbeResult udp = new NatProbe().run(Tasks.of(ProbeKind.NAT, "10.0.0.5", r.udp.toString(),
                    Duration.ofMillis(300), "check=hairpin", "publicAddress=127.0.0.1"), Tasks.CONTEXT);
            ProbeResult tcp = new NatProbe().run(Tasks.of(ProbeKind.NAT, "10.0.0.5", r.tcp.toString(),
                    Duration.ofMillis(300), "check=hairpin", "transport=tcp", "publicAddress=127.0.0.1:" + r.tcp.first()),
                    Tasks.CONTEXT);
            assertThat(udp.outcome()).as(udp.summary()).isEqualTo(Outcome.PASSED);
            assertThat(tcp.outcome()).as(tcp.summary()).isEqualTo(Outcome.PASSED);
            assertThat(((NatEvidence) tcp.evidence()).publicAddress()).isEqualTo("127.0.0.1:" + r.tcp.first());
        }
    }

    @Test
    void hairpinWithoutPublicAddressIsAnErrorNamingTheParameter() {
        ProbeResult result = new NatProbe().run(Tasks.of(ProbeKind.NAT, "10.0.0.5", "443", Duration.ofMillis(300),
                "check=hairpin"), Tasks.CONTEXT);
        assertThat(result.outcome()).isEqualTo(Outcome.ERROR);
        assertThat(result.summary()).contains("publicAddress");
    }
}
