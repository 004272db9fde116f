package dev.vantage.agent.probe;

import dev.vantage.wire.HttpEvidence;
import dev.vantage.wire.Outcome;
import dev.vantage.wire.ProbeKind;
import dev.vantage.wire.ProbeResult;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

class HttpProbeTest {
    private static final String REGISTRY = "HTTP/1.1 401 Unauthorized\r\n"
            + "Content-Type: application/json\r\n"
            + "Docker-Distribution-Api-Version: registry/2.0\r\n"
            + "Www-Authenticate: Bearer realm=\"https://auth.example.com/token\"\r\n"
            + "Content-Length: 22\r\n\r\n"
            + "{\"errors\":[\"UNAUTH\"]}\n";
    private static final String PROXY_AUTH = "HTTP/1.1 407 Proxy Authentication Required\r\n"
            + "Proxy-Authenticate: Basic realm=\"corp\"\r\n"
            + "Via: 1.1 proxy.corp.example (squid/5.7)\r\n"
            + "X-Cache: MISS from proxy.corp.example\r\n"
            + "Content-Length: 0\r\n\r\n";
    private static final String PORTAL = "HTTP/1.1 302 Found\r\n"
            + "Location: http://login.hotspot.example/portal?orig=registry\r\n"
            + "Content-Length: 0\r\n\r\n";

    private final HttpProbe probe = new HttpProbe();

    private ProbeResult get(int port, Map<String, String> params) {
        return probe.run(Tasks.task(ProbeKind.HTTP, "127.0.0.1", port, Duration.ofSeconds(1), params), Tasks.CONTEXT);
    }

    private static HttpEvidence http(ProbeResult r) {
        return (HttpEvidence) r.evidence();
    }

    @Test
    void passesTheRegistryCheckOnA401WithTheRegistryHeader() throws Exception {
        try (TestTcpServer registry = new TestTcpServer(REGISTRY, true)) {
            ProbeResult r = get(registry.port(), Map.of("check", "registry"));
            assertThat(r.outcome()).isEqualTo(Outcome.RESPONDED);
            HttpEvidence e = http(r);
            assertThat(e.status()).isEqualTo(401);
            assertThat(e.checkPassed()).isTrue();
            assertThat(e.headers()).containsEntry("docker-distribution-api-version", List.of("registry/2.0"));
            assertThat(e.proxyIndicators()).isEmpty();
            assertThat(e.url()).isEqualTo("http://127.0.0.1:" + registry.port() + "/v2/");
            assertThat(registry.lastRequest()).startsWith("GET /v2/ HTTP/1.1\r\n")
                    .contains("Host: 127.0.0.1:" + registry.port());
            assertThat(r.timingsMicros()).containsKeys("connect", "request", "total");
        }
    }

    @Test
    void failsTheRegistryCheckOnAProxyAnswerAndNamesTheProxySigns() throws Exception {
        try (TestTcpServer proxy = new TestTcpServer(PROXY_AUTH, true)) {
            ProbeResult r = get(proxy.port(), Map.of("check", "registry"));
            assertThat(r.outcome()).isEqualTo(Outcome.UNEXPECTED);
            HttpEvidence e = http(r);
            assertThat(e.status()).isEqualTo(407);
            assertThat(e.checkPassed()).isFalse();
            assertThat(e.proxyIndicators()).contains("status 407", "Via: 1.1 proxy.corp.example (squid/5.7)",
                    "X-Cache: MISS from proxy.corp.example", "Proxy-Authenticate: Basic realm=\"corp\"");
            assertThat(r.summary()).contains("407").contains("squid");
        }
    }

    @Test
    void reportsACaptivePortalRedirectToAnotherHost() throws Exception {
        try (TestTcpServer portal = new TestTcpServer(PORTAL, true)) {
            ProbeResult r = get(portal.port(), Map.of("path", "/index.html"));
            assertThat(r.outcome()).isEqualTo(Outcome.UNEXPECTED);
            assertThat(http(r).captivePortal()).isTrue();
            assertThat(http(r).location()).isEqualTo("http://login.hotspot.example/portal?orig=registry");
            assertThat(http(r).proxyIndicators()).contains("redirect to other host login.hotspot.example");
        }
    }

    @Test
    void takesARedirectToHttpsOnTheSitesOwnFqdnForTheSiteAnswering() throws Exception {
        try (TestTcpServer stack = new TestTcpServer("HTTP/1.1 301 Moved Permanently\r\n"
                + "Location: https://jtelacd.example.com/\r\nContent-Length: 0\r\n\r\n", true)) {
            ProbeResult r = get(stack.port(), Map.of("siteHosts", "jtelacd.example.com,10.20.0.10,203.0.113.10"));
            assertThat(r.outcome()).as(r.summary()).isEqualTo(Outcome.RESPONDED);
            assertThat(http(r).captivePortal()).isFalse();
            assertThat(http(r).proxyIndicators()).isEmpty();
            assertThat(http(r).location()).isEqualTo("https://jtelacd.example.com/");
            assertThat(r.summary()).contains("redirect to the site's own jtelacd.example.com");
        }
    }

    @Test
    void takesARedirectToOneOfTheSitesAddressesForTheSiteAnswering() throws Exception {
        try (TestTcpServer stack = new TestTcpServer("HTTP/1.1 302 Found\r\n"
                + "Location: https://[2001:db8:0:0::10]/login\r\nContent-Length: 0\r\n\r\n", true)) {
            ProbeResult r = get(stack.port(), Map.of("siteHosts", "jtelacd.example.com,2001:db8::10"));
            assertThat(r.outcome()).as(r.summary()).isEqualTo(Outcome.RESPONDED);
            assertThat(http(r).captivePortal()).isFalse();
        }
    }

    @Test
    void takesARedirectToANameBelowTheSitesFqdnForTheSiteAnswering() throws Exception {
        try (TestTcpServer stack = new TestTcpServer("HTTP/1.1 302 Found\r\n"
                + "Location: https://sso.JTELACD.example.com./\r\nContent-Length: 0\r\n\r\n", true)) {
            ProbeResult r = get(stack.port(), Map.of("siteHosts", "jtelacd.example.com,10.20.0.10"));
            assertThat(r.outcome()).as(r.summary()).isEqualTo(Outcome.RESPONDED);
            assertThat(http(r).captivePortal()).isFalse();
        }
    }

    @Test
    void keepsARedirectToAForeignHostAProxySignWhenTheSiteIsNamed() throws Exception {
        try (TestTcpServer portal = new TestTcpServer(PORTAL, true)) {
            ProbeResult r = get(portal.port(), Map.of("siteHosts", "jtelacd.example.com,10.20.0.10"));
            assertThat(r.outcome()).isEqualTo(Outcome.UNEXPECTED);
            assertThat(http(r).captivePortal()).isTrue();
            assertThat(http(r).proxyIndicators()).contains("redirect to other host login.hotspot.example");
        }
    }

    @Test
    void acceptsAPlainAnswerAndKeepsViaAsEvidence() throws Exception {
        try (TestTcpServer server = new TestTcpServer("HTTP/1.1 200 OK\r\nVia: 1.1 edge\r\nContent-Length: 5\r\n"
                + "\r\nhello", true)) {
            ProbeResult r = get(server.port(), Map.of());
            assertThat(r.outcome()).isEqualTo(Outcome.RESPONDED);
            assertThat(http(r).proxyIndicators()).containsExactly("Via: 1.1 edge");
            assertThat(http(r).bodyStart()).isEqualTo("hello");
            assertThat(http(r).checkPassed()).isNull();
        }
    }

    @Test
    void theNoProxyCheckPassesADirectAnswerAndFailsOneWithProxySigns() throws Exception {
        try (TestTcpServer direct = new TestTcpServer("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok", true)) {
            ProbeResult r = get(direct.port(), Map.of("check", "no-proxy"));
            assertThat(r.outcome()).isEqualTo(Outcome.RESPONDED);
            assertThat(http(r).checkPassed()).isTrue();
            assertThat(http(r).check()).isEqualTo("no-proxy");
            assertThat(direct.lastRequest()).startsWith("GET / HTTP/1.1\r\n");
        }
        try (TestTcpServer squid = new TestTcpServer("HTTP/1.1 200 OK\r\nVia: 1.1 fw (squid/5.7)\r\n"
                + "Content-Length: 2\r\n\r\nok", true)) {
            ProbeResult r = get(squid.port(), Map.of("check", "no-proxy"));
            assertThat(r.outcome()).isEqualTo(Outcome.RESPONDED);
            assertThat(http(r).checkPassed()).isFalse();
            assertThat(http(r).proxyIndicators()).containsExactly("Via: 1.1 fw (squid/5.7)");
            assertThat(r.summary()).contains("answered through a proxy").contains("squid");
        }
    }

    @Test
    void reportsAnAnswerThatIsNotHttpWithItsFirstBytes() throws Exception {
        try (TestTcpServer ssh = new TestTcpServer("SSH-2.0-OpenSSH_9.2\r\n", false)) {
            ProbeResult r = get(ssh.port(), Map.of());
            assertThat(r.outcome()).isEqualTo(Outcome.UNEXPECTED);
            assertThat(http(r).bodyStart()).startsWith("SSH-2.0-OpenSSH_9.2");
        }
    }

    @Test
    void speaksHttpsOnAnyPortWhenTheSchemeSaysSo() throws Exception {
        TestCertificates.Identity ca = TestCertificates.ca("CN=Registry Test CA");
        try (TestTlsServer server = new TestTlsServer(TestCertificates.leaf(ca, "127.0.0.1", List.of("127.0.0.1")),
                REGISTRY)) {
            assertThat(server.port()).as("not the port that used to decide TLS").isNotEqualTo(443);
            ProbeResult r = get(server.port(), Map.of("scheme", "https", "check", "registry"));
            assertThat(r.outcome()).as(r.summary()).isEqualTo(Outcome.RESPONDED);
            assertThat(http(r).url()).isEqualTo("https://127.0.0.1:" + server.port() + "/v2/");
            assertThat(http(r).tlsIssuer()).isEqualTo("CN=Registry Test CA");
            assertThat(r.timingsMicros()).containsKey("handshake");
        }
    }

    @Test
    void sendsTheServerNameOfTheTaskInTheHandshakeAndAsHost() throws Exception {
        TestCertificates.Identity ca = TestCertificates.ca("CN=Stack Test CA");
        try (TestTlsServer server = new TestTlsServer(TestCertificates.leaf(ca, "jtelacd.example.com",
                List.of("jtelacd.example.com")), "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n")) {
            ProbeResult r = get(server.port(), Map.of("scheme", "https", "sni", "jtelacd.example.com"));
            assertThat(server.serverNames().poll(5, TimeUnit.SECONDS)).containsExactly("jtelacd.example.com");
            assertThat(r.outcome()).as(r.summary()).isEqualTo(Outcome.RESPONDED);
            assertThat(http(r).url()).isEqualTo("https://jtelacd.example.com:" + server.port() + "/");
        }
    }

    @Test
    void reportsTimeoutWhenTheServerNeverAnswers() throws Exception {
        try (TestTcpServer silent = new TestTcpServer(null, true)) {
            ProbeResult r = probe.run(Tasks.task(ProbeKind.HTTP, "127.0.0.1", silent.port(), Duration.ofMillis(300),
                    Map.of()), Tasks.CONTEXT);
            assertThat(r.outcome()).isEqualTo(Outcome.TIMEOUT);
            assertThat(http(r).error()).contains("no answer within 300 ms");
        }
    }

    @Test
    void reportsAClosedPort() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        ProbeResult r = get(port, Map.of());
        assertThat(r.outcome()).isEqualTo(Outcome.CLOSED);
        assertThat(r.summary()).contains("127.0.0.1:" + port);
    }
}
