package dev.vantage.plan;

import dev.vantage.analysis.Analysis;
import dev.vantage.analysis.Analyzer;
import dev.vantage.analysis.DiagnosisCode;
import dev.vantage.analysis.SurveyInput;
import dev.vantage.analysis.Verdict;
import dev.vantage.catalog.Catalog;
import dev.vantage.catalog.Catalogs;
import dev.vantage.catalog.Mode;
import dev.vantage.plan.RequirementPlan.Untested;
import dev.vantage.site.Site;
import dev.vantage.site.Sites;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.function.UnaryOperator;

import static org.assertj.core.api.Assertions.assertThat;

class UntestedReasonTest {
    private static final Catalog STACK = Catalogs.bundled("jtel-container-stack");

    private static Site example(UnaryOperator<String> edit) {
        try {
            return Sites.parse("site-example.yaml", edit.apply(Files.readString(
                    Path.of("..", "deploy", "examples", "site-example.yaml"))), Catalogs::bundled);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static RequirementPlan statusOf(Plan plan, String id) {
        return plan.requirements().stream().filter(r -> r.requirementId().equals(id)).findFirst().orElseThrow();
    }

    @Test
    void saysWhyARequirementStaysUntestedAsAType() {
        Site noTrunk = example(s -> s.replace("  - {agent: carrier-side, roles: [trunk]}\n", ""));
        assertThat(statusOf(new Planner().plan(STACK, noTrunk, Set.of(), Mode.POST_INSTALL), "inbound.sbc-sip-udp")
                .untested()).isEqualTo(Untested.NO_SOURCE_VANTAGE);

        Site noStackAgent = example(s -> s.replace("  - {agent: berlin-stack, roles: [acd-stack]}\n", ""));
        assertThat(statusOf(new Planner().plan(STACK, noStackAgent, Set.of("trunk"), Mode.PRE_INSTALL),
                "inbound.sip-udp").untested()).isEqualTo(Untested.NO_RESPONDER_VANTAGE);

        Site noBlob = example(s -> s.replace("  azure-blob: {host: examplebackup.blob.core.windows.net}\n", ""));
        assertThat(statusOf(new Planner().plan(STACK, noBlob, Set.of(), Mode.POST_INSTALL), "outbound.azure-blob")
                .untested()).isEqualTo(Untested.NO_TARGET);

        Plan healthy = new Planner().plan(STACK, example(s -> s), Set.of(), Mode.POST_INSTALL);
        assertThat(healthy.requirements()).allSatisfy(r -> assertThat(r.untested()).isNull());
    }

    @Test
    void saysWhenTheCatalogHasNoProbeForTheMode() {
        Catalog postOnly = Catalogs.parse("tiny.yaml", """
                catalog: tiny
                title: tiny
                document: d
                roles:
                  acd-stack: {title: The stack, zone: inside}
                  trunk: {title: The trunk, zone: outside}
                requirements:
                  - id: inbound.sips
                    title: SIP over TLS
                    refs: [{table: SIP, row: "5061 | TCP"}]
                    direction: inbound
                    protocol: tcp
                    ports: 5061
                    sources: [trunk]
                    destination: {role: acd-stack}
                    expect: reachable
                    probes: [{kind: tls, mode: post-install}]
                    severity: major
                """);
        Site site = Sites.parse("tiny-site.yaml", """
                site: tiny-site
                catalog: tiny
                fqdn: stack.example.com
                topology: non-redundant
                roles:
                  acd-stack: {addresses: [10.0.0.10], public: [203.0.113.10]}
                  trunk: {addresses: [198.51.100.1]}
                vantages:
                  - {agent: a, roles: [acd-stack]}
                  - {agent: b, roles: [trunk]}
                """, name -> postOnly);
        RequirementPlan sips = statusOf(new Planner().plan(postOnly, site, Set.of(), Mode.PRE_INSTALL), "inbound.sips");
        assertThat(sips.untested()).isEqualTo(Untested.NO_PROBE_FOR_MODE);
        assertThat(sips.reason()).isEqualTo("the catalog has no probe for pre-install surveys");
    }

    @Test
    void theAnalysisDecidesTheDiagnosisByTheTypeNotByTheWording() {
        Site noTrunk = example(s -> s.replace("  - {agent: carrier-side, roles: [trunk]}\n", ""));
        Plan plan = new Planner().plan(STACK, noTrunk, Set.of(), Mode.POST_INSTALL);
        // the coordinator rewords reasons (naming excluded agents), and wording may change: the code must not
        List<RequirementPlan> reworded = plan.requirements().stream()
                .map(r -> r.status() != RequirementPlan.Status.UNTESTED ? r : new RequirementPlan(r.requirementId(),
                        r.status(), "nobody at the site probes from " + String.join(", ", List.of("trunk")), r.gaps(),
                        r.untested()))
                .toList();
        Plan rewordedPlan = new Plan(plan.siteId(), plan.catalog(), plan.mode(), plan.roles(), plan.tasks(), reworded);
        Analysis analysis = new Analyzer().analyze(new SurveyInput(STACK, noTrunk, rewordedPlan, List.of(),
                Instant.parse("2026-11-26T07:00:00Z")));
        Verdict sbc = analysis.verdicts().stream().filter(v -> v.requirementId().equals("inbound.sbc-sip-udp"))
                .findFirst().orElseThrow();
        assertThat(sbc.diagnoses()).extracting(d -> d.code()).first().isEqualTo(DiagnosisCode.NO_VANTAGE);
    }
}
