package dev.vantage.plan;

import dev.vantage.catalog.Catalog;
import dev.vantage.catalog.Catalogs;
import dev.vantage.catalog.Mode;
import dev.vantage.catalog.Requirement;
import dev.vantage.site.Site;
import dev.vantage.site.Sites;
import dev.vantage.wire.ProbeKind;
import dev.vantage.wire.ProbeTask;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.UnaryOperator;

import static dev.vantage.catalog.Mode.POST_INSTALL;
import static dev.vantage.catalog.Mode.PRE_INSTALL;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PlannerTest {
    private static final Path EXAMPLE = Path.of("..", "deploy", "examples", "site-example.yaml");
    private static final Path LEGACY_EXAMPLE = Path.of("..", "deploy", "examples", "site-legacy-example.yaml");
    private static final Catalog STACK = Catalogs.bundled("jtel-container-stack");
    private static final Catalog LEGACY = Catalogs.bundled("jtel-acd-legacy");
    private final Planner planner = new Planner();

    /** The example site, edited by a text replacement, so each test shows what it changes. */
    private static Site example(UnaryOperator<String> edit) {
        try {
            return Sites.parse("site-example.yaml", edit.apply(Files.readString(EXAMPLE)), Catalogs::bundled);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static Site example() {
        return example(s -> s);
    }

    private Plan plan(Site site, String role, Mode mode) {
        return planner.plan(STACK, site, Set.of(role), mode);
    }

    private static List<ProbeTask> tasksOf(Plan plan, String requirementId) {
        return plan.tasks().stream().filter(t -> t.requirementId().equals(requirementId)).toList();
    }

    private static RequirementPlan statusOf(Plan plan, String requirementId) {
        return plan.requirements().stream().filter(r -> r.requirementId().equals(requirementId)).findFirst().orElseThrow();
    }

    @ParameterizedTest(name = "{1} from {0} ({2}): {3} {4}:{5}")
    @CsvSource(delimiter = '|', textBlock = """
            # role       | requirement                       | mode         | kind      | target              | ports
            trunk        | inbound.rtp                       | POST_INSTALL | udp-range | 203.0.113.10        | 30000-34999
            pbx          | inbound.rtp                       | POST_INSTALL | udp-range | 10.20.0.10          | 30000-34999
            pbx          | inbound.sip-udp                   | POST_INSTALL | sip       | 10.20.0.10          | 5060
            trunk        | inbound.sip-udp                   | POST_INSTALL | sip       | 203.0.113.10        | 5060
            trunk        | inbound.sbc-rtp                   | POST_INSTALL | udp-range | 203.0.113.10        | 15000-15059
            end-users    | nat.hairpin-sip                   | POST_INSTALL | sip       | 203.0.113.10        | 5060
            end-users    | inbound.https                     | POST_INSTALL | tls       | 10.20.0.10          | 443
            end-users    | inbound.https                     | PRE_INSTALL  | tcp       | 10.20.0.10          | 443
            jtel-support | inbound.ssh                       | POST_INSTALL | ssh       | 203.0.113.10        | 22
            admin-network| inbound.ssh                       | PRE_INSTALL  | tcp       | 10.20.0.10          | 22
            internet     | inbound.database-blocked-from-internet | POST_INSTALL | tcp-range | 203.0.113.10   | 3306-3308
            acd-stack    | outbound.azure-blob               | POST_INSTALL | tls       | examplebackup.blob.core.windows.net | 443
            acd-stack    | outbound.bitbucket-ssh            | POST_INSTALL | ssh       | bitbucket.org       | 22
            acd-stack    | nat.outbound                      | POST_INSTALL | nat       | 198.51.100.77       | 443
            """)
    void aimsEachProbeAtTheAddressTheSourceUses(String role, String requirement, Mode mode, String kind, String target,
                                                String ports) {
        List<ProbeTask> tasks = tasksOf(plan(example(), role, mode), requirement);
        assertThat(tasks).anySatisfy(t -> {
            assertThat(t.kind().wireName()).isEqualTo(kind);
            assertThat(t.target()).isEqualTo(target);
            assertThat(t.ports()).hasToString(ports);
            assertThat(t.vantage()).isEqualTo(role);
        });
    }

    @Test
    void marksTlsToExternalDestinationsAsPublicButNotTlsToTheStack() {
        Plan stack = plan(example(), "acd-stack", POST_INSTALL);
        assertThat(tasksOf(stack, "outbound.letsencrypt")).filteredOn(t -> t.kind() == ProbeKind.TLS).singleElement()
                .satisfies(t -> assertThat(t.params()).containsEntry("public", "true"));
        Plan lan = plan(example(), "end-users", POST_INSTALL);
        assertThat(tasksOf(lan, "inbound.https")).filteredOn(t -> t.kind() == ProbeKind.TLS).singleElement()
                .satisfies(t -> assertThat(t.params()).doesNotContainKey("public"));
    }

    @Test
    void checksOutboundNatOverTcpLikeTheResponderItOpens() {
        Plan plan = planner.plan(STACK, example(), Set.of("acd-stack", "internet"), PRE_INSTALL);
        assertThat(tasksOf(plan, "nat.outbound")).filteredOn(t -> t.kind() == ProbeKind.NAT).singleElement()
                .satisfies(t -> assertThat(t.params()).containsEntry("transport", "tcp"));
        assertThat(tasksOf(plan, "nat.outbound")).filteredOn(t -> t.kind() == ProbeKind.RESPOND).singleElement()
                .satisfies(t -> assertThat(t.params()).containsEntry("transport", "tcp"));
    }

    @Test
    void plansOnlyTheChosenRequirementsWithTheProbesAndRespondersTheyNeed() {
        Set<String> chosen = Set.of("nat.port-forward-rtp", "inbound.ssh");
        Plan all = planner.plan(STACK, example(), Set.of(), PRE_INSTALL);
        Plan some = planner.plan(STACK, example(), Set.of(), PRE_INSTALL, chosen);

        assertThat(some.requirements()).extracting(RequirementPlan::requirementId)
                .containsExactlyInAnyOrderElementsOf(chosen);
        List<ProbeTask> probes = some.tasks().stream().filter(t -> t.kind() != ProbeKind.RESPOND).toList();
        assertThat(probes).isNotEmpty().allSatisfy(t -> assertThat(chosen).contains(t.requirementId()));
        // the same probes as in the survey of everything, task ids and all
        assertThat(probes).containsExactlyInAnyOrderElementsOf(all.tasks().stream()
                .filter(t -> t.kind() != ProbeKind.RESPOND && chosen.contains(t.requirementId())).toList());
        // and windows on exactly their ports: the RTP range for the forward, SSH; none of the other stack ports
        assertThat(some.tasks()).filteredOn(t -> t.kind() == ProbeKind.RESPOND)
                .extracting(t -> t.param("transport", "?") + "/" + t.ports())
                .containsExactlyInAnyOrder("udp/30000-34999", "tcp/22");
    }

    @Test
    void refusesToPlanARequirementTheCatalogDoesNotHave() {
        assertThatThrownBy(() -> planner.plan(STACK, example(), Set.of(), PRE_INSTALL, Set.of("inbound.ssh", "inbound.telnet")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("catalog jtel-container-stack has no requirement inbound.telnet");
    }

    @Test
    void plansTheRtpRangeAsOneRangeTaskNotThousands() {
        Plan plan = plan(example(), "trunk", POST_INSTALL);
        assertThat(tasksOf(plan, "inbound.rtp")).singleElement()
                .satisfies(t -> assertThat(t.kind()).isEqualTo(ProbeKind.UDP_RANGE));
        assertThat(plan.tasks()).hasSizeLessThan(40);
    }

    @Test
    void streamsRtpToTheFirstPortOfTheRangeBeforeInstallation() {
        ProbeTask rtp = tasksOf(plan(example(), "pbx", PRE_INSTALL), "inbound.rtp").stream()
                .filter(t -> t.kind() == ProbeKind.RTP).findFirst().orElseThrow();
        assertThat(rtp.ports()).hasToString("30000");
        assertThat(rtp.params()).containsEntry("maxLossPct", "1").containsEntry("minMos", "3.6")
                .containsEntry("responder", "true");
    }

    @Test
    void preInstallOpensRespondersOnExactlyTheCatalogPortsOfTheStack() {
        Plan plan = plan(example(), "acd-stack", PRE_INSTALL);
        List<String> listeners = plan.tasks().stream().filter(t -> t.kind() == ProbeKind.RESPOND)
                .map(t -> t.param("transport", "?") + "/" + t.ports() + "/" + t.param("serve", "?")).toList();
        assertThat(listeners).containsExactlyInAnyOrder(
                "tcp/22/accept", "tcp/80/accept", "tcp/443/accept", "tcp/3000/accept", "tcp/3003/accept",
                "tcp/3306-3308/accept", "tcp/5060/sip", "tcp/5061/accept", "tcp/7777/accept", "tcp/15060/sip",
                "udp/5060/sip", "udp/15000-15059/rtp", "udp/15060/sip", "udp/30000-34999/rtp");
        assertThat(plan.tasks()).filteredOn(t -> t.kind() == ProbeKind.RESPOND)
                .allSatisfy(t -> {
                    assertThat(t.target()).isEqualTo("10.20.0.10");
                    assertThat(t.param("duration", null)).isEqualTo("PT15M");
                    assertThat(t.timeout()).isEqualTo(Duration.ofMinutes(15));
                });
        assertThat(plan.tasks().get(0).kind()).as("listeners come first").isEqualTo(ProbeKind.RESPOND);
    }

    @Test
    void oneListenerServesEveryRequirementOnItsPort() {
        ProbeTask ssh = plan(example(), "acd-stack", PRE_INSTALL).tasks().stream()
                .filter(t -> t.kind() == ProbeKind.RESPOND && t.ports().toString().equals("22")).findFirst().orElseThrow();
        assertThat(ssh.param("requirements", "")).isEqualTo("inbound.ssh,inbound.ssh-blocked-from-internet");
    }

    @Test
    void preInstallProbesToTheStackExpectAResponder() {
        Plan pre = plan(example(), "trunk", PRE_INSTALL);
        assertThat(pre.tasks()).isNotEmpty().allSatisfy(t -> assertThat(t.params()).containsEntry("responder", "true"));
        Plan post = plan(example(), "trunk", POST_INSTALL);
        assertThat(post.tasks()).isNotEmpty().allSatisfy(t -> assertThat(t.params()).doesNotContainKey("responder"));
    }

    @Test
    void postInstallOpensOnlyTheResponderTheNatCheckAlwaysNeeds() {
        assertThat(plan(example(), "acd-stack", POST_INSTALL).tasks()).noneMatch(t -> t.kind() == ProbeKind.RESPOND);
        assertThat(plan(example(), "internet", POST_INSTALL).tasks()).filteredOn(t -> t.kind() == ProbeKind.RESPOND)
                .singleElement().satisfies(t -> {
                    assertThat(t.requirementId()).isEqualTo("nat.outbound");
                    assertThat(t.params()).containsEntry("serve", "nat").containsEntry("transport", "tcp");
                    assertThat(t.target()).isEqualTo("198.51.100.77");
                });
    }

    @Test
    void marksMustBeBlockedProbesWithExpectStateBlocked() {
        Plan plan = plan(example(), "internet", POST_INSTALL);
        assertThat(tasksOf(plan, "inbound.ssh-blocked-from-internet")).singleElement()
                .satisfies(t -> assertThat(t.params()).containsEntry("expectState", "blocked"));
        assertThat(tasksOf(plan, "inbound.chat-http")).singleElement()
                .satisfies(t -> assertThat(t.params()).doesNotContainKey("expectState"));
    }

    @Test
    void resolvesTheFqdnWithTheInsideAnswerFromInsideAndTheOutsideAnswerFromOutside() {
        ProbeTask inside = tasksOf(plan(example(), "end-users", POST_INSTALL), "dns.fqdn-internal").get(0);
        assertThat(inside.kind()).isEqualTo(ProbeKind.DNS);
        assertThat(inside.target()).isEqualTo("jtelacd.example.com");
        assertThat(inside.ports()).isNull();
        assertThat(inside.params()).containsEntry("expect", "10.20.0.10").containsEntry("record", "A")
                .doesNotContainKey("server");
        ProbeTask outside = tasksOf(plan(example(), "internet", POST_INSTALL), "dns.fqdn-external").get(0);
        assertThat(outside.params()).containsEntry("expect", "203.0.113.10");
        assertThat(tasksOf(plan(example(), "internet", POST_INSTALL), "dns.vscode-external")).singleElement()
                .satisfies(t -> assertThat(t.target()).isEqualTo("vscode.jtelacd.example.com"));
    }

    @Test
    void asksForAaaaWhenTheSiteExpectsAnIpv6Answer() {
        Site site = example(s -> s.replace("internal: [10.20.0.10]", "internal: [10.20.0.10, 2001:db8::10]"));
        assertThat(tasksOf(plan(site, "end-users", POST_INSTALL), "dns.fqdn-internal"))
                .extracting(t -> t.param("record", "") + "=" + t.param("expect", ""))
                .containsExactly("A=10.20.0.10", "AAAA=2001:db8::10");
    }

    @Test
    void sendsTheHostNameAsSniToExternalDestinationsAndTheFqdnToTheStack() {
        assertThat(tasksOf(plan(example(), "acd-stack", POST_INSTALL), "outbound.letsencrypt"))
                .allSatisfy(t -> assertThat(t.params()).containsEntry("sni", "acme-v02.api.letsencrypt.org"));
        assertThat(tasksOf(plan(example(), "end-users", POST_INSTALL), "inbound.https")).singleElement()
                .satisfies(t -> assertThat(t.params()).containsEntry("sni", "jtelacd.example.com"));
        assertThat(tasksOf(plan(example(), "acd-stack", POST_INSTALL), "outbound.registry"))
                .filteredOn(t -> t.kind() == ProbeKind.HTTP)
                .extracting(ProbeTask::target).containsExactly("dockerhub.jtel.de", "jtelacr.azurecr.io");
    }

    @Test
    void listsUntestedWhenNoVantagePlaysTheSource() {
        Site noTrunk = example(s -> s.replace("  - {agent: carrier-side, roles: [trunk]}\n", ""));
        Plan plan = plan(noTrunk, "end-users", POST_INSTALL);
        RequirementPlan sbc = statusOf(plan, "inbound.sbc-sip-udp");
        assertThat(sbc.status()).isEqualTo(RequirementPlan.Status.UNTESTED);
        assertThat(sbc.reason()).isEqualTo("no vantage plays trunk: add an agent that plays it");
        RequirementPlan rtp = statusOf(plan, "inbound.rtp");
        assertThat(rtp.status()).isEqualTo(RequirementPlan.Status.PLANNED);
        assertThat(rtp.gaps()).containsExactly("not from trunk, sbc: no vantage plays them");
    }

    @Test
    void listsNotApplicableWhenTheModuleIsOff() {
        Site noModules = example(s -> s.replace(
                "modules: [external-access, sbc, chat, reporting-api, vscode, azure-oauth, ai]", "modules: []"));
        Plan plan = plan(noModules, "acd-stack", POST_INSTALL);
        assertThat(statusOf(plan, "outbound.openai"))
                .isEqualTo(new RequirementPlan("outbound.openai", RequirementPlan.Status.NOT_APPLICABLE,
                        "module ai is not enabled at the site", List.of()));
        assertThat(statusOf(plan, "dns.vscode-external").reason())
                .isEqualTo("module vscode, external-access are not enabled at the site");
        assertThat(tasksOf(plan, "outbound.openai")).isEmpty();
        assertThat(statusOf(plan, "inbound.database-blocked-from-internet").status())
                .isEqualTo(RequirementPlan.Status.PLANNED);
    }

    @Test
    void listsNotApplicableWhenTheTopologyDoesNotNeedIt() throws IOException {
        Site nonRedundant = Sites.parse("legacy.yaml", Files.readString(LEGACY_EXAMPLE)
                .replace("topology: redundant", "topology: non-redundant"), Catalogs::bundled);
        Plan plan = planner.plan(LEGACY, nonRedundant, Set.of(), POST_INSTALL);
        assertThat(statusOf(plan, "legacy.pcs-2224").status()).isEqualTo(RequirementPlan.Status.NOT_APPLICABLE);
        assertThat(statusOf(plan, "legacy.pcs-2224").reason())
                .isEqualTo("only required for redundant installations, the site is non-redundant");
        assertThat(statusOf(plan, "legacy.hazelcast").status()).isEqualTo(RequirementPlan.Status.PLANNED);
    }

    @Test
    void leavesTheWildcardBlobHostUntestedUntilTheSiteNamesIt() {
        Site noBlob = example(s -> s.replace("  azure-blob: {host: examplebackup.blob.core.windows.net}\n", ""));
        RequirementPlan blob = statusOf(plan(noBlob, "acd-stack", POST_INSTALL), "outbound.azure-blob");
        assertThat(blob.status()).isEqualTo(RequirementPlan.Status.UNTESTED);
        assertThat(blob.reason()).isEqualTo("the site names no host for *.blob.core.windows.net (destinations.azure-blob.host)");
    }

    @Test
    void leavesInboundUntestedBeforeInstallationWhenNoAgentCanOpenTheResponder() {
        Site noStackAgent = example(s -> s.replace("  - {agent: berlin-stack, roles: [acd-stack]}\n", ""));
        RequirementPlan sip = statusOf(plan(noStackAgent, "trunk", PRE_INSTALL), "inbound.sip-udp");
        assertThat(sip.status()).isEqualTo(RequirementPlan.Status.UNTESTED);
        assertThat(sip.reason()).isEqualTo(
                "pre-install: no vantage plays acd-stack, whose agent must open the responder the probes need");
        assertThat(statusOf(plan(noStackAgent, "trunk", POST_INSTALL), "inbound.sip-udp").status())
                .isEqualTo(RequirementPlan.Status.PLANNED);
    }

    @Test
    void leavesOutsideProbesUntestedWhenTheStackHasNoPublicAddress() {
        Site noPublic = example(s -> s.replace("    public: [203.0.113.10]         # what the perimeter firewall forwards to it\n", ""));
        RequirementPlan support = statusOf(plan(noPublic, "jtel-support", POST_INSTALL), "inbound.https-support");
        assertThat(support.status()).isEqualTo(RequirementPlan.Status.UNTESTED);
        assertThat(support.reason()).isEqualTo(
                "the site gives no public address for acd-stack (roles.acd-stack.public), needed from jtel-support");
        RequirementPlan rtp = statusOf(plan(noPublic, "pbx", POST_INSTALL), "inbound.rtp");
        assertThat(rtp.status()).isEqualTo(RequirementPlan.Status.PLANNED);
        assertThat(rtp.gaps()).contains(
                "the site gives no public address for acd-stack (roles.acd-stack.public), needed from trunk");
    }

    @Test
    void aSiteZoneOverrideMovesTheTargetToTheInternalAddress() {
        Site vpn = example(s -> s.replace("  jtel-support:\n    addresses: [192.0.2.0/28]",
                "  jtel-support:\n    addresses: [192.0.2.0/28]\n    zone: inside"));
        assertThat(tasksOf(plan(vpn, "jtel-support", POST_INSTALL), "inbound.ssh")).singleElement()
                .satisfies(t -> assertThat(t.target()).isEqualTo("10.20.0.10"));
    }

    @Test
    void aDestinationOverrideReplacesTheCatalogHostsAndPort() {
        Site mirror = example(s -> s.replace("destinations:\n",
                "destinations:\n  registry: {host: registry.example.com, port: 8443}\n"));
        assertThat(tasksOf(plan(mirror, "acd-stack", POST_INSTALL), "outbound.registry"))
                .extracting(t -> t.kind().wireName() + " " + t.target() + ":" + t.ports())
                .containsExactly("tls registry.example.com:8443", "http registry.example.com:8443");
    }

    @Test
    void plansARoleNoSiteAgentPlaysAsAnAdHocVantage() {
        Plan plan = plan(example(), "sbc", POST_INSTALL);
        assertThat(plan.tasks()).isNotEmpty().allSatisfy(t -> assertThat(t.vantage()).isEqualTo("sbc"));
        assertThat(statusOf(plan, "inbound.sip-udp").gaps()).isEmpty();
    }

    @Test
    void rejectsARoleTheCatalogDoesNotKnow() {
        assertThatThrownBy(() -> plan(example(), "carrier", POST_INSTALL))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("unknown role 'carrier', catalog jtel-container-stack has roles acd-stack, end-users");
    }

    @Test
    void givesTheSamePlanAndIdsEveryTime() {
        Plan first = planner.plan(STACK, example(), Set.of(), PRE_INSTALL);
        Plan second = planner.plan(STACK, example(), Set.of(), PRE_INSTALL);
        assertThat(second).isEqualTo(first);
        assertThat(first.tasks()).extracting(ProbeTask::taskId).doesNotHaveDuplicates();
        assertThat(first.tasks()).allSatisfy(t -> {
            assertThat(t.surveyId()).isNull();
            assertThat(t.agentId()).isNull();
            assertThat(t.siteId()).isEqualTo("example-berlin");
        });
    }

    @Test
    void changesTheIdWhenTheTargetChanges() {
        String before = tasksOf(plan(example(), "pbx", POST_INSTALL), "inbound.sip-udp").get(0).taskId();
        Site moved = example(s -> s.replace("addresses: [10.20.0.10]", "addresses: [10.20.0.11]"));
        String after = tasksOf(plan(moved, "pbx", POST_INSTALL), "inbound.sip-udp").get(0).taskId();
        assertThat(after).isNotEqualTo(before);
    }

    @Test
    void everyRequirementOfTheContainerStackIsPlannableForSomeRoleOfTheExampleSite() {
        for (Mode mode : Mode.values()) {
            Plan plan = planner.plan(STACK, example(), Set.of(), mode);
            assertThat(plan.requirements()).as(mode.wireName()).hasSize(STACK.requirements().size())
                    .allSatisfy(r -> assertThat(r.status()).as(r.requirementId() + ": " + r.reason())
                            .isEqualTo(RequirementPlan.Status.PLANNED));
            Set<String> withTasks = new HashSet<>();
            plan.tasks().stream().filter(t -> t.kind() != ProbeKind.RESPOND).forEach(t -> withTasks.add(t.requirementId()));
            assertThat(withTasks).containsExactlyInAnyOrderElementsOf(
                    STACK.requirements().stream().map(Requirement::id).toList());
        }
    }

    @Test
    void everyRequirementOfTheLegacyCatalogIsPlannableForSomeRoleOfTheLegacyExample() {
        Site legacy = Sites.load(LEGACY_EXAMPLE);
        Plan plan = planner.plan(LEGACY, legacy, Set.of(), PRE_INSTALL);
        assertThat(plan.requirements()).allSatisfy(r -> assertThat(r.status()).as(r.requirementId() + ": " + r.reason())
                .isEqualTo(RequirementPlan.Status.PLANNED));
        assertThat(tasksOf(plan, "legacy.hazelcast")).filteredOn(t -> t.kind() == ProbeKind.TCP_RANGE)
                .extracting(ProbeTask::target).containsExactly("10.30.0.41", "10.30.0.42");
    }
}
