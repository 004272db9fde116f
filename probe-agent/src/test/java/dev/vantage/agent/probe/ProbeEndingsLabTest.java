package dev.vantage.agent.probe;

import dev.vantage.agent.testing.NetnsLab;
import dev.vantage.agent.testing.ProbeMain;
import dev.vantage.agent.testing.StallingPeers;
import dev.vantage.agent.testing.Tasks;
import dev.vantage.wire.Outcome;
import dev.vantage.wire.PortEvidence;
import dev.vantage.wire.ProbeKind;
import dev.vantage.wire.ProbeResult;
import dev.vantage.wire.ProbeTask;
import dev.vantage.wire.Wire;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * Every probe kind ends, with the outcome the network earned, whatever the network does: no route at all, this
 * host's own firewall refusing to send (EPERM), a peer that accepts and never speaks, one that trickles a byte a
 * second, a TLS peer that stalls in the middle of the handshake, a resolver that never answers. Each case is a
 * real namespace with real sockets; the probes run either in this JVM (peers in the namespace) or in a JVM inside
 * the namespace ({@link ProbeMain}). The timeouts here only turn a probe that never ends into a failure instead of
 * a hung build: they are far above any task's deadline.
 */
class ProbeEndingsLabTest {
    private static final Duration SHORT = Duration.ofMillis(500);
    /** Longer than the second between two trickled bytes: a timeout per read would never fire. */
    private static final Duration PATIENT = Duration.ofSeconds(2);
    private static final String NO_ROUTE = "10.20.0.10";

    @BeforeEach
    void needsNamespaces() {
        String reason = NetnsLab.unavailable();
        Assumptions.assumeTrue(reason == null, reason);
    }

    /** A task with an id of its own (results are matched by it), as {@link Tasks#of} builds it otherwise. */
    private static ProbeTask task(String id, ProbeKind kind, String target, String ports, String... params) {
        return task(id, kind, target, ports, SHORT, params);
    }

    private static ProbeTask task(String id, ProbeKind kind, String target, String ports, Duration timeout,
                                  String... params) {
        ProbeTask t = Tasks.of(kind, target, ports, timeout, params);
        return new ProbeTask(t.schemaVersion(), id, t.surveyId(), t.siteId(), t.vantage(), t.agentId(),
                t.requirementId(), t.kind(), t.target(), t.ports(), t.params(), t.timeout());
    }

    /** Runs the tasks in a JVM inside the namespace; every task must have ended with a result. */
    private static Map<String, ProbeResult> runInside(NetnsLab lab, List<ProbeTask> tasks) throws Exception {
        NetnsLab.Finished run = lab.runJava(ProbeMain.class, Wire.encodeToString(tasks));
        Map<String, ProbeResult> byTask = ProbeMain.results(run.output()).stream()
                .collect(Collectors.toMap(ProbeResult::taskId, Function.identity()));
        assertThat(byTask.keySet()).as("every probe ended; the run said:%n%s", run.output())
                .containsExactlyInAnyOrderElementsOf(tasks.stream().map(ProbeTask::taskId).toList());
        return byTask;
    }

    private static Map<String, Outcome> outcomes(Map<String, ProbeResult> results) {
        Map<String, Outcome> outcomes = new LinkedHashMap<>();
        results.forEach((id, r) -> outcomes.put(id, r.outcome()));
        return outcomes;
    }

    private static String summaries(Map<String, ProbeResult> results) {
        return results.values().stream().map(r -> r.taskId() + ": " + r.summary()).collect(Collectors.joining("\n"));
    }

    @Test
    @Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void everyKindEndsUnreachableInANamespaceWithoutARoute() throws Exception {
        try (NetnsLab lab = NetnsLab.loopbackOnly()) {
            lab.resolvConf("nameserver 10.20.0.53\n");
            List<ProbeTask> tasks = List.of(
                    task("tcp", ProbeKind.TCP, NO_ROUTE, "5061"),
                    task("udp", ProbeKind.UDP, NO_ROUTE, "5060", "responder=true"),
                    task("tcp-range", ProbeKind.TCP_RANGE, NO_ROUTE, "15000-15059"),
                    task("udp-range", ProbeKind.UDP_RANGE, NO_ROUTE, "30000-30999", "responder=true"),
                    task("dns-server", ProbeKind.DNS, "jtelacd.example.com", null, "server=10.20.0.53"),
                    task("dns-resolv.conf", ProbeKind.DNS, "jtelacd.example.com", null),
                    task("tls", ProbeKind.TLS, NO_ROUTE, "443", "sni=jtelacd.example.com"),
                    task("http", ProbeKind.HTTP, NO_ROUTE, "80"),
                    task("https", ProbeKind.HTTP, NO_ROUTE, "443", "sni=jtelacd.example.com"),
                    task("ssh", ProbeKind.SSH, NO_ROUTE, "22"),
                    task("sip-udp", ProbeKind.SIP, NO_ROUTE, "5060"),
                    task("sip-tcp", ProbeKind.SIP, NO_ROUTE, "5060", "transport=tcp"),
                    task("sip-tls", ProbeKind.SIP, NO_ROUTE, "5061", "transport=tls"),
                    task("rtp", ProbeKind.RTP, NO_ROUTE, "30000", "duration=1s"),
                    task("nat-udp", ProbeKind.NAT, NO_ROUTE, "5060"),
                    task("nat-tcp", ProbeKind.NAT, NO_ROUTE, "5060", "transport=tcp"),
                    task("hairpin", ProbeKind.NAT, NO_ROUTE, "5060", "check=hairpin", "publicAddress=203.0.113.10"));
            Map<String, ProbeResult> results = runInside(lab, tasks);
            assertThat(outcomes(results)).as(summaries(results)).allSatisfy((id, outcome) ->
                    assertThat(outcome).as(id).isEqualTo(Outcome.UNREACHABLE));
            assertThat(results.get("dns-server").summary()).contains("10.20.0.53").contains("Network is unreachable");
        }
    }

    @Test
    @Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void udpKindsEndUnreachableWhenThisHostsFirewallRefusesToSend() throws Exception {
        try (NetnsLab lab = NetnsLab.loopbackOnly()) {
            // a drop (or reject) in the output hook fails the send itself with EPERM
            lab.nft("""
                    table inet local {
                      chain out {
                        type filter hook output priority 0; policy accept;
                        udp dport 7000-7999 drop
                      }
                    }
                    """);
            List<ProbeTask> tasks = List.of(
                    task("udp", ProbeKind.UDP, "127.0.0.1", "7001", "responder=true"),
                    task("udp-range", ProbeKind.UDP_RANGE, "127.0.0.1", "7100-7199", "responder=true"),
                    task("dns", ProbeKind.DNS, "jtelacd.example.com", null, "server=127.0.0.1:7053"),
                    task("sip-udp", ProbeKind.SIP, "127.0.0.1", "7060"),
                    task("rtp", ProbeKind.RTP, "127.0.0.1", "7200", "duration=1s"),
                    task("nat-udp", ProbeKind.NAT, "127.0.0.1", "7300"),
                    task("hairpin", ProbeKind.NAT, "127.0.0.1", "7300", "check=hairpin", "publicAddress=127.0.0.1:7301"));
            Map<String, ProbeResult> results = runInside(lab, tasks);
            assertThat(outcomes(results)).as(summaries(results)).allSatisfy((id, outcome) ->
                    assertThat(outcome).as(id).isEqualTo(Outcome.UNREACHABLE));
            assertThat(((PortEvidence) results.get("udp").evidence()).error()).isEqualTo("EPERM");
        }
    }

    @Test
    @Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void aSweepWhosePortsFailOnThisHostSaysWhy() throws Exception {
        try (NetnsLab lab = NetnsLab.loopbackOnly()) {
            // the loopback's broadcast address: the kernel refuses to connect a socket to it (EACCES, nothing sent)
            List<ProbeTask> tasks = List.of(task("udp-range", ProbeKind.UDP_RANGE, "127.255.255.255", "7100-7119",
                    "responder=true"));
            Map<String, ProbeResult> results = runInside(lab, tasks);
            ProbeResult sweep = results.get("udp-range");
            assertThat(sweep.outcome()).as(sweep.summary()).isEqualTo(Outcome.ERROR);
            assertThat(sweep.summary()).contains("20 port(s) failed on this host (ERROR), the first with: Permission denied");
        }
    }

    @Test
    @Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void probesOfANameEndWhenTheSystemResolverNeverAnswers() throws Exception {
        try (NetnsLab lab = NetnsLab.loopbackOnly()) {
            // the resolver is asked and never answers; the C library would wait 5 x 30 s per name
            lab.resolvConf("nameserver 127.0.0.1\noptions timeout:30 attempts:5\n");
            lab.nft("""
                    table inet local {
                      chain in {
                        type filter hook input priority 0; policy accept;
                        udp dport 53 drop
                        tcp dport 53 drop
                      }
                    }
                    """);
            String name = "stack.vantage.test";
            List<ProbeTask> tasks = List.of(
                    task("tcp", ProbeKind.TCP, name, "5061"),
                    task("udp", ProbeKind.UDP, name, "5060", "responder=true"),
                    task("tcp-range", ProbeKind.TCP_RANGE, name, "15000-15009"),
                    task("udp-range", ProbeKind.UDP_RANGE, name, "30000-30009", "responder=true"),
                    task("dns", ProbeKind.DNS, "jtelacd.example.com", null, "server=resolver.vantage.test"),
                    task("tls", ProbeKind.TLS, name, "443"),
                    task("http", ProbeKind.HTTP, name, "80"),
                    task("ssh", ProbeKind.SSH, name, "22"),
                    task("sip-udp", ProbeKind.SIP, name, "5060"),
                    task("sip-tcp", ProbeKind.SIP, name, "5060", "transport=tcp"),
                    task("rtp", ProbeKind.RTP, name, "30000", "duration=1s"),
                    task("nat-udp", ProbeKind.NAT, name, "5060"),
                    task("hairpin", ProbeKind.NAT, "127.0.0.1", "5060", "check=hairpin", "publicAddress=" + name));
            Map<String, ProbeResult> results = runInside(lab, tasks);
            assertThat(outcomes(results)).as(summaries(results)).allSatisfy((id, outcome) ->
                    assertThat(outcome).as(id).isEqualTo(Outcome.ERROR));
            assertThat(results.values()).as(summaries(results)).allSatisfy(r ->
                    assertThat(r.summary()).containsIgnoringCase("resolve"));
        }
    }

    /** Runs the probes at once in this JVM; each must end (the bound is far above every deadline). */
    private static Map<String, ProbeResult> runHere(List<ProbeTask> tasks) throws Exception {
        ProbeRegistry probes = new ProbeRegistry(List.of(new TcpProbe(), new TlsProbe(), new HttpProbe(), new SshProbe(),
                new SipProbe(), new NatProbe(), new DnsProbe()));
        Map<String, CompletableFuture<ProbeResult>> running = new LinkedHashMap<>();
        for (ProbeTask t : tasks) {
            CompletableFuture<ProbeResult> f = new CompletableFuture<>();
            Thread thread = new Thread(() -> f.complete(probes.probe(t.kind()).run(t, Tasks.CONTEXT)),
                    "probe " + t.taskId());
            thread.setDaemon(true);
            thread.start();
            running.put(t.taskId(), f);
        }
        try {
            CompletableFuture.allOf(running.values().toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            fail("probes still running after 60 s: " + running.entrySet().stream().filter(x -> !x.getValue().isDone())
                    .map(Map.Entry::getKey).toList());
        }
        Map<String, ProbeResult> results = new LinkedHashMap<>();
        running.forEach((id, f) -> results.put(id, f.join()));
        return results;
    }

    @Test
    @Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void connectedProbesEndWhenThePeerAcceptsAndNeverSpeaksOrTrickles() throws Exception {
        try (NetnsLab lab = NetnsLab.create()) {
            lab.startJava(StallingPeers.class, "peers listening", "--bind", lab.labAddress,
                    "--silent", "7401", "--trickle", "7402");
            String at = lab.labAddress;
            Map<String, ProbeResult> results = runHere(List.of(
                    task("silent tcp", ProbeKind.TCP, at, "7401", PATIENT, "responder=true"),
                    task("silent http", ProbeKind.HTTP, at, "7401", PATIENT),
                    task("silent ssh", ProbeKind.SSH, at, "7401", PATIENT),
                    task("silent sip-tcp", ProbeKind.SIP, at, "7401", PATIENT, "transport=tcp"),
                    task("silent nat-tcp", ProbeKind.NAT, at, "7401", PATIENT, "transport=tcp"),
                    task("trickle tcp", ProbeKind.TCP, at, "7402", PATIENT, "responder=true"),
                    task("trickle http", ProbeKind.HTTP, at, "7402", PATIENT),
                    task("trickle ssh", ProbeKind.SSH, at, "7402", PATIENT),
                    task("trickle sip-tcp", ProbeKind.SIP, at, "7402", PATIENT, "transport=tcp"),
                    task("trickle nat-tcp", ProbeKind.NAT, at, "7402", PATIENT, "transport=tcp")));
            assertThat(outcomes(results)).as(summaries(results)).containsExactlyInAnyOrderEntriesOf(Map.of(
                    "silent tcp", Outcome.OPEN,
                    "silent http", Outcome.TIMEOUT,
                    "silent ssh", Outcome.TIMEOUT,
                    "silent sip-tcp", Outcome.TIMEOUT,
                    "silent nat-tcp", Outcome.UNEXPECTED,
                    "trickle tcp", Outcome.OPEN,
                    "trickle http", Outcome.TIMEOUT,
                    "trickle ssh", Outcome.UNEXPECTED,
                    "trickle sip-tcp", Outcome.TIMEOUT,
                    "trickle nat-tcp", Outcome.UNEXPECTED));
        }
    }

    @Test
    @Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void tlsProbesEndWhenThePeerStallsMidHandshake() throws Exception {
        try (NetnsLab lab = NetnsLab.create()) {
            lab.startJava(StallingPeers.class, "peers listening", "--bind", lab.labAddress,
                    "--silent", "7411", "--tls-half", "7412", "--tls-trickle", "7413");
            String at = lab.labAddress;
            String sni = "sni=jtelacd.example.com";
            Map<String, ProbeResult> results = runHere(List.of(
                    task("no ServerHello tls", ProbeKind.TLS, at, "7411", PATIENT, sni),
                    task("no ServerHello https", ProbeKind.HTTP, at, "7411", PATIENT, "scheme=https", sni),
                    task("no ServerHello sips", ProbeKind.SIP, at, "7411", PATIENT, "transport=tls", sni),
                    task("half ServerHello tls", ProbeKind.TLS, at, "7412", PATIENT, sni),
                    task("half ServerHello https", ProbeKind.HTTP, at, "7412", PATIENT, "scheme=https", sni),
                    task("half ServerHello sips", ProbeKind.SIP, at, "7412", PATIENT, "transport=tls", sni),
                    task("trickled ServerHello tls", ProbeKind.TLS, at, "7413", PATIENT, sni),
                    task("trickled ServerHello https", ProbeKind.HTTP, at, "7413", PATIENT, "scheme=https", sni),
                    task("trickled ServerHello sips", ProbeKind.SIP, at, "7413", PATIENT, "transport=tls", sni)));
            assertThat(outcomes(results)).as(summaries(results)).allSatisfy((id, outcome) ->
                    assertThat(outcome).as(id).isEqualTo(Outcome.UNEXPECTED));
            assertThat(results.values()).as(summaries(results)).allSatisfy(r ->
                    assertThat(r.summary()).contains("handshake"));
        }
    }

    @Test
    @Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void dnsProbeEndsWithTimeoutWhenTheResolverNeverAnswers() throws Exception {
        try (NetnsLab lab = NetnsLab.create()) {
            lab.nft("""
                    table inet lab {
                      chain input {
                        type filter hook input priority 0; policy accept;
                        udp dport 7453 drop
                      }
                    }
                    """);
            Map<String, ProbeResult> results = runHere(List.of(
                    task("dns", ProbeKind.DNS, "jtelacd.example.com", null, "server=" + lab.labAddress + ":7453")));
            assertThat(results.get("dns").outcome()).as(results.get("dns").summary()).isEqualTo(Outcome.TIMEOUT);
        }
    }
}
