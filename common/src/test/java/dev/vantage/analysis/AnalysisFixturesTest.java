package dev.vantage.analysis;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Runs every scenario file in {@code src/test/resources/analysis}: the planted results must give
 * exactly the verdicts and codes the file expects, and every requirement it does not mention must come
 * out as it does in the healthy survey (no extra failures). Each expected failure must also be absent
 * from the healthy survey, so the planted results are what produce it.
 */
class AnalysisFixturesTest {
    static final Path DIR = Path.of("src", "test", "resources", "analysis");

    static Stream<String> fixtures() throws IOException {
        try (Stream<Path> files = Files.list(DIR)) {
            return files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".yaml")).sorted().toList().stream();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fixtures")
    void scenarioGivesTheExpectedVerdicts(String file) {
        SurveyFixture f = SurveyFixture.load(DIR.resolve(file));
        Analysis healthy = f.analyze(f.healthyResults());
        for (Verdict v : healthy.verdicts()) {
            assertThat(v.status()).as("%s: healthy survey, %s: %s", file, v.requirementId(), v.diagnoses())
                    .isIn(VerdictStatus.PASS, VerdictStatus.NOT_APPLICABLE, VerdictStatus.UNTESTED);
        }
        Analysis a = f.analyze(f.plantedResults());
        JsonNode expect = f.root.path("expect");
        assertThat(SurveyFixture.fields(expect)).as("%s lists expectations", file).isNotEmpty();
        Set<String> mentioned = new HashSet<>();
        expect.fields().forEachRemaining(e -> {
            String id = e.getKey();
            mentioned.add(id);
            Verdict v = a.verdict(id).orElseThrow(() -> new AssertionError(file + ": no requirement " + id + " in "
                    + f.catalog.name()));
            JsonNode x = e.getValue();
            String label = file + ": " + id + " " + v.status() + " " + v.diagnoses();
            VerdictStatus want = VerdictStatus.valueOf(x.isTextual() ? x.asText() : x.path("verdict").asText());
            assertThat(v.status()).as(label).isEqualTo(want);
            if (EnumSet.of(VerdictStatus.FAIL, VerdictStatus.PARTIAL, VerdictStatus.INCONCLUSIVE).contains(want)) {
                assertThat(healthy.verdict(id).orElseThrow().status()).as("%s: the healthy survey must not already give %s",
                        label, want).isNotEqualTo(want);
            }
            if (x.has("code")) {
                assertThat(v.code()).as(label).hasToString(x.path("code").asText());
            }
            x.path("codes").forEach(c -> assertThat(v.diagnoses()).as(label)
                    .anyMatch(d -> d.code().name().equals(c.asText())));
            x.path("text").forEach(t -> assertThat(v.diagnoses()).as(label + " mentions '" + t.asText() + "'")
                    .anyMatch(d -> d.text().contains(t.asText())));
            if (x.has("severity")) {
                assertThat(v.severity().name()).as(label).isEqualTo(x.path("severity").asText());
            }
            if (x.has("diagnoses")) {
                assertThat(v.diagnoses()).as(label).hasSize(x.path("diagnoses").asInt());
            }
            if (x.has("resting-on")) {
                assertThat(v.resultIds()).as(label).hasSize(x.path("resting-on").asInt());
            }
        });
        for (Verdict v : a.verdicts()) {
            if (!mentioned.contains(v.requirementId())) {
                assertThat(v.status()).as("%s: %s is not expected to change, got %s", file, v.requirementId(), v.diagnoses())
                        .isEqualTo(healthy.verdict(v.requirementId()).orElseThrow().status());
            }
        }
        JsonNode summary = f.root.path("summary");
        if (summary.has("ready")) {
            assertThat(a.summary().readyForGoLive()).as("%s ready, reasons %s", file, a.summary().notReadyReasons())
                    .isEqualTo(summary.path("ready").asBoolean());
        }
        summary.path("reasons").forEach(t -> assertThat(a.summary().notReadyReasons()).as(file)
                .anyMatch(r -> r.contains(t.asText())));
        summary.path("silent").forEach(t -> assertThat(a.summary().silentVantages()).as(file)
                .anyMatch(r -> r.contains(t.asText())));
        if (summary.has("ignored")) {
            assertThat(a.ignored()).as(file).hasSize(summary.path("ignored").asInt());
            assertThat(a.summary().resultsIgnored()).isEqualTo(summary.path("ignored").asInt());
        }
        if (summary.has("regressed")) {
            assertThat(a.regressions().regressed().stream().map(Regressions.Change::requirementId))
                    .as(file).containsExactlyElementsOf(texts(summary.path("regressed")));
        }
        if (summary.has("fixed")) {
            assertThat(a.regressions().fixed().stream().map(Regressions.Change::requirementId))
                    .as(file).containsExactlyElementsOf(texts(summary.path("fixed")));
        }
        for (Map.Entry<String, JsonNode> c : iterable(summary.path("counts"))) {
            assertThat(a.summary().counts().get(VerdictStatus.valueOf(c.getKey()))).as(file + " count " + c.getKey())
                    .isEqualTo(c.getValue().asInt());
        }
    }

    private static List<String> texts(JsonNode list) {
        List<String> out = new ArrayList<>();
        list.forEach(n -> out.add(n.asText()));
        return out;
    }

    private static Iterable<Map.Entry<String, JsonNode>> iterable(JsonNode node) {
        return node::fields;
    }
}
