package dev.vantage.analysis;

import dev.vantage.catalog.Mode;
import dev.vantage.catalog.Severity;
import dev.vantage.plan.Plan;
import dev.vantage.plan.Planner;
import dev.vantage.wire.DnsEvidence;
import dev.vantage.wire.Evidence;
import dev.vantage.wire.HttpEvidence;
import dev.vantage.wire.NatEvidence;
import dev.vantage.wire.Outcome;
import dev.vantage.wire.PortEvidence;
import dev.vantage.wire.PortRange;
import dev.vantage.wire.ProbeKind;
import dev.vantage.wire.ProbeResult;
import dev.vantage.wire.RangeEvidence;
import dev.vantage.wire.RtpEvidence;
import dev.vantage.wire.SipEvidence;
import dev.vantage.wire.SshEvidence;
import dev.vantage.wire.TlsEvidence;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AnalyzerTest {
    private static final Instant NOW = Instant.parse("2026-11-26T07:00:00Z");

    private static SurveyFixture fixture(String yaml) {
        return SurveyFixture.of(yaml);
    }

    private static Analysis analyze(SurveyFixture f, List<ProbeResult> results, Plan... plans) {
        return new Analyzer().analyze(new SurveyInput(f.catalog, f.site, plans.length == 0 ? List.of(f.plan) : List.of(plans),
                results, Map.of(), NOW));
    }

    private static ProbeResult with(ProbeResult r, Outcome outcome, Evidence evidence) {
        return new ProbeResult(r.schemaVersion(), r.resultId(), r.taskId(), r.surveyId(), r.siteId(), r.vantage(),
                r.agentId(), r.agentVersion(), r.requirementId(), r.kind(), r.target(), r.ports(), outcome,
                r.sourceAddress(), r.destinationAddress(), r.addressFamily(), r.protocol(), r.startedAt(),
                r.timingsMicros(), r.summary(), evidence);
    }

    private static ProbeResult withIds(ProbeResult r, String resultId, String siteId, String requirementId, ProbeKind kind) {
        return new ProbeResult(r.schemaVersion(), resultId, r.taskId(), r.surveyId(), siteId, r.vantage(), r.agentId(),
                r.agentVersion(), requirementId, kind, r.target(), r.ports(), r.outcome(), r.sourceAddress(),
                r.destinationAddress(), r.addressFamily(), r.protocol(), r.startedAt(), r.timingsMicros(), r.summary(),
                r.evidence());
    }

    @Test
    void sameResultsInAnyOrderGiveTheSameAnalysis() {
        SurveyFixture f = SurveyFixture.load(AnalysisFixturesTest.DIR.resolve("rtp-range-partial.yaml"));
        List<ProbeResult> results = f.plantedResults();
        Analysis first = f.analyze(results);
        List<ProbeResult> shuffled = new ArrayList<>(results);
        Collections.shuffle(shuffled, new Random(7));
        assertThat(f.analyze(shuffled)).isEqualTo(first);
    }

    @Test
    void resentResultCountsOnce() {
        SurveyFixture f = fixture("mode: post-install");
        List<ProbeResult> results = new ArrayList<>(f.healthyResults());
        results.addAll(results.subList(0, 5)); // redelivered by Kafka: same result ids
        Analysis a = analyze(f, results);
        assertThat(a.ignored()).isEmpty();
        assertThat(a.verdicts()).allMatch(v -> v.status() == VerdictStatus.PASS);
        assertThat(a.summary().resultsUsed()).isEqualTo(f.healthyResults().size());
    }

    @Test
    void setsAsideResultsThatContradictTheirTaskNamingTheValue() {
        SurveyFixture f = fixture("mode: post-install");
        List<ProbeResult> results = new ArrayList<>(f.healthyResults());
        ProbeResult tcp = results.stream().filter(r -> r.kind() == ProbeKind.TCP).findFirst().orElseThrow();
        results.add(withIds(tcp, "x1", "other-site", tcp.requirementId(), tcp.kind()));
        results.add(withIds(tcp, "x2", tcp.siteId(), "outbound.openai", tcp.kind()));
        results.add(withIds(tcp, "x3", tcp.siteId(), tcp.requirementId(), ProbeKind.DNS));
        results.add(with(withIds(tcp, "x4", tcp.siteId(), tcp.requirementId(), tcp.kind()), null, null));
        ProbeResult otherPort = withIds(tcp, "x5", tcp.siteId(), tcp.requirementId(), tcp.kind());
        results.add(new ProbeResult(otherPort.schemaVersion(), otherPort.resultId(), otherPort.taskId(), null, null, null,
                null, null, null, null, otherPort.target(), PortRange.of(2222), Outcome.OPEN, null, null, null, null, null,
                null, null, null));
        results.add(null);
        results.add(new ProbeResult(99, "x6", tcp.taskId(), null, null, null, null, null, null, null, null, null,
                Outcome.OPEN, null, null, null, null, null, null, null, null));
        results.add(withIds(tcp, null, tcp.siteId(), tcp.requirementId(), tcp.kind()));
        Analysis a = analyze(f, results);
        assertThat(a.ignored()).extracting(IgnoredResult::reason).containsExactlyInAnyOrder(
                "a null result",
                "no result id",
                "is for site 'other-site', not 'example-berlin'",
                "names requirement 'outbound.openai' but task " + tcp.taskId() + " is for '" + tcp.requirementId() + "'",
                "is a dns result for a tcp task",
                "reports ports 2222 but task " + tcp.taskId() + " asked for " + tcp.ports(),
                "schema version 99, this analysis reads versions 1 to 2",
                "no outcome");
        assertThat(a.summary().resultsIgnored()).isEqualTo(8);
        assertThat(a.verdicts()).allMatch(v -> v.status() == VerdictStatus.PASS);
    }

    @Test
    void resultFromAnotherAgentThanTheTaskWasSentToIsSetAside() {
        SurveyFixture f = fixture("mode: post-install");
        List<dev.vantage.wire.ProbeTask> assigned = f.plan.tasks().stream().map(t -> new dev.vantage.wire.ProbeTask(
                t.schemaVersion(), t.taskId(), "survey-1", t.siteId(), t.vantage(), "assigned-" + t.vantage(),
                t.requirementId(), t.kind(), t.target(), t.ports(), t.params(), t.timeout())).toList();
        Plan plan = new Plan(f.plan.siteId(), f.plan.catalog(), f.plan.mode(), f.plan.roles(), assigned,
                f.plan.requirements());
        Analysis a = analyze(f, f.healthyResults(), plan);
        assertThat(a.ignored()).hasSize(f.healthyResults().size())
                .allMatch(i -> i.reason().contains("was sent to 'assigned-"));
        Verdict https = a.verdict("inbound.https").orElseThrow();
        assertThat(https.status()).isEqualTo(VerdictStatus.INCONCLUSIVE);
        assertThat(https.diagnosis().text()).contains("(agent assigned-end-users)");
        assertThat(a.summary().silentVantages()).anyMatch(s -> s.startsWith("end-users"));
    }

    @Test
    void neverCrashesOnAnyOutcomeWithAnyEvidenceShape() {
        SurveyFixture f = fixture("mode: pre-install");
        List<Evidence> shapes = Arrays.asList(null,
                new PortEvidence(0, null, null, null, null, false, null),
                new RangeEvidence(null, null, 0, 0, null),
                new RangeEvidence(List.of(new RangeEvidence.Segment(null, null)), null, 0, 0, null),
                new RangeEvidence(List.of(new RangeEvidence.Segment(Outcome.OPEN, PortRange.parse("1-70"))), null, 0, 0, null),
                new DnsEvidence(null, null, null, null, null, false, false, null, null, null, null, null, null),
                new TlsEvidence(null, null, null, List.of(new TlsEvidence.Certificate(null, null, null, null, null, null,
                        null, false)), false, false, null, false, null, null, null),
                new HttpEvidence(null, null, null, null, null, null, null, null, false, null, null, null),
                new SshEvidence(null, null, null, null, null, null),
                new SipEvidence(null, null, null, null, null, null, null, null, null, null, false, true,
                        List.of(new SipEvidence.Change(null, null, null)), 0, null, null),
                new RtpEvidence(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0),
                new NatEvidence(null, null, null, false, null, null));
        List<ProbeResult> healthy = f.healthyResults();
        for (Outcome outcome : Outcome.values()) {
            for (Evidence evidence : shapes) {
                List<ProbeResult> results = healthy.stream().map(r -> with(r, outcome, evidence)).toList();
                Analysis a = analyze(f, results);
                assertThat(a.verdicts()).as("%s with %s", outcome, evidence).hasSize(f.catalog.requirements().size())
                        .allSatisfy(v -> assertThat(v.status()).isNotNull());
            }
        }
    }

    @Test
    void rejectsPlansOfAnotherSiteOrMixedModesNamingTheValues() {
        SurveyFixture f = fixture("mode: post-install");
        SurveyFixture legacy = fixture("site: site-legacy-example.yaml");
        Plan pre = new Planner().plan(f.catalog, f.site, Set.of(), Mode.PRE_INSTALL);
        assertThatThrownBy(() -> analyze(f, List.of(), legacy.plan))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'example-legacy.hamburg'")
                .hasMessageContaining("'example-berlin'");
        assertThatThrownBy(() -> analyze(f, List.of(), f.plan, pre))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("post-install and pre-install");
        assertThatThrownBy(() -> new Analyzer().analyze(new SurveyInput(f.catalog, f.site, List.of(), List.of(), Map.of(), NOW)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no plan given for site example-berlin");
    }

    @Test
    void perVantagePlansLeaveTheOtherSourcesAsGapsAndTheRestNotSurveyed() {
        SurveyFixture f = fixture("mode: post-install");
        Plan lan = new Planner().plan(f.catalog, f.site, Set.of("end-users"), Mode.POST_INSTALL);
        List<ProbeResult> lanResults = f.healthyResults().stream().filter(r -> r.vantage().equals("end-users")).toList();
        Analysis a = analyze(f, lanResults, lan);
        Verdict sip = a.verdict("inbound.sip-udp").orElseThrow();
        assertThat(sip.status()).isEqualTo(VerdictStatus.PASS);
        assertThat(sip.gaps()).contains("not from trunk: not part of this survey", "not from pbx: not part of this survey");
        Verdict bitbucket = a.verdict("outbound.bitbucket-ssh").orElseThrow();
        assertThat(bitbucket.status()).isEqualTo(VerdictStatus.UNTESTED);
        assertThat(bitbucket.code()).isEqualTo(DiagnosisCode.NOT_SURVEYED);
        assertThat(bitbucket.diagnosis().text()).contains("acd-stack").contains("end-users");
    }

    @Test
    void aSurveyOfChosenRequirementsGetsVerdictsForThoseAndNoOthers() {
        SurveyFixture f = fixture("mode: post-install");
        Set<String> chosen = Set.of("inbound.sip-udp", "outbound.bitbucket-ssh");
        Plan some = new Planner().plan(f.catalog, f.site, Set.of(), Mode.POST_INSTALL, chosen);
        Analysis a = analyze(f, f.healthyResults().stream().filter(r -> chosen.contains(r.requirementId())).toList(), some);
        assertThat(a.verdicts()).extracting(Verdict::requirementId).containsExactlyInAnyOrderElementsOf(chosen);
        assertThat(a.verdicts()).extracting(Verdict::status).containsOnly(VerdictStatus.PASS);
    }

    @Test
    void countsEveryVerdictOncePerStatusAndSeverity() {
        SurveyFixture f = SurveyFixture.load(AnalysisFixturesTest.DIR.resolve("exposed-to-internet.yaml"));
        Analysis a = f.analyze(f.plantedResults());
        int total = a.summary().counts().values().stream().mapToInt(Integer::intValue).sum();
        assertThat(total).isEqualTo(f.catalog.requirements().size());
        int bySeverity = a.summary().bySeverity().values().stream().flatMap(m -> m.values().stream())
                .mapToInt(Integer::intValue).sum();
        assertThat(bySeverity).isEqualTo(total);
        assertThat(a.summary().bySeverity().get(Severity.CRITICAL).get(VerdictStatus.FAIL)).isEqualTo(2);
        assertThat(a.summary().readyForGoLive()).isFalse();
        assertThat(a.summary().notReadyReasons()).hasSize(2);
    }

    @Test
    void withoutPreviousVerdictsNothingIsCompared() {
        SurveyFixture f = fixture("mode: post-install");
        Analysis a = analyze(f, f.healthyResults());
        assertThat(a.regressions().compared()).isFalse();
        assertThat(a.regressions().regressed()).isEmpty();
        assertThat(a.analyzedAt()).isEqualTo(NOW);
    }

    @Test
    void previousVerdictsCanBeGivenAsTheLastAnalysis() {
        SurveyFixture broken = SurveyFixture.load(AnalysisFixturesTest.DIR.resolve("outbound-ssh-blocked.yaml"));
        Analysis before = broken.analyze(broken.plantedResults());
        Analysis after = new Analyzer().analyze(new SurveyInput(broken.catalog, broken.site, broken.plan,
                broken.healthyResults(), NOW).withPrevious(before.verdicts()));
        assertThat(after.regressions().fixed()).extracting(Regressions.Change::requirementId)
                .containsExactly("outbound.bitbucket-ssh");
        assertThat(after.regressions().fixed().get(0).before()).isEqualTo(VerdictStatus.FAIL);
        assertThat(after.regressions().regressed()).isEmpty();
    }

    @Test
    void probeAfterTheResponderWindowClosedIsNotAPathFailure() {
        SurveyFixture f = fixture("""
                mode: pre-install
                results:
                  - {respond: acd-stack, transport: tcp, ports: "5061", outcome: LISTENED, at: "2026-11-26T05:00:00Z"}
                  - {req: inbound.sips, from: trunk, outcome: FILTERED, at: "2026-11-26T06:00:00Z"}
                """);
        Verdict v = f.analyze(f.plantedResults()).verdict("inbound.sips").orElseThrow();
        assertThat(v.status()).isEqualTo(VerdictStatus.INCONCLUSIVE);
        assertThat(v.code()).isEqualTo(DiagnosisCode.RESPONDER_NOT_RUNNING);
        assertThat(v.diagnosis().text()).contains("listened from 2026-11-26T05:00:00Z to 2026-11-26T05:15:00Z")
                .contains("the probe ran at 2026-11-26T06:00:00Z");
    }

    @Test
    void probeInsideTheResponderWindowKeepsItsDiagnosis() {
        SurveyFixture f = fixture("""
                mode: pre-install
                results:
                  - {respond: acd-stack, transport: tcp, ports: "5061", outcome: LISTENED, at: "2026-11-26T05:55:00Z"}
                  - {req: inbound.sips, from: trunk, outcome: FILTERED, at: "2026-11-26T06:00:00Z"}
                """);
        assertThat(f.analyze(f.plantedResults()).verdict("inbound.sips").orElseThrow().code())
                .isEqualTo(DiagnosisCode.PERIMETER_FORWARD_MISSING);
    }

    @Test
    void smallClockSkewBetweenAgentsIsTolerated() {
        SurveyFixture f = fixture("""
                mode: pre-install
                results:
                  - {respond: acd-stack, transport: tcp, ports: "5061", outcome: LISTENED, at: "2026-11-26T06:00:20Z"}
                  - {req: inbound.sips, from: trunk, outcome: FILTERED, at: "2026-11-26T06:00:00Z"}
                """);
        assertThat(f.analyze(f.plantedResults()).verdict("inbound.sips").orElseThrow().code())
                .isEqualTo(DiagnosisCode.PERIMETER_FORWARD_MISSING);
    }

    @Test
    void closingReportCountsWhateverTimeItCarries() {
        // the window opened at 05:59:50; the closing report may carry the time it closed, after every probe ran
        SurveyFixture f = fixture("""
                mode: pre-install
                results:
                  - {respond: acd-stack, transport: tcp, ports: "5061", outcome: LISTENED, at: "2026-11-26T05:59:50Z"}
                  - {respond: acd-stack, transport: tcp, ports: "5061", outcome: LISTENED, at: "2026-11-26T06:14:50Z", listened: "5061"}
                  - {req: inbound.sips, outcome: CLOSED, error: ECONNREFUSED}
                """);
        Verdict v = f.analyze(f.plantedResults()).verdict("inbound.sips").orElseThrow();
        assertThat(v.code()).isEqualTo(DiagnosisCode.STACK_FIREWALL_BLOCKS);
        assertThat(v.diagnosis().text()).contains("reported that it held 5061 for its whole window");
    }

    @Test
    void redirectToTheSiteItselfPassesWhateverTheProbeFlagged() {
        for (String location : List.of("https://jtelacd.example.com/", "https://JTELACD.example.com.:443/login",
                "https://203.0.113.10/", "https://10.20.0.10/", "https://vscode.jtelacd.example.com/", "/login")) {
            SurveyFixture f = fixture("""
                    mode: post-install
                    results:
                      - {req: inbound.http, outcome: UNEXPECTED, status: 301, location: "%s",
                         proxy: ["redirect to other host somewhere"], captive: true}
                    """.formatted(location));
            Verdict v = f.analyze(f.plantedResults()).verdict("inbound.http").orElseThrow();
            assertThat(v.status()).as(location + ": " + v.diagnoses()).isEqualTo(VerdictStatus.PASS);
        }
    }

    @Test
    void redirectToAHostThatOnlyLooksLikeTheSiteIsAProxySign() {
        for (String location : List.of("https://jtelacd.example.com.portal.example.net/", "https://xjtelacd.example.com/",
                "https://198.51.100.80/", "https://10.20.0.99/")) {
            SurveyFixture f = fixture("""
                    mode: post-install
                    results:
                      - {req: inbound.http, outcome: UNEXPECTED, status: 302, location: "%s",
                         proxy: ["redirect to other host elsewhere"], captive: true}
                    """.formatted(location));
            Verdict v = f.analyze(f.plantedResults()).verdict("inbound.http").orElseThrow();
            assertThat(v.code()).as(location).isEqualTo(DiagnosisCode.TRANSPARENT_PROXY);
        }
    }

    @Test
    void redirectToTheSiteWithAnotherProxySignIsStillAProxy() {
        SurveyFixture f = fixture("""
                mode: post-install
                results:
                  - {req: inbound.http, outcome: UNEXPECTED, status: 301, location: "https://jtelacd.example.com/",
                     proxy: ["redirect to other host jtelacd.example.com", "Via: 1.1 squid"], captive: true}
                """);
        Verdict v = f.analyze(f.plantedResults()).verdict("inbound.http").orElseThrow();
        assertThat(v.code()).isEqualTo(DiagnosisCode.TRANSPARENT_PROXY);
        assertThat(v.diagnosis().text()).contains("Via: 1.1 squid").doesNotContain("redirect to other host");
    }

    @Test
    void agentsOwnFirewallIsNotBlamedOnThePath() {
        SurveyFixture f = fixture("""
                mode: pre-install
                results:
                  - {req: inbound.chat-http, from: end-users, outcome: UNREACHABLE, error: EPERM}
                """);
        Verdict v = f.analyze(f.plantedResults()).verdict("inbound.chat-http").orElseThrow();
        assertThat(v.status()).isEqualTo(VerdictStatus.INCONCLUSIVE);
        assertThat(v.code()).isEqualTo(DiagnosisCode.LOCAL_FIREWALL_BLOCKS);
        assertThat(v.diagnosis().text()).contains("agent berlin-lan").contains("10.20.0.10");
    }

    @Test
    void oneRegistryIsEnoughWhenTheCatalogSaysOr() {
        SurveyFixture f = fixture("""
                mode: post-install
                results:
                  - {req: outbound.registry, target: jtelacr.azurecr.io, outcome: FILTERED}
                """);
        Verdict v = f.analyze(f.plantedResults()).verdict("outbound.registry").orElseThrow();
        assertThat(v.status()).isEqualTo(VerdictStatus.PASS);
        assertThat(v.diagnoses()).isEmpty();
        assertThat(v.checks()).anyMatch(c -> c.target().equals("jtelacr.azurecr.io") && c.status() == VerdictStatus.FAIL);
    }

    @Test
    void bothRegistriesBlockedFailsWithBothNamed() {
        SurveyFixture f = fixture("""
                mode: post-install
                results:
                  - {req: outbound.registry, outcome: FILTERED}
                """);
        Verdict v = f.analyze(f.plantedResults()).verdict("outbound.registry").orElseThrow();
        assertThat(v.status()).isEqualTo(VerdictStatus.FAIL);
        assertThat(v.diagnoses()).anyMatch(d -> d.text().contains("dockerhub.jtel.de"))
                .anyMatch(d -> d.text().contains("jtelacr.azurecr.io"));
    }

    @Test
    void verdictRestsOnTheResultsOfItsChecks() {
        SurveyFixture f = fixture("mode: post-install");
        List<ProbeResult> results = f.healthyResults();
        Verdict v = analyze(f, results).verdict("inbound.sip-udp").orElseThrow();
        List<String> expected = results.stream().filter(r -> r.requirementId().equals("inbound.sip-udp"))
                .map(ProbeResult::resultId).toList();
        assertThat(v.resultIds()).containsExactlyInAnyOrderElementsOf(expected).hasSize(3);
        assertThat(v.checks()).extracting(Check::vantage).containsExactlyInAnyOrder("trunk", "pbx", "end-users");
    }

    @Test
    void exposureRaisesSeverityToCritical() {
        // a blocked requirement that the catalog rates below critical is still a critical finding when exposed
        SurveyFixture f = fixture("""
                mode: post-install
                results:
                  - {req: inbound.ssh-blocked-from-internet, outcome: OPEN}
                """);
        Verdict v = f.analyze(f.plantedResults()).verdict("inbound.ssh-blocked-from-internet").orElseThrow();
        assertThat(v.severity()).isEqualTo(Severity.CRITICAL);
        assertThat(v.code()).isEqualTo(DiagnosisCode.EXPOSED_TO_INTERNET);
        assertThat(v.diagnosis().text()).contains("only jtel-support, admin-network may reach it");
    }

    @Test
    void anOutcomeTheKindNeverReportsIsNotUnderstood() {
        SurveyFixture f = fixture("""
                mode: post-install
                results:
                  - {req: inbound.chat-http, from: end-users, outcome: RESOLVED}
                """);
        Verdict v = f.analyze(f.plantedResults()).verdict("inbound.chat-http").orElseThrow();
        assertThat(v.status()).isEqualTo(VerdictStatus.INCONCLUSIVE);
        assertThat(v.code()).isEqualTo(DiagnosisCode.RESULT_NOT_UNDERSTOOD);
        assertThat(v.diagnosis().text()).contains("RESOLVED");
    }

    @Test
    void analysisRoundTripsThroughTheWireCodec() {
        SurveyFixture f = SurveyFixture.load(AnalysisFixturesTest.DIR.resolve("rtp-range-partial.yaml"));
        Analysis a = f.analyze(f.plantedResults());
        Analysis back = dev.vantage.wire.Wire.decode(dev.vantage.wire.Wire.encode(a), Analysis.class);
        assertThat(back).isEqualTo(a);
        assertThat(dev.vantage.wire.Wire.encodeToString(a)).contains("\"code\":\"RANGE_PARTIAL\"");
    }

    @Test
    void everyCodeIsDocumented() throws Exception {
        String doc = java.nio.file.Files.readString(java.nio.file.Path.of("..", "docs", "diagnosis-codes.md"));
        for (DiagnosisCode c : DiagnosisCode.values()) {
            assertThat(doc).as("docs/diagnosis-codes.md documents %s", c).contains("`" + c.name() + "`");
        }
    }
}
