package dev.vantage.agent.cli;

import dev.vantage.wire.Outcome;
import dev.vantage.wire.PortRange;
import dev.vantage.wire.ProbeKind;
import dev.vantage.wire.ProbeResult;
import dev.vantage.wire.TlsEvidence;
import dev.vantage.wire.Wire;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class ProbeTextTest {

    private static Map<String, Long> timings() {
        Map<String, Long> t = new LinkedHashMap<>();
        t.put("connect", 900L);
        t.put("total", 2000L);
        return t;
    }

    @Test
    void rendersNestedEvidenceFieldByFieldAndLeavesOutEmptyOnes() {
        TlsEvidence tls = new TlsEvidence("api.example.com", "TLSv1.3", "TLS_AES_128_GCM_SHA256",
                List.of(new TlsEvidence.Certificate("CN=api.example.com", "CN=Inspection CA", "1f",
                        Instant.parse("2026-01-01T00:00:00Z"), Instant.parse("2027-01-01T00:00:00Z"),
                        List.of("DNS:api.example.com"), "ab", false)),
                true, false, null, true, List.of(TlsEvidence.Problem.UNKNOWN_ISSUER), "CN=Inspection CA", null);
        ProbeResult r = new ProbeResult(Wire.SCHEMA_VERSION, "r", "t", null, null, "standalone", "a", "v", null,
                ProbeKind.TLS, "api.example.com", PortRange.of(443), Outcome.INTERCEPTED, "10.0.0.2:40000",
                "203.0.113.5:443", "ipv4", "tls", Instant.now(), timings(),
                "TLS to api.example.com:443: INTERCEPTED", tls);

        String text = ProbeCommand.text(r);

        assertThat(text).startsWith("tls api.example.com port 443: INTERCEPTED\n  TLS to api.example.com:443")
                .contains("  to          203.0.113.5:443 (ipv4, tls)\n")
                .contains("  timings     connect 900 us, total 2000 us\n")
                .contains("    chain:\n      - subject: CN=api.example.com\n        issuer: CN=Inspection CA\n")
                .contains("        subjectAltNames:\n          - DNS:api.example.com\n")
                .contains("    problems:\n      - UNKNOWN_ISSUER\n")
                .contains("    interceptedBy: CN=Inspection CA")
                .doesNotContain("trustAnchor").doesNotContain("error");
    }
}
