package dev.vantage.agent.scope;

import dev.vantage.analysis.Analysis;
import dev.vantage.analysis.Analyzer;
import dev.vantage.analysis.DiagnosisCode;
import dev.vantage.analysis.SurveyInput;
import dev.vantage.catalog.Catalog;
import dev.vantage.catalog.Catalogs;
import dev.vantage.catalog.Mode;
import dev.vantage.plan.Plan;
import dev.vantage.plan.Planner;
import dev.vantage.site.Address;
import dev.vantage.site.Site;
import dev.vantage.site.Sites;
import dev.vantage.wire.Outcome;
import dev.vantage.wire.PortEvidence;
import dev.vantage.wire.PortRange;
import dev.vantage.wire.ProbeKind;
import dev.vantage.wire.ProbeResult;
import dev.vantage.wire.ProbeTask;
import dev.vantage.wire.Wire;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The three places that read addresses from text (a site file, the agent's scope policy, the analysis of
 * a responder's report) accept and refuse the same spellings. Every spelling names a private-use address,
 * so the analysis shows whether it read it: an outside vantage's traffic seen from that address gets the
 * INBOUND_SOURCE_NAT note only when the address was understood.
 */
class AddressSpellingsTest {
    private static final Site SITE = Sites.load(Path.of("../deploy/examples/site-example.yaml"));
    private static final Catalog CATALOG = Catalogs.bundled(SITE.catalog());
    private static final Plan PLAN = new Planner().plan(CATALOG, SITE, Set.of(), Mode.PRE_INSTALL);

    @ParameterizedTest(name = "{0} accepted: {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
            "10.0.0.1 | true",
            "10.0.0.0 | true",
            "172.16.0.1 | true",
            "192.168.1.1 | true",
            "100.64.0.1 | true",
            "fd00::1 | true",
            "FD00::1 | true",
            "fc00::1 | true",
            "fd00:0:0:0:0:0:0:1 | true",
            "fd00:0000:0000:0000:0000:0000:0000:0001 | true",
            "fd00::10.0.0.1 | true",
            "::ffff:10.0.0.1 | true",
            "::ffff:a00:1 | true",
            "010.0.0.1 | false",
            "10.0.0.01 | false",
            "10.00.0.1 | false",
            "10.0.0.256 | false",
            "10.0.0 | false",
            "10.1 | false",
            "10.0.0.1.1 | false",
            "0x0a.0.0.1 | false",
            "1\u0660.0.0.1 | false",
            "fd00::1%eth0 | false",
            "fd00::1%1 | false",
            "fd00:::1 | false",
            "fd00::1::2 | false",
            "fd00:0:0:0:0:0:0:0:1 | false",
            "fd00:0:0:0:0:0:1 | false",
            "fd00::12345 | false",
            "fd00::g | false",
            ":fd00::1 | false",
            "fd00::1: | false",
            "fd00::010.0.0.1 | false",
            "::ffff:010.0.0.1 | false",
            "fd00::10.0.0.1:1 | false"})
    void siteScopeAndAnalysisAgreeOnASpelling(String spelling, boolean accepted) {
        assertThat(site(spelling)).as("site file reads %s as an address", spelling).isEqualTo(accepted);
        assertThat(scope(spelling)).as("scope policy reads %s as an address", spelling).isEqualTo(accepted);
        assertThat(analysis(spelling)).as("analysis reads %s as an address", spelling).isEqualTo(accepted);
    }

    private static boolean site(String spelling) {
        try {
            return Address.parse(spelling).isIp();
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** Both as a declared network and as a target inside "everything". */
    private static boolean scope(String spelling) {
        boolean declared;
        try {
            new ScopePolicy(List.of(spelling), List.of(), List.of());
            declared = true;
        } catch (IllegalArgumentException e) {
            declared = false;
        }
        ScopePolicy everything = new ScopePolicy(List.of("0.0.0.0/0", "::/0"), List.of(), List.of(PortRange.of(5061)));
        ProbeTask task = new ProbeTask(Wire.SCHEMA_VERSION, "t", null, "s", "v", null, "r", ProbeKind.TCP, spelling,
                PortRange.of(5061), Map.of(), Duration.ofSeconds(1));
        boolean target = everything.refusal(task).isEmpty();
        assertThat(target).as("%s: declaring it and probing it must agree", spelling).isEqualTo(declared);
        return declared;
    }

    /** The trunk's connection to the stack, reported by the stack's responder as coming from the spelling. */
    private static boolean analysis(String spelling) {
        ProbeTask t = PLAN.tasks().stream()
                .filter(x -> x.requirementId().equals("inbound.sips") && x.vantage().equals("trunk") && x.kind() == ProbeKind.TCP)
                .findFirst().orElseThrow();
        String seen = (spelling.indexOf(':') >= 0 ? "[" + spelling + "]" : spelling) + ":51234";
        ProbeResult r = new ProbeResult(Wire.SCHEMA_VERSION, "r1", t.taskId(), "survey-1", SITE.id(), t.vantage(),
                "carrier-side", "test", t.requirementId(), t.kind(), t.target(), t.ports(), Outcome.OPEN, null, null, null,
                null, Instant.parse("2026-11-26T06:00:00Z"), Map.of(), "open",
                new PortEvidence(1, null, null, "VANTAGE-RESPONDER berlin-stack 5061 " + seen, null, false, seen));
        Analysis a = new Analyzer().analyze(new SurveyInput(CATALOG, SITE, List.of(PLAN), List.of(r), Map.of(),
                Instant.parse("2026-11-26T07:00:00Z")));
        return a.verdict("inbound.sips").orElseThrow().diagnoses().stream()
                .anyMatch(d -> d.code() == DiagnosisCode.INBOUND_SOURCE_NAT);
    }
}
