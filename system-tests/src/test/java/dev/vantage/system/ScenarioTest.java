package dev.vantage.system;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** How scenario expectations are read and compared (the lab itself needs root: LabScenariosIT). */
class ScenarioTest {

    @Test
    void comparesExpectedVerdictsAndAllowsNothingElseToFail() throws IOException {
        Path file = Files.writeString(Files.createTempFile("rtp", ".scenario"), """
                # RTP partly forwarded
                mode pre-install
                fixed-by changes
                forward-udp 30000-31999   # the lab reads this, the test ignores it
                expect inbound.rtp PARTIAL RANGE_PARTIAL
                expect nat.outbound FAIL
                """);
        Scenario s = Scenario.read(file);
        assertThat(s.description()).isEqualTo("RTP partly forwarded");
        assertThat(s.mode()).isEqualTo("pre-install");
        assertThat(s.plantsAFault()).isTrue();
        assertThat(s.fixedByChanges()).isTrue();
        assertThat(s.inWords()).isEmpty();

        assertThat(s.mismatches(List.of(
                new Scenario.Verdict("inbound.rtp", "PARTIAL", "RANGE_PARTIAL", null),
                new Scenario.Verdict("nat.outbound", "FAIL", "OUTBOUND_BLOCKED", null),
                new Scenario.Verdict("inbound.https", "PASS", null, null),
                new Scenario.Verdict("outbound.mistral", "NOT_APPLICABLE", "NOT_APPLICABLE", null)))).isEmpty();

        assertThat(s.mismatches(List.of(
                new Scenario.Verdict("inbound.rtp", "PARTIAL", "PERIMETER_FORWARD_MISSING", "x"),
                new Scenario.Verdict("inbound.https", "INCONCLUSIVE", "NO_RESULT", "lab-lan said nothing"))))
                .containsExactly(
                        "inbound.rtp: expected PARTIAL RANGE_PARTIAL, got PARTIAL PERIMETER_FORWARD_MISSING (x)",
                        "nat.outbound: expected FAIL, but the survey has no verdict for it",
                        "inbound.https: expected no failure, got INCONCLUSIVE NO_RESULT (lab-lan said nothing)");
    }

    @Test
    void everyScenarioOfTheLabReads() throws IOException {
        try (Stream<Path> files = Files.list(Path.of("../deploy/lab/scenarios"))) {
            List<Scenario> all = files.filter(f -> f.toString().endsWith(".scenario")).map(f -> {
                try {
                    return Scenario.read(f);
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            }).toList();
            assertThat(all).hasSizeGreaterThanOrEqualTo(12)
                    .allSatisfy(s -> assertThat(s.description()).isNotBlank())
                    .allSatisfy(s -> assertThat(s.mode()).isIn("pre-install", "post-install"))
                    .anySatisfy(s -> assertThat(s.mode()).isEqualTo("post-install"))
                    .anySatisfy(s -> assertThat(s.fixedByChanges()).isTrue())
                    .anySatisfy(s -> assertThat(s.inWords()).isNotEmpty())
                    .anySatisfy(s -> assertThat(s.plantsAFault()).isFalse());
        }
    }

    @Test
    void readsTheChangesAScenarioIsFixedByInWords() throws IOException {
        Scenario s = Scenario.read(Files.writeString(Files.createTempFile("tls", ".scenario"), """
                # TLS inspection, and an ALG
                fixed-by words BYPASS_TLS_INSPECTION EGRESS acd-stack
                fixed-by words DISABLE_SIP_ALG PERIMETER_FIREWALL
                expect proxy.no-tls-inspection FAIL TLS_INSPECTION
                """));
        assertThat(s.fixedByChanges()).isFalse();
        assertThat(s.inWords()).containsExactly(new Scenario.InWords("BYPASS_TLS_INSPECTION", "EGRESS", "acd-stack"),
                new Scenario.InWords("DISABLE_SIP_ALG", "PERIMETER_FIREWALL", null));
        assertThat(s.inWords().get(0).matches("BYPASS_TLS_INSPECTION", "EGRESS", "acd-stack")).isTrue();
        assertThat(s.inWords().get(0).matches("BYPASS_TLS_INSPECTION", "EGRESS", "end-users")).isFalse();
        assertThat(s.inWords().get(1).matches("DISABLE_SIP_ALG", "PERIMETER_FIREWALL", null)).isTrue();
        assertThat(s.inWords().get(1).matches("DISABLE_SIP_ALG", "EGRESS", null)).isFalse();
    }

    @Test
    void aScenarioThatPlantsAFaultMustSayHowItIsFixed() throws IOException {
        Path file = Files.writeString(Files.createTempFile("unfixed", ".scenario"), "# unfixed\nexpect inbound.sips PARTIAL\n");
        assertThatThrownBy(() -> Scenario.read(file)).hasMessageContaining("expects a FAIL or PARTIAL but says not how"
                + " its change request fixes it");
    }

    @Test
    void aScenarioWithoutAFaultMustNotSayFixedBy() throws IOException {
        Path file = Files.writeString(Files.createTempFile("nothing", ".scenario"),
                "# nothing to fix\nfixed-by changes\nexpect inbound.rtp INCONCLUSIVE UDP_NO_ANSWER\n");
        assertThatThrownBy(() -> Scenario.read(file)).hasMessageContaining("expects no FAIL or PARTIAL: there is nothing to fix");
    }

    @Test
    void aFixedByWithAnUnknownKindNamesTheLineAndTheKinds() throws IOException {
        Path file = Files.writeString(Files.createTempFile("bad", ".scenario"),
                "# bad\nfixed-by words DISABLE_ALG PERIMETER_FIREWALL\nexpect inbound.sip-udp PARTIAL\n");
        assertThatThrownBy(() -> Scenario.read(file)).hasMessageContaining(":2: fixed-by words needs a change kind (")
                .hasMessageContaining("DISABLE_SIP_ALG").hasMessageContaining("was 'DISABLE_ALG PERIMETER_FIREWALL'");
        Path malformed = Files.writeString(Files.createTempFile("bad", ".scenario"), "# bad\nfixed-by nftables\n");
        assertThatThrownBy(() -> Scenario.read(malformed)).hasMessageContaining(":2: fixed-by needs 'changes' or 'words");
    }

    @Test
    void aMalformedExpectationNamesTheLine() throws IOException {
        Path file = Files.writeString(Files.createTempFile("bad", ".scenario"), "# bad\nexpect inbound.rtp\n");
        assertThatThrownBy(() -> Scenario.read(file)).hasMessageContaining(":2: expect needs REQUIREMENT VERDICT [CODE]");
    }

    @Test
    void theMediaRangesOfTheLabSiteAreTheRequirementsWithSweepsOrStreams() throws IOException {
        assertThat(LabSystem.mediaRangeRequirements("post-install"))
                .containsExactly("inbound.rtp", "inbound.sbc-rtp", "nat.hairpin-rtp", "nat.port-forward-rtp");
        assertThat(LabSystem.requirementsBut(LabSystem.mediaRangeRequirements("pre-install")))
                .contains("inbound.sips", "nat.hairpin-sip", "outbound.registry").doesNotContain("inbound.rtp")
                .hasSizeGreaterThan(30);
    }
}
