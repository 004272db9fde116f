package dev.vantage.agent.probe;

import dev.vantage.agent.testing.NetnsLab;
import dev.vantage.agent.testing.Tasks;
import dev.vantage.wire.NatEvidence;
import dev.vantage.wire.Outcome;
import dev.vantage.wire.PortEvidence;
import dev.vantage.wire.PortRange;
import dev.vantage.wire.ProbeKind;
import dev.vantage.wire.ProbeResult;
import dev.vantage.wire.RangeEvidence;
import dev.vantage.wire.RangeEvidence.Segment;
import dev.vantage.wire.RtpEvidence;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The port states that need a firewall on the path: a namespace behind a veth pair whose nftables
 * rules drop, reset or reject; a responder process inside it for the UDP sweep and the RTP stream.
 */
class ProbeLabTest {
    private static final Duration SHORT = Duration.ofMillis(300);
    /** Filter rules per port, plus NAT: 7150 source-translated to ports 45000-45099, 7301/7302 forwarded to the responder. */
    private static String rules(String lab, String host) {
        return """
            table inet lab {
              chain input {
                type filter hook input priority 0; policy accept;
                tcp dport 7001 drop
                tcp dport 7002 reject with tcp reset
                tcp dport 7003 reject with icmp type admin-prohibited
                tcp dport 7004 reject with icmp type host-unreachable
                tcp dport 7005 reject with icmp type net-unreachable
                udp dport 7011 reject
                udp dport 7012 drop
                udp dport 7013 reject with icmp type admin-prohibited
                udp dport 7110-7119 drop
                udp dport 7130-7134 reject
                udp dport 7200 numgen random mod 10 < 2 drop
              }
            }
            table ip labnat {
              chain pre {
                type nat hook prerouting priority -100; policy accept;
                udp dport 7301 dnat to LAB:7100
                tcp dport 7302 dnat to LAB:7300
              }
              chain in {
                type nat hook input priority 100; policy accept;
                udp dport 7150 snat to HOST:45000-45099
              }
            }
            """.replace("LAB", lab).replace("HOST", host);
    }

    private static NetnsLab lab;

    @BeforeAll
    static void buildLab() throws Exception {
        String reason = NetnsLab.unavailable();
        if (reason != null) {
            System.out.println("skipping ProbeLabTest: " + reason);
        }
        Assumptions.assumeTrue(reason == null, reason);
        lab = NetnsLab.create();
        lab.nft(rules(lab.labAddress, lab.hostAddress));
        lab.startResponder("--tcp", "7300", "--udp", "7100-7139,7150-7151", "--rtp", "7200-7201", "--duration", "60s",
                "--bind", lab.labAddress, "--agent", "lab");
    }

    @AfterAll
    static void removeLab() {
        if (lab != null) {
            lab.close();
        }
    }

    private ProbeResult tcp(int port) {
        return new TcpProbe().run(Tasks.of(ProbeKind.TCP, lab.labAddress, String.valueOf(port), SHORT), Tasks.CONTEXT);
    }

    private ProbeResult udp(int port) {
        return new UdpProbe().run(Tasks.of(ProbeKind.UDP, lab.labAddress, String.valueOf(port), SHORT, "attempts=2"),
                Tasks.CONTEXT);
    }

    private static PortEvidence evidence(ProbeResult result) {
        return (PortEvidence) result.evidence();
    }

    @Test
    void reportsFilteredWhenSynIsDropped() {
        ProbeResult result = tcp(7001);
        assertThat(result.outcome()).isEqualTo(Outcome.FILTERED);
        assertThat(result.sourceAddress()).startsWith(lab.hostAddress + ":");
        assertThat(result.summary()).contains(lab.labAddress + ":7001").contains("no answer within 300 ms");
    }

    @Test
    void reportsClosedWhenAFirewallResetsTheConnection() {
        ProbeResult result = tcp(7002);
        assertThat(result.outcome()).isEqualTo(Outcome.CLOSED);
        assertThat(evidence(result).error()).isEqualTo("ECONNREFUSED");
    }

    @Test
    void reportsUnreachableOnAdministrativelyProhibited() {
        ProbeResult result = tcp(7003);
        assertThat(result.outcome()).isEqualTo(Outcome.UNREACHABLE);
        assertThat(evidence(result).error()).isEqualTo("EHOSTUNREACH");
        assertThat(evidence(result).icmp()).contains("admin-prohibited");
    }

    @Test
    void reportsUnreachableOnHostUnreachable() {
        ProbeResult result = tcp(7004);
        assertThat(result.outcome()).isEqualTo(Outcome.UNREACHABLE);
        assertThat(evidence(result).icmp()).contains("host-unreachable");
    }

    @Test
    void reportsUnreachableOnNetUnreachable() {
        ProbeResult result = tcp(7005);
        assertThat(result.outcome()).isEqualTo(Outcome.UNREACHABLE);
        assertThat(evidence(result).error()).isEqualTo("ENETUNREACH");
    }

    @Test
    void reportsClosedWhenAFirewallRejectsUdp() {
        ProbeResult result = udp(7011);
        assertThat(result.outcome()).isEqualTo(Outcome.CLOSED);
        assertThat(evidence(result).icmp()).isEqualTo("port-unreachable");
    }

    @Test
    void reportsOpenOrFilteredWhenUdpIsDropped() {
        ProbeResult result = udp(7012);
        assertThat(result.outcome()).isEqualTo(Outcome.OPEN_OR_FILTERED);
        assertThat(evidence(result).attempts()).isEqualTo(2);
    }

    @Test
    void reportsUnreachableWhenUdpIsAdministrativelyProhibited() {
        ProbeResult result = udp(7013);
        assertThat(result.outcome()).isEqualTo(Outcome.UNREACHABLE);
        assertThat(evidence(result).error()).isEqualTo("EHOSTUNREACH");
    }

    @Test
    void reportsOpenThroughTheResponderInTheNamespace() {
        ProbeResult result = udp(7100);
        assertThat(result.outcome()).isEqualTo(Outcome.OPEN);
        assertThat(evidence(result).nonceEchoed()).isTrue();
        assertThat(evidence(result).seenSource()).isEqualTo(result.sourceAddress());
    }

    @Test
    void namesTheExactSubRangesOfAUdpSweepWithBlockedPorts() {
        ProbeResult result = new UdpRangeProbe().run(Tasks.of(ProbeKind.UDP_RANGE, lab.labAddress, "7100-7144", SHORT,
                "responder=true", "concurrency=16", "rate=2000"), Tasks.CONTEXT);
        RangeEvidence evidence = (RangeEvidence) result.evidence();
        assertThat(result.outcome()).isEqualTo(Outcome.MIXED);
        assertThat(evidence.segments()).containsExactly(
                new Segment(Outcome.OPEN, PortRange.parse("7100-7109")),
                new Segment(Outcome.OPEN_OR_FILTERED, PortRange.parse("7110-7119")),
                new Segment(Outcome.OPEN, PortRange.parse("7120-7129")),
                new Segment(Outcome.CLOSED, PortRange.parse("7130-7134")),
                new Segment(Outcome.OPEN, PortRange.parse("7135-7139")),
                new Segment(Outcome.CLOSED, PortRange.parse("7140-7144")));
    }

    @Test
    void namesTheExactSubRangesOfATcpSweepThroughTheFirewall() {
        ProbeResult result = new TcpRangeProbe().run(Tasks.of(ProbeKind.TCP_RANGE, lab.labAddress, "7001-7006", SHORT,
                "detail=ports"), Tasks.CONTEXT);
        RangeEvidence evidence = (RangeEvidence) result.evidence();
        assertThat(evidence.segments()).containsExactly(
                new Segment(Outcome.FILTERED, PortRange.of(7001)),
                new Segment(Outcome.CLOSED, PortRange.of(7002)),
                new Segment(Outcome.UNREACHABLE, PortRange.parse("7003-7005")),
                new Segment(Outcome.CLOSED, PortRange.of(7006)));
        assertThat(evidence.ports()).hasSize(6);
    }

    @Test
    void degradesAnRtpStreamWithTwentyPercentLoss() {
        ProbeResult result = new RtpProbe().run(Tasks.of(ProbeKind.RTP, lab.labAddress, "7200", SHORT,
                "duration=1500ms", "rate=200"), Tasks.CONTEXT);
        RtpEvidence evidence = (RtpEvidence) result.evidence();
        assertThat(result.outcome()).as(result.summary()).isEqualTo(Outcome.DEGRADED);
        assertThat(evidence.sent()).isEqualTo(300);
        assertThat(evidence.lossPct()).isBetween(10.0, 30.0);
        assertThat(evidence.mos()).isLessThan(3.6);
    }

    @Test
    void passesAnRtpStreamOnACleanPath() {
        ProbeResult result = new RtpProbe().run(Tasks.of(ProbeKind.RTP, lab.labAddress, "7201", SHORT,
                "duration=1s", "rate=50"), Tasks.CONTEXT);
        assertThat(result.outcome()).as(result.summary()).isEqualTo(Outcome.PASSED);
        assertThat(((RtpEvidence) result.evidence()).received()).isEqualTo(50);
    }

    private ProbeResult nat(String port, String... params) {
        return new NatProbe().run(Tasks.of(ProbeKind.NAT, lab.labAddress, port, SHORT, params), Tasks.CONTEXT);
    }

    @Test
    void detectsNatWithAChangedPortWhenThePathTranslatesTheSource() {
        ProbeResult result = nat("7150");
        NatEvidence evidence = (NatEvidence) result.evidence();
        assertThat(result.outcome()).as(result.summary()).isEqualTo(Outcome.NAT);
        assertThat(evidence.seenSource()).matches(java.util.regex.Pattern.quote(lab.hostAddress) + ":450\\d\\d");
        assertThat(evidence.addressTranslated()).isTrue();
        assertThat(evidence.portPreserved()).isFalse();
        assertThat(result.summary()).contains("port changed");
    }

    @Test
    void seesNoNatOnTheDirectPath() {
        ProbeResult result = nat("7151");
        assertThat(result.outcome()).as(result.summary()).isEqualTo(Outcome.NO_NAT);
        assertThat(((NatEvidence) result.evidence()).seenSource()).isEqualTo(result.sourceAddress());
    }

    @Test
    void passesHairpinOverUdpAndTcpThroughForwardedPublicPorts() {
        ProbeResult udp = nat("7100", "check=hairpin", "publicAddress=" + lab.labAddress + ":7301");
        ProbeResult tcp = nat("7300", "check=hairpin", "transport=tcp", "publicAddress=" + lab.labAddress + ":7302");
        assertThat(udp.outcome()).as(udp.summary()).isEqualTo(Outcome.PASSED);
        assertThat(tcp.outcome()).as(tcp.summary()).isEqualTo(Outcome.PASSED);
        assertThat(tcp.destinationAddress()).isEqualTo(lab.labAddress + ":7302");
    }

    @Test
    void failsHairpinWhenThePublicPortIsNotForwarded() {
        ProbeResult result = nat("7100", "check=hairpin", "publicAddress=" + lab.labAddress + ":7303");
        assertThat(result.outcome()).as(result.summary()).isEqualTo(Outcome.CLOSED);
        assertThat(((NatEvidence) result.evidence()).seenSource()).isNull();
    }
}
