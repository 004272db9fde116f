package dev.vantage.wire;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class EvidenceTest {

    private static ProbeResult resultWith(ProbeKind kind, Outcome outcome, Evidence evidence) {
        return new ProbeResult(Wire.SCHEMA_VERSION, "r1", "t1", "s1", "acme", "internet", "agent-1", "0.1.0",
                "req", kind, "stack.example.com", PortRange.of(443), outcome, "10.0.0.2:40000", "203.0.113.5:443",
                "ipv4", kind.wireName(), Instant.parse("2026-11-26T06:00:00Z"), Map.of("total", 1200L),
                "summary", evidence);
    }

    private static void assertRoundTrip(ProbeResult result, String typeName) {
        String json = Wire.encodeToString(result);
        assertThat(json).contains("\"type\":\"" + typeName + "\"");
        ProbeResult back = Wire.decode(json, ProbeResult.class);
        assertThat(back).isEqualTo(result);
        assertThat(back.evidence()).isEqualTo(result.evidence());
    }

    @Test
    void dnsEvidenceRoundTripsWithRecordsAndBothSidesOfAMismatch() {
        DnsEvidence dns = new DnsEvidence("jtelacd.example.com", "A", "10.0.0.53:53", "task", "NOERROR", true, true,
                List.of(new DnsEvidence.Answer("jtelacd.example.com.", "A", 300, "198.51.100.7")),
                List.of("198.51.100.7"), List.of("10.0.0.5"), List.of("10.0.0.5"), List.of("198.51.100.7"),
                List.of("reply with wrong id 4711 ignored"));
        assertRoundTrip(resultWith(ProbeKind.DNS, Outcome.MISMATCH, dns), "dns");
    }

    @Test
    void tlsEvidenceRoundTripsWithTheChainAndProblems() {
        TlsEvidence tls = new TlsEvidence("api.openai.com", "TLSv1.3", "TLS_AES_128_GCM_SHA256",
                List.of(new TlsEvidence.Certificate("CN=api.openai.com", "CN=Inspection CA,O=Firewall", "0a",
                        Instant.parse("2026-01-01T00:00:00Z"), Instant.parse("2027-01-01T00:00:00Z"),
                        List.of("DNS:api.openai.com"), "ab12", false)),
                true, false, null, true, List.of(TlsEvidence.Problem.UNKNOWN_ISSUER),
                "CN=Inspection CA,O=Firewall", null);
        assertRoundTrip(resultWith(ProbeKind.TLS, Outcome.INTERCEPTED, tls), "tls");
    }

    @Test
    void httpEvidenceRoundTripsWithRepeatedHeadersAndProxySigns() {
        HttpEvidence http = new HttpEvidence("http://registry.example.com/v2/", 407, "Proxy Authentication Required",
                Map.of("via", List.of("1.1 squid", "1.1 edge")), "registry", false, null,
                List.of("status 407", "Via: 1.1 squid"), false, "<html>", null, null);
        assertRoundTrip(resultWith(ProbeKind.HTTP, Outcome.UNEXPECTED, http), "http");
    }

    @Test
    void sshEvidenceRoundTrips() {
        SshEvidence ssh = new SshEvidence("SSH-2.0-OpenSSH_9.2", "2.0", "OpenSSH_9.2", List.of(), null, null);
        assertRoundTrip(resultWith(ProbeKind.SSH, Outcome.RESPONDED, ssh), "ssh");
    }

    @Test
    void sipEvidenceRoundTripsWithTheDiff() {
        SipEvidence sip = new SipEvidence("udp", "sip:10.0.0.5:5060", "c1@10.0.0.2", "z9hG4bK1", "tag1", 200, "OK",
                "vantage-responder", null, 1500L, true, true,
                List.of(new SipEvidence.Change("Via", "SIP/2.0/UDP 10.0.0.2:5060", "SIP/2.0/UDP 203.0.113.1:5060")),
                0, List.of(), null);
        assertRoundTrip(resultWith(ProbeKind.SIP, Outcome.RESPONDED, sip), "sip");
    }

    @Test
    void receiptEvidenceRoundTripsWithSkippedPortsAndReceipts() {
        ReceiptEvidence receipts = new ReceiptEvidence(List.of(new PortRange(30000, 30009), new PortRange(30011, 34999)),
                List.of(new ReceiptEvidence.Skipped(PortRange.of(30010), "in use by another process")),
                List.of(new ReceiptEvidence.Receipt(ReceiptEvidence.Kind.UDP_NONCE, "198.51.100.7",
                                ReceiptEvidence.tagOf("task-1"), List.of(new PortRange(30000, 31999)), 1, 2000,
                                Instant.parse("2026-11-26T06:00:01Z"), Instant.parse("2026-11-26T06:00:03Z")),
                        new ReceiptEvidence.Receipt(ReceiptEvidence.Kind.TCP_ACCEPT, "10.0.0.20", null,
                                List.of(PortRange.of(443)), 1, 1, Instant.parse("2026-11-26T06:00:02Z"),
                                Instant.parse("2026-11-26T06:00:02Z"))),
                false, "3 datagram(s) or request(s) without a survey nonce not counted");
        assertRoundTrip(resultWith(ProbeKind.RESPOND, Outcome.LISTENED, receipts), "receipt");
    }

    @Test
    void aTaskTagIsTheStartOfTheSha256OfItsIdAndTheStartOfItsNonces() {
        assertThat(ReceiptEvidence.tagOf("task-1")).isEqualTo("7afaa346b4bf").hasSize(ReceiptEvidence.TAG_LENGTH);
        assertThat(ReceiptEvidence.tagInNonce("7afaa346b4bf0a0b0c0d")).isEqualTo("7afaa346b4bf");
        assertThat(ReceiptEvidence.tagInNonce("nonce-0001")).as("a nonce not derived from a task").isNull();
        assertThat(ReceiptEvidence.tagInNonce("7AFAA346B4BF0a0b")).as("tags are lower case").isNull();
        assertThat(ReceiptEvidence.tagInNonce(null)).isNull();
    }

    @Test
    void taskWithTimeoutStillRoundTrips() {
        ProbeTask task = new ProbeTask(Wire.SCHEMA_VERSION, "t1", null, "acme", "internet", null, "req",
                ProbeKind.DNS, "example.com", null, Map.of("expect", "10.0.0.5"), Duration.ofMillis(300));
        assertThat(Wire.decode(Wire.encodeToString(task), ProbeTask.class)).isEqualTo(task);
    }
}
