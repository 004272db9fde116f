package dev.vantage.plan;

import dev.vantage.catalog.Catalog;
import dev.vantage.catalog.Catalogs;
import dev.vantage.catalog.Mode;
import dev.vantage.params.DefaultTimeouts;
import dev.vantage.params.DnsParams;
import dev.vantage.params.HttpParams;
import dev.vantage.params.NatParams;
import dev.vantage.params.ProbeParams;
import dev.vantage.params.RespondParams;
import dev.vantage.params.RtpParams;
import dev.vantage.params.SipParams;
import dev.vantage.params.SshParams;
import dev.vantage.params.TcpParams;
import dev.vantage.params.TcpRangeParams;
import dev.vantage.params.TlsParams;
import dev.vantage.params.UdpParams;
import dev.vantage.params.UdpRangeParams;
import dev.vantage.site.Site;
import dev.vantage.site.Sites;
import dev.vantage.wire.ProbeKind;
import dev.vantage.wire.ProbeTask;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

/**
 * The contract between the planner and the probes: every task the planner can write for the bundled catalogs
 * (every requirement, every role, both modes with and without the media option, sites with every module and both
 * topologies on) is read without complaint by the reader the probe of its kind uses, and that reader gives back
 * exactly the parameters and the timeout the planner wrote.
 */
class PlanParamsContractTest {
    private static final Path EXAMPLES = Path.of("..", "deploy", "examples");

    /** What each probe calls at the top of its run(). */
    private static final Map<ProbeKind, Function<ProbeTask, ProbeParams>> PROBE_READERS = new EnumMap<>(Map.ofEntries(
            Map.entry(ProbeKind.TCP, TcpParams::read),
            Map.entry(ProbeKind.UDP, UdpParams::read),
            Map.entry(ProbeKind.TCP_RANGE, TcpRangeParams::read),
            Map.entry(ProbeKind.UDP_RANGE, UdpRangeParams::read),
            Map.entry(ProbeKind.DNS, DnsParams::read),
            Map.entry(ProbeKind.TLS, TlsParams::read),
            Map.entry(ProbeKind.HTTP, HttpParams::read),
            Map.entry(ProbeKind.SSH, SshParams::read),
            Map.entry(ProbeKind.SIP, SipParams::read),
            Map.entry(ProbeKind.RTP, RtpParams::read),
            Map.entry(ProbeKind.NAT, NatParams::read),
            Map.entry(ProbeKind.RESPOND, RespondParams::read)));

    @Test
    void everyPlannedTaskOfBothCatalogsDecodesWithItsProbesReader() {
        List<ProbeTask> tasks = allPlannedTasks();
        Set<ProbeKind> seen = EnumSet.noneOf(ProbeKind.class);
        for (ProbeTask task : tasks) {
            String what = task.requirementId() + " " + task.kind().wireName() + " from " + task.vantage() + " "
                    + task.params();
            Function<ProbeTask, ProbeParams> reader = PROBE_READERS.get(task.kind());
            assertThat(reader).as("a reader for " + what).isNotNull();
            assertThatCode(() -> reader.apply(task)).as(what).doesNotThrowAnyException();
            ProbeParams read = reader.apply(task);
            assertThat(read.toParams()).as(what).isEqualTo(task.params());
            assertThat(read.timeout()).as(what).isEqualTo(task.timeout());
            seen.add(task.kind());
        }
        assertThat(seen).as("every kind a catalog can plan").containsExactlyInAnyOrderElementsOf(
                Arrays.stream(ProbeKind.values()).filter(k -> !k.control()).toList());
        assertThat(tasks).as("windows on free ports only (the media option)")
                .anyMatch(t -> t.kind() == ProbeKind.RESPOND && RespondParams.read(t).freeOnly())
                .anyMatch(t -> t.kind() == ProbeKind.RESPOND && !RespondParams.read(t).freeOnly());
    }

    @Test
    void aTaskWithoutATimeoutGetsTheTimeoutThePlannerWrites() {
        // the bundled catalogs name no timeouts, so every planned task carries its kind's default
        for (ProbeTask task : allPlannedTasks()) {
            assertThat(task.timeout()).as(task.kind().wireName()).isEqualTo(DefaultTimeouts.of(task.kind()));
            ProbeTask without = new ProbeTask(task.schemaVersion(), task.taskId(), null, task.siteId(),
                    task.vantage(), null, task.requirementId(), task.kind(), task.target(), task.ports(),
                    task.params(), null);
            assertThat(PROBE_READERS.get(task.kind()).apply(without).timeout()).as(task.kind().wireName())
                    .isEqualTo(task.timeout());
        }
    }

    @Test
    void httpTasksToARoleOfTheSiteNameTheSitesOwnHostsAndNoOthersDo() {
        Map<String, dev.vantage.catalog.Requirement> requirements = new java.util.HashMap<>();
        for (String name : List.of("jtel-container-stack", "jtel-acd-legacy")) {
            Catalogs.bundled(name).requirements().forEach(r -> requirements.putIfAbsent(r.id(), r));
        }
        List<ProbeTask> http = allPlannedTasks().stream().filter(t -> t.kind() == ProbeKind.HTTP).toList();
        assertThat(http).as("the catalogs plan http probes of roles and of external hosts")
                .anyMatch(t -> requirements.get(t.requirementId()).destination().isRole())
                .anyMatch(t -> !requirements.get(t.requirementId()).destination().isRole());
        for (ProbeTask task : http) {
            boolean role = requirements.get(task.requirementId()).destination().isRole();
            assertThat(HttpParams.read(task).siteHosts().isEmpty()).as(task.requirementId() + " " + task.params())
                    .isEqualTo(!role);
        }
        ProbeTask inboundHttp = http.stream().filter(t -> t.requirementId().equals("inbound.http")
                && t.siteId().equals("example-berlin") && t.target().equals("10.20.0.10")).findFirst().orElseThrow();
        // the FQDN and the names the DNS requirements check, the role's internal and public addresses
        assertThat(HttpParams.read(inboundHttp).siteHosts()).containsExactly("jtelacd.example.com",
                "vscode.jtelacd.example.com", "10.20.0.10", "203.0.113.10");
    }

    private static List<ProbeTask> planned;

    private static synchronized List<ProbeTask> allPlannedTasks() {
        if (planned != null) {
            return planned;
        }
        List<ProbeTask> tasks = new ArrayList<>();
        plan(Catalogs.bundled("jtel-container-stack"), "site-example.yaml", tasks,
                // a registry mirror on another port, where https is named by the catalog, not by port 443
                s -> s.replace("destinations:\n", "destinations:\n  registry: {host: registry.example.com, port: 8443}\n"
                        + "  bitbucket: {host: git.example.com, port: 2222}\n"),
                s -> s.replace("internal: [10.20.0.10]", "internal: [10.20.0.10, 2001:db8::10]"));
        plan(Catalogs.bundled("jtel-acd-legacy"), "site-legacy-example.yaml", tasks, s -> s);
        planned = List.copyOf(tasks);
        return planned;
    }

    @SafeVarargs
    private static void plan(Catalog catalog, String file, List<ProbeTask> into,
                             java.util.function.UnaryOperator<String>... variants) {
        String text;
        try {
            text = Files.readString(EXAMPLES.resolve(file));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        List<String> sites = new ArrayList<>(List.of(text));
        for (var variant : variants) {
            sites.add(variant.apply(text));
        }
        for (String site : sites) {
            assertThat(site).as(file + " lists every module of " + catalog.name())
                    .contains(String.join(", ", catalog.modules().keySet()));
            for (String topology : List.of("redundant", "non-redundant")) {
                Site s = Sites.parse(file, site.replaceAll("topology: [a-z-]+", "topology: " + topology),
                        Catalogs::bundled);
                // with and without the media option of post-install surveys
                for (Planner planner : List.of(new Planner(), new Planner(Planner.DEFAULT_RESPONDER_WINDOW, true))) {
                    for (Mode mode : Mode.values()) {
                        into.addAll(planner.plan(catalog, s, Set.of(), mode).tasks());
                        for (String role : catalog.roles().keySet()) {
                            into.addAll(planner.plan(catalog, s, Set.of(role), mode).tasks());
                        }
                    }
                }
            }
        }
    }
}
