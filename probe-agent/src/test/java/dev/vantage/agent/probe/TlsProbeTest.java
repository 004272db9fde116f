package dev.vantage.agent.probe;

import dev.vantage.wire.Outcome;
import dev.vantage.wire.ProbeKind;
import dev.vantage.wire.ProbeResult;
import dev.vantage.wire.TlsEvidence;
import dev.vantage.wire.TlsEvidence.Problem;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import javax.security.auth.x500.X500Principal;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class TlsProbeTest {
    private static TestCertificates.Identity publicRoot;
    private static TestCertificates.Identity publicIntermediate;
    private static TestCertificates.Identity inspectionCa;
    private static TlsProbe probe;

    @BeforeAll
    static void certificates() throws Exception {
        publicRoot = TestCertificates.ca("CN=Test Public Root,O=Vantage Tests");
        publicIntermediate = TestCertificates.intermediate(publicRoot, "CN=Test Public Issuing CA,O=Vantage Tests");
        inspectionCa = TestCertificates.ca("CN=Corp SSL Inspection CA,O=Example Firewall");
        // the test root plays the part of the bundled public roots
        probe = new TlsProbe(List.of(publicRoot.certificate()));
    }

    private static ProbeResult probe(TestCertificates.Identity identity, String sni, boolean isPublic)
            throws Exception {
        try (TestTlsServer server = new TestTlsServer(identity, "")) {
            Map<String, String> params = new HashMap<>();
            if (sni != null) {
                params.put("sni", sni);
            }
            if (isPublic) {
                params.put("public", "true");
            }
            return probe.run(Tasks.task(ProbeKind.TLS, "127.0.0.1", server.port(), Duration.ofSeconds(2), params),
                    Tasks.CONTEXT);
        }
    }

    private static TlsEvidence tls(ProbeResult r) {
        return (TlsEvidence) r.evidence();
    }

    @Test
    void trustsAChainToAPublicRootWithTheNameAndRecordsTheSession() throws Exception {
        ProbeResult r = probe(TestCertificates.leaf(publicIntermediate, "api.example.com",
                List.of("api.example.com")), "api.example.com", true);
        assertThat(r.outcome()).isEqualTo(Outcome.TRUSTED);
        TlsEvidence e = tls(r);
        assertThat(e.sni()).isEqualTo("api.example.com");
        assertThat(e.protocol()).startsWith("TLSv1.");
        assertThat(e.cipher()).startsWith("TLS_");
        assertThat(e.chain()).hasSize(3);
        assertThat(e.chain().get(0).subject()).isEqualTo("CN=api.example.com");
        assertThat(e.chain().get(0).issuer()).isEqualTo("CN=Test Public Issuing CA,O=Vantage Tests");
        assertThat(e.chain().get(0).subjectAltNames()).containsExactly("DNS:api.example.com");
        assertThat(e.chain().get(0).sha256()).hasSize(64);
        assertThat(e.trustAnchor()).isEqualTo("CN=Test Public Root,O=Vantage Tests");
        assertThat(e.problems()).isEmpty();
        assertThat(r.destinationAddress()).startsWith("127.0.0.1:");
        assertThat(r.timingsMicros()).containsKeys("connect", "handshake");
    }

    @Test
    void trustsAWildcardName() throws Exception {
        ProbeResult r = probe(TestCertificates.leaf(publicIntermediate, "*.example.com", List.of("*.example.com")),
                "registry.example.com", false);
        assertThat(r.outcome()).isEqualTo(Outcome.TRUSTED);
    }

    @Test
    void reportsInterceptedNamingTheInspectionIssuer() throws Exception {
        ProbeResult r = probe(TestCertificates.leaf(inspectionCa, "api.example.com", List.of("api.example.com")),
                "api.example.com", true);
        assertThat(r.outcome()).isEqualTo(Outcome.INTERCEPTED);
        assertThat(tls(r).interceptedBy()).isEqualTo("CN=Corp SSL Inspection CA,O=Example Firewall");
        assertThat(tls(r).chainTrusted()).isFalse();
        assertThat(tls(r).problems()).containsExactly(Problem.UNKNOWN_ISSUER);
        assertThat(r.summary()).contains("Corp SSL Inspection CA");
    }

    @Test
    void reportsAnUnknownIssuerOnAPrivateDestinationAsUntrustedNotIntercepted() throws Exception {
        ProbeResult r = probe(TestCertificates.leaf(inspectionCa, "stack.local", List.of("stack.local")),
                "stack.local", false);
        assertThat(r.outcome()).isEqualTo(Outcome.UNTRUSTED);
        assertThat(tls(r).problems()).containsExactly(Problem.UNKNOWN_ISSUER);
        assertThat(tls(r).interceptedBy()).isNull();
    }

    @Test
    void reportsSelfSigned() throws Exception {
        ProbeResult r = probe(TestCertificates.selfSigned("stack.local", List.of("stack.local")), "stack.local",
                false);
        assertThat(r.outcome()).isEqualTo(Outcome.UNTRUSTED);
        assertThat(tls(r).problems()).containsExactly(Problem.SELF_SIGNED);
        assertThat(tls(r).chain().get(0).selfSigned()).isTrue();
    }

    @Test
    void reportsExpired() throws Exception {
        Instant now = Instant.now();
        ProbeResult r = probe(TestCertificates.leaf(publicIntermediate, "api.example.com", List.of("api.example.com"),
                now.minus(Duration.ofDays(100)), now.minus(Duration.ofDays(10))), "api.example.com", true);
        assertThat(r.outcome()).isEqualTo(Outcome.UNTRUSTED);
        assertThat(tls(r).problems()).containsExactly(Problem.EXPIRED);
        assertThat(tls(r).chainTrusted()).isTrue();
    }

    @Test
    void reportsNotYetValid() throws Exception {
        Instant now = Instant.now();
        ProbeResult r = probe(TestCertificates.leaf(publicIntermediate, "api.example.com", List.of("api.example.com"),
                now.plus(Duration.ofDays(10)), now.plus(Duration.ofDays(100))), "api.example.com", false);
        assertThat(tls(r).problems()).containsExactly(Problem.NOT_YET_VALID);
    }

    @Test
    void reportsAWrongName() throws Exception {
        ProbeResult r = probe(TestCertificates.leaf(publicIntermediate, "other.example.com",
                List.of("other.example.com")), "api.example.com", true);
        assertThat(r.outcome()).isEqualTo(Outcome.UNTRUSTED);
        assertThat(tls(r).problems()).containsExactly(Problem.NAME_MISMATCH);
        assertThat(tls(r).nameMatches()).isFalse();
    }

    @Test
    void matchesAnAddressTargetAgainstIpSubjectAltNames() throws Exception {
        ProbeResult r = probe(TestCertificates.leaf(publicIntermediate, "127.0.0.1", List.of("127.0.0.1")), null,
                false);
        assertThat(tls(r).sni()).isNull();
        assertThat(r.outcome()).isEqualTo(Outcome.TRUSTED);
    }

    @Test
    void doesNotTrustTestChainsWithOnlyTheBundledRoots() throws Exception {
        try (TestTlsServer server = new TestTlsServer(TestCertificates.leaf(publicIntermediate, "api.example.com",
                List.of("api.example.com")), "")) {
            ProbeResult r = new TlsProbe().run(Tasks.task(ProbeKind.TLS, "127.0.0.1", server.port(),
                    Duration.ofSeconds(2), Map.of("sni", "api.example.com", "public", "true")), Tasks.CONTEXT);
            assertThat(r.outcome()).isEqualTo(Outcome.INTERCEPTED);
            assertThat(tls(r).interceptedBy()).isEqualTo("CN=Test Public Root,O=Vantage Tests");
        }
    }

    @Test
    void doesNotTrustAChainWhoseIntermediateIsNotACa() throws Exception {
        TestCertificates.Identity notACa = TestCertificates.intermediate(publicRoot, "CN=Test End Entity,O=Vantage Tests",
                TestCertificates.Shape.END_ENTITY);
        ProbeResult r = probe(TestCertificates.leaf(notACa, "api.example.com", List.of("api.example.com")),
                "api.example.com", true);
        assertThat(r.outcome()).isEqualTo(Outcome.UNTRUSTED);
        assertThat(tls(r).problems()).containsExactly(Problem.ISSUER_NOT_CA);
        // it does lead to the public root: misissued, not intercepted
        assertThat(tls(r).chainTrusted()).isTrue();
        assertThat(tls(r).trustAnchor()).isEqualTo("CN=Test Public Root,O=Vantage Tests");
        assertThat(r.summary()).contains("issuer not ca").contains("PKIX");
    }

    @Test
    void doesNotTrustAChainWhoseIntermediateMayNotSignCertificates() throws Exception {
        TestCertificates.Identity noCertSign = TestCertificates.intermediate(publicRoot,
                "CN=Test Signing Only CA,O=Vantage Tests", TestCertificates.Shape.CA_WITHOUT_CERT_SIGN);
        ProbeResult r = probe(TestCertificates.leaf(noCertSign, "api.example.com", List.of("api.example.com")),
                "api.example.com", false);
        assertThat(r.outcome()).isEqualTo(Outcome.UNTRUSTED);
        assertThat(tls(r).problems()).containsExactly(Problem.ISSUER_NOT_CA);
    }

    @Test
    void matchesTheCommonNameInAMultiValuedRdn() throws Exception {
        Instant now = Instant.now();
        ProbeResult r = probe(TestCertificates.leafWithSubject(publicIntermediate,
                "O=Vantage Tests+CN=api.example.com", List.of(), now.minus(Duration.ofDays(1)),
                now.plus(Duration.ofDays(30))), "api.example.com", true);
        assertThat(r.outcome()).as(r.summary()).isEqualTo(Outcome.TRUSTED);
    }

    @Test
    void readsACommonNameThatContainsAnEscapedComma() {
        assertThat(CertificateNames.commonName(new X500Principal("CN=Vantage\\, Inc.,O=Vantage Tests")))
                .isEqualTo("Vantage, Inc.");
        assertThat(CertificateNames.commonName(new X500Principal("O=Vantage Tests"))).isNull();
    }

    @Test
    void trustsAChainWhoseExpiredCrossSignedRootIsNotNeeded() throws Exception {
        Instant now = Instant.now();
        TestCertificates.Identity oldRoot = TestCertificates.ca("CN=Test Old Root,O=Vantage Tests");
        X509Certificate expiredCross = TestCertificates.crossSigned(publicRoot, oldRoot, now.minus(Duration.ofDays(400)),
                now.minus(Duration.ofDays(30)));
        TestCertificates.Identity leaf = TestCertificates.leaf(publicIntermediate, "api.example.com",
                List.of("api.example.com"));
        ProbeResult r = probe(new TestCertificates.Identity(leaf.keys(), List.of(leaf.certificate(),
                publicIntermediate.certificate(), expiredCross)), "api.example.com", true);
        assertThat(r.outcome()).as(r.summary()).isEqualTo(Outcome.TRUSTED);
        assertThat(tls(r).chain()).hasSize(3);
    }

    @Test
    void trustsAChainPresentedOutOfOrder() throws Exception {
        TestCertificates.Identity leaf = TestCertificates.leaf(publicIntermediate, "api.example.com",
                List.of("api.example.com"));
        ProbeResult r = probe(new TestCertificates.Identity(leaf.keys(), List.of(leaf.certificate(),
                publicRoot.certificate(), publicIntermediate.certificate())), "api.example.com", true);
        assertThat(r.outcome()).as(r.summary()).isEqualTo(Outcome.TRUSTED);
    }

    @Test
    void reportsAnIntermediateThatDoesNotSignTheLeafAsAnUnknownIssuer() throws Exception {
        // the leaf names the public issuing CA as its issuer but was signed by another key
        TestCertificates.Identity impostor = TestCertificates.intermediate(inspectionCa,
                "CN=Test Public Issuing CA,O=Vantage Tests");
        TestCertificates.Identity leaf = TestCertificates.leaf(impostor, "api.example.com", List.of("api.example.com"));
        ProbeResult r = probe(new TestCertificates.Identity(leaf.keys(), List.of(leaf.certificate(),
                publicIntermediate.certificate())), "api.example.com", true);
        assertThat(r.outcome()).isEqualTo(Outcome.INTERCEPTED);
        assertThat(tls(r).problems()).containsExactly(Problem.UNKNOWN_ISSUER);
        assertThat(tls(r).chainTrusted()).isFalse();
    }

    @Test
    void reportsAClosedPortAsClosedWithEvidence() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        ProbeResult r = probe.run(Tasks.task(ProbeKind.TLS, "127.0.0.1", port, Duration.ofSeconds(1), Map.of()),
                Tasks.CONTEXT);
        assertThat(r.outcome()).isEqualTo(Outcome.CLOSED);
        assertThat(tls(r).error()).contains("refused");
        assertThat(r.summary()).contains("127.0.0.1:" + port);
    }

    @Test
    void reportsANonTlsAnswerAsUnexpected() throws Exception {
        try (ServerSocket plain = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            TestDnsServer.daemon("plain", () -> {
                try (var s = plain.accept()) {
                    s.getOutputStream().write("HTTP/1.1 400 Bad Request\r\n\r\n".getBytes());
                } catch (Exception ignored) {
                    // client gone
                }
            });
            ProbeResult r = probe.run(Tasks.task(ProbeKind.TLS, "127.0.0.1", plain.getLocalPort(),
                    Duration.ofSeconds(1), Map.of()), Tasks.CONTEXT);
            assertThat(r.outcome()).isEqualTo(Outcome.UNEXPECTED);
            assertThat(tls(r).error()).startsWith("handshake failed");
        }
    }
}
