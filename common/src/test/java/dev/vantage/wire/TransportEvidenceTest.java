package dev.vantage.wire;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class TransportEvidenceTest {

    private static ProbeResult resultWith(ProbeKind kind, PortRange ports, Outcome outcome, Evidence evidence) {
        return new ProbeResult(Wire.SCHEMA_VERSION, "r1", "t1", null, "acme", "internet", "agent-1", "0.1.0",
                "inbound.rtp", kind, "198.51.100.7", ports, outcome, "192.0.2.10:40000", "198.51.100.7:30000",
                "ipv4", "udp", Instant.parse("2026-11-26T06:00:00Z"), Map.of("connect", 120L), "summary", evidence);
    }

    private static ProbeResult roundTrip(ProbeResult result) {
        return Wire.decode(Wire.encodeToString(result), ProbeResult.class);
    }

    @Test
    void portEvidenceRoundTripsWithItsTypeName() {
        ProbeResult result = resultWith(ProbeKind.UDP, PortRange.of(5060), Outcome.OPEN,
                new PortEvidence(2, null, null, "VNT1A...", "n0nce-123", true, "192.0.2.10:40000"));
        assertThat(Wire.encodeToString(result)).contains("\"type\":\"port\"");
        assertThat(roundTrip(result)).isEqualTo(result);
    }

    @Test
    void rangeEvidenceWritesSegmentsAsOutcomeAndPortText() {
        RangeEvidence evidence = new RangeEvidence(
                List.of(new RangeEvidence.Segment(Outcome.OPEN, PortRange.parse("30000-31999")),
                        new RangeEvidence.Segment(Outcome.FILTERED, PortRange.parse("32000-34999"))),
                Map.of(Outcome.OPEN, 2000, Outcome.FILTERED, 3000), 200, 1000, null);
        ProbeResult result = resultWith(ProbeKind.TCP_RANGE, PortRange.parse("30000-34999"), Outcome.MIXED, evidence);
        String json = Wire.encodeToString(result);
        assertThat(json).contains("{\"outcome\":\"OPEN\",\"ports\":\"30000-31999\"}")
                .contains("\"type\":\"range\"");
        assertThat(roundTrip(result)).isEqualTo(result);
    }

    @Test
    void rangeEvidenceKeepsPerPortDetailWhenPresent() {
        RangeEvidence evidence = new RangeEvidence(
                List.of(new RangeEvidence.Segment(Outcome.OPEN, PortRange.of(7000)),
                        new RangeEvidence.Segment(Outcome.CLOSED, PortRange.of(7001))),
                Map.of(Outcome.OPEN, 1, Outcome.CLOSED, 1), 2, 100, Map.of(7000, Outcome.OPEN, 7001, Outcome.CLOSED));
        ProbeResult result = resultWith(ProbeKind.UDP_RANGE, PortRange.parse("7000-7001"), Outcome.MIXED, evidence);
        ProbeResult back = roundTrip(result);
        assertThat(back).isEqualTo(result);
        assertThat(((RangeEvidence) back.evidence()).ports()).containsEntry(7001, Outcome.CLOSED);
    }

    @Test
    void rtpEvidenceRoundTrips() {
        ProbeResult result = resultWith(ProbeKind.RTP, PortRange.of(30000), Outcome.DEGRADED,
                new RtpEvidence(100, 80, 20.0, 1.5, 0.4, 2.0, 0, 0, 2.9, 55.1, 50, 1.0, 30.0, 3.6));
        assertThat(Wire.encodeToString(result)).contains("\"type\":\"rtp\"");
        assertThat(roundTrip(result)).isEqualTo(result);
    }

    @Test
    void natEvidenceRoundTripsWithAnUnknownPortPreservation() {
        ProbeResult result = resultWith(ProbeKind.NAT, PortRange.of(30000), Outcome.FILTERED,
                new NatEvidence("hairpin", "10.0.0.5:40000", null, false, null, "203.0.113.5:443"));
        assertThat(Wire.encodeToString(result)).contains("\"type\":\"nat\"");
        assertThat(roundTrip(result)).isEqualTo(result);
    }
}
