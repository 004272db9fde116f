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
                forward-udp 30000-31999   # the lab reads this, the test ignores it
                expect inbound.rtp PARTIAL RANGE_PARTIAL
                expect nat.outbound FAIL
                """);
        Scenario s = Scenario.read(file);
        assertThat(s.description()).isEqualTo("RTP partly forwarded");
        assertThat(s.mode()).isEqualTo("pre-install");

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
                    .anySatisfy(s -> assertThat(s.mode()).isEqualTo("post-install"));
        }
    }

    @Test
    void aMalformedExpectationNamesTheLine() throws IOException {
        Path file = Files.writeString(Files.createTempFile("bad", ".scenario"), "# bad\nexpect inbound.rtp\n");
        assertThatThrownBy(() -> Scenario.read(file)).hasMessageContaining(":2: expect needs REQUIREMENT VERDICT [CODE]");
    }
}
