package dev.vantage.agent.probe;

import dev.vantage.wire.DnsEvidence;
import dev.vantage.wire.Outcome;
import dev.vantage.wire.ProbeKind;
import dev.vantage.wire.ProbeResult;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class DnsProbeTest {
    private static TestDnsServer server;
    private final DnsProbe probe = new DnsProbe();

    @BeforeAll
    static void start() throws IOException {
        server = new TestDnsServer();
    }

    @AfterAll
    static void stop() throws IOException {
        server.close();
    }

    private ProbeResult ask(String name, String... params) {
        Map<String, String> p = new HashMap<>();
        p.put("server", server.address());
        for (int i = 0; i < params.length; i += 2) {
            p.put(params[i], params[i + 1]);
        }
        return probe.run(Tasks.task(ProbeKind.DNS, name, null, Duration.ofMillis(300), p), Tasks.CONTEXT);
    }

    private static DnsEvidence dns(ProbeResult r) {
        return (DnsEvidence) r.evidence();
    }

    @Test
    void resolvesWithRecordsTtlsAndTheResolverUsed() {
        ProbeResult r = ask("ok.test");
        assertThat(r.outcome()).isEqualTo(Outcome.RESOLVED);
        assertThat(dns(r).observed()).containsExactly("10.0.0.5");
        assertThat(dns(r).answers()).containsExactly(new DnsEvidence.Answer("ok.test.", "A", 300, "10.0.0.5"));
        assertThat(dns(r).resolver()).isEqualTo(server.address());
        assertThat(dns(r).resolverSource()).isEqualTo("task");
        assertThat(dns(r).rcode()).isEqualTo("NOERROR");
        assertThat(r.destinationAddress()).isEqualTo(server.address());
        assertThat(r.summary()).contains("ok.test").contains(server.address()).contains("10.0.0.5");
    }

    @Test
    void resolvesMatchingExpectation() {
        assertThat(ask("ok.test", "expect", "10.0.0.5").outcome()).isEqualTo(Outcome.RESOLVED);
    }

    @Test
    void reportsMismatchWithBothSides() {
        ProbeResult r = ask("ok.test", "expect", "10.0.0.9, 10.0.0.5");
        assertThat(r.outcome()).isEqualTo(Outcome.MISMATCH);
        assertThat(dns(r).expected()).containsExactly("10.0.0.9", "10.0.0.5");
        assertThat(dns(r).observed()).containsExactly("10.0.0.5");
        assertThat(dns(r).missing()).containsExactly("10.0.0.9");
        assertThat(r.summary()).contains("expected 10.0.0.9, 10.0.0.5");
    }

    @Test
    void followsCnameToTheAddressAndKeepsTheChain() {
        ProbeResult r = ask("alias.test");
        assertThat(r.outcome()).isEqualTo(Outcome.RESOLVED);
        assertThat(dns(r).answers()).extracting(DnsEvidence.Answer::type).containsExactly("CNAME", "A");
        assertThat(dns(r).observed()).containsExactly("10.0.0.5");
    }

    @Test
    void asksForCnameAndSrvRecords() {
        ProbeResult cname = ask("alias.test", "record", "cname", "expect", "ok.test.");
        assertThat(cname.outcome()).isEqualTo(Outcome.RESOLVED);
        assertThat(dns(cname).observed()).containsExactly("ok.test");
        ProbeResult srv = ask("_sip._udp.test", "record", "SRV");
        assertThat(srv.outcome()).isEqualTo(Outcome.RESOLVED);
        assertThat(dns(srv).observed()).containsExactly("10 5 5060 sbc.test");
    }

    @Test
    void reportsNxdomainServfailRefusedAndNodataFromTheRcode() {
        assertThat(ask("nx.test").outcome()).isEqualTo(Outcome.NXDOMAIN);
        assertThat(ask("fail.test").outcome()).isEqualTo(Outcome.SERVFAIL);
        assertThat(ask("refused.test").outcome()).isEqualTo(Outcome.REFUSED);
        ProbeResult nodata = ask("nodata.test");
        assertThat(nodata.outcome()).isEqualTo(Outcome.NODATA);
        assertThat(dns(nodata).rcode()).isEqualTo("NOERROR");
    }

    @Test
    void reportsTimeoutWhenTheResolverStaysSilent() {
        ProbeResult r = ask("silent.test", "attempts", "1");
        assertThat(r.outcome()).isEqualTo(Outcome.TIMEOUT);
        assertThat(dns(r).rcode()).isNull();
        assertThat(r.summary()).contains("no answer within 300 ms");
    }

    @Test
    void fallsBackToTcpAfterATruncatedAnswer() {
        ProbeResult r = ask("big.test");
        assertThat(r.outcome()).isEqualTo(Outcome.RESOLVED);
        assertThat(dns(r).truncated()).isTrue();
        assertThat(dns(r).tcpFallback()).isTrue();
        assertThat(dns(r).observed()).containsExactly("10.0.0.5", "10.0.0.6");
        assertThat(r.protocol()).isEqualTo("tcp");
    }

    @Test
    void reportsUnexpectedWhenTheTcpFallbackAfterAnEmptyTruncatedAnswerFails() {
        ProbeResult r = ask("tcpdead.test");
        assertThat(r.outcome()).isEqualTo(Outcome.UNEXPECTED);
        assertThat(dns(r).truncated()).isTrue();
        assertThat(dns(r).tcpFallback()).isTrue();
        assertThat(dns(r).anomalies()).anySatisfy(a -> assertThat(a).startsWith("tcp fallback to"));
        assertThat(r.summary()).contains("TCP fallback failed");
    }

    @Test
    void ignoresAWrongIdAnswerAndRecordsIt() {
        ProbeResult r = ask("spoofed.test");
        assertThat(r.outcome()).isEqualTo(Outcome.RESOLVED);
        assertThat(dns(r).observed()).containsExactly("10.0.0.5");
        assertThat(dns(r).anomalies()).anySatisfy(a -> assertThat(a).contains("ignored, expected id"));
    }

    @Test
    void reportsGarbageAsUnexpectedWithTheBytes() {
        ProbeResult r = ask("garbage.test", "attempts", "1");
        assertThat(r.outcome()).isEqualTo(Outcome.UNEXPECTED);
        assertThat(dns(r).anomalies()).anySatisfy(a -> assertThat(a).contains("unparseable").contains("not a DNS"));
    }

    @Test
    void usesTheVantagesOwnResolverFromResolvConf() throws IOException {
        Path conf = Files.createTempFile("resolv", ".conf");
        Files.writeString(conf, "# test\nsearch example\nnameserver 127.0.0.1\n");
        ProbeResult r = new DnsProbe(conf).run(Tasks.task(ProbeKind.DNS, "ok.test", null, Duration.ofMillis(300),
                Map.of("attempts", "1")), Tasks.CONTEXT);
        assertThat(((DnsEvidence) r.evidence()).resolver()).isEqualTo("127.0.0.1:53");
        assertThat(((DnsEvidence) r.evidence()).resolverSource()).isEqualTo("resolv.conf");
    }

    @Test
    void namesABadRecordTypeAsError() {
        ProbeResult r = ask("ok.test", "record", "MX");
        assertThat(r.outcome()).isEqualTo(Outcome.ERROR);
        assertThat(r.summary()).contains("'MX'");
    }
}
