package dev.vantage.change;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.vantage.analysis.Analysis;
import dev.vantage.analysis.SurveyFixture;
import dev.vantage.analysis.Verdict;
import dev.vantage.wire.PortRange;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The change request of the analysis scenarios: {@code src/test/resources/change/change-requests.yaml} states for a
 * scenario every change (device, kind, exact ports and addresses, sources, requirements, line and snippet fragments)
 * and every question left to verify; and for every scenario, each failing or inconclusive requirement must be
 * answered by a change or a question, and nothing that passed may be.
 */
class ChangeRequestFixturesTest {
    private static final Path ANALYSIS = Path.of("src", "test", "resources", "analysis");
    private static final Path EXPECTED = Path.of("src", "test", "resources", "change", "change-requests.yaml");

    static Stream<String> expected() throws IOException {
        List<String> names = new ArrayList<>();
        expectations().fieldNames().forEachRemaining(names::add);
        return names.stream();
    }

    static Stream<String> scenarios() throws IOException {
        try (Stream<Path> files = Files.list(ANALYSIS)) {
            return files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".yaml")).sorted().toList().stream();
        }
    }

    private static JsonNode expectations() throws IOException {
        return new YAMLMapper().readTree(Files.readString(EXPECTED));
    }

    private static ChangeRequest write(String scenario) {
        SurveyFixture f = SurveyFixture.load(ANALYSIS.resolve(scenario));
        return new ChangeRequests().write(f.analyze(f.plantedResults()), f.site, f.catalog);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("expected")
    void scenarioGivesTheExpectedChanges(String scenario) throws IOException {
        JsonNode x = expectations().path(scenario);
        ChangeRequest r = write(scenario);
        String all = ChangeRequestMarkdown.render(r);
        if (x.has("changes")) {
            List<Change> changes = r.changes();
            assertThat(changes).as("%s: changes\n%s", scenario, all).hasSize(x.path("changes").size());
            for (int i = 0; i < changes.size(); i++) {
                assertChange(scenario + " change " + (i + 1), r, changes.get(i), x.path("changes").get(i));
            }
        }
        if (x.has("to-verify")) {
            assertThat(r.toVerify()).as("%s: to verify\n%s", scenario, all).hasSize(x.path("to-verify").size());
            for (int i = 0; i < r.toVerify().size(); i++) {
                assertVerify(scenario, r.toVerify().get(i), x.path("to-verify").get(i));
            }
        }
        for (JsonNode v : x.path("to-verify-includes")) {
            assertThat(r.toVerify()).as("%s: to verify %s\n%s", scenario, v, all).anySatisfy(t -> assertVerify(scenario, t, v));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("scenarios")
    void everyFailureIsAnsweredByAChangeOrAQuestion(String scenario) {
        SurveyFixture f = SurveyFixture.load(ANALYSIS.resolve(scenario));
        Analysis a = f.analyze(f.plantedResults());
        ChangeRequest r = new ChangeRequests().write(a, f.site, f.catalog);
        for (Verdict v : a.verdicts()) {
            boolean open = v.status().isFailure() || v.status() == dev.vantage.analysis.VerdictStatus.INCONCLUSIVE
                    || v.status() == dev.vantage.analysis.VerdictStatus.UNTESTED;
            boolean answered = r.changes().stream().anyMatch(c -> c.requirements().contains(v.requirementId()))
                    || r.toVerify().stream().anyMatch(t -> t.requirementId().equals(v.requirementId()));
            assertThat(answered).as("%s: %s is %s %s", scenario, v.requirementId(), v.status(), v.diagnoses()).isEqualTo(open);
        }
        for (Change c : r.changes()) {
            assertThat(c.requirements()).as("%s %s", scenario, c.id()).isNotEmpty();
            assertThat(c.evidence().resultIds()).as("%s %s rests on results", scenario, c.id()).isNotEmpty();
            assertThat(c.line()).as("%s %s", scenario, c.id()).doesNotContain("null");
        }
    }

    private static void assertChange(String label, ChangeRequest r, Change c, JsonNode x) {
        String as = label + ": " + c;
        Device device = r.devices().stream().filter(d -> d.changes().contains(c)).findFirst().orElseThrow().device();
        assertThat(device.kind().name()).as(as).isEqualTo(x.path("device").asText());
        assertThat(c.kind().name()).as(as).isEqualTo(x.path("kind").asText());
        Flow f = c.flow();
        if (x.has("protocol")) {
            assertThat(f.protocol()).as(as).isEqualTo(x.path("protocol").asText());
        }
        if (x.has("public")) {
            assertThat(f.publicAddress() + ":" + ports(f.publicPorts())).as(as).isEqualTo(x.path("public").asText());
        }
        if (x.has("internal")) {
            assertThat(f.internalAddress() + ":" + ports(f.internalPorts())).as(as).isEqualTo(x.path("internal").asText());
        }
        if (x.has("destination")) {
            assertThat(String.join(",", f.destinationHosts()) + ":" + ports(f.destinationPorts())).as(as)
                    .isEqualTo(x.path("destination").asText());
        }
        if (x.has("sources")) {
            if (x.path("sources").isTextual()) {
                assertThat(f.sources().any()).as(as + " admits any source").isTrue();
            } else {
                assertThat(f.sources().any()).as(as + " admits some sources").isFalse();
                assertThat(f.sources().addresses()).as(as).containsExactlyElementsOf(texts(x.path("sources")));
            }
        }
        if (x.has("refused")) {
            assertThat(f.refusedSources()).as(as).containsExactlyElementsOf(texts(x.path("refused")));
        }
        assertThat(c.requirements()).as(as).containsExactlyElementsOf(texts(x.path("requirements")));
        if (x.has("codes")) {
            assertThat(c.evidence().codes().stream().map(Enum::name).toList()).as(as)
                    .containsExactlyElementsOf(texts(x.path("codes")));
        }
        if (x.has("dns")) {
            JsonNode d = x.path("dns");
            DnsRecord rec = c.dns();
            assertThat(rec).as(as).isNotNull();
            assertThat(rec.name()).as(as).isEqualTo(d.path("name").asText());
            assertThat(rec.view()).as(as).isEqualTo(d.path("view").asText());
            if (d.has("type")) {
                assertThat(rec.type()).as(as).isEqualTo(d.path("type").asText());
            }
            assertThat(rec.wanted()).as(as).containsExactlyElementsOf(texts(d.path("wanted")));
            if (d.has("now")) {
                assertThat(rec.now()).as(as).containsExactlyElementsOf(texts(d.path("now")));
            }
        }
        x.path("line").forEach(t -> assertThat(c.line()).as(as).contains(t.asText()));
        if (x.path("nftables").isTextual()) {
            assertThat(c.snippets()).as(as).doesNotContainKey("nftables");
        }
        if (x.path("nftables").isArray()) {
            assertThat(c.snippets()).as(as).containsKey("nftables");
            x.path("nftables").forEach(t -> assertThat(c.snippets().get("nftables")).as(as).contains(t.asText()));
        }
    }

    private static void assertVerify(String scenario, ToVerify t, JsonNode x) {
        String as = scenario + ": " + t;
        assertThat(t.requirementId()).as(as).isEqualTo(x.path("req").asText());
        assertThat(t.code() == null ? null : t.code().name()).as(as).isEqualTo(x.path("code").asText());
        if (x.has("decide")) {
            assertThat(t.decide()).as(as).contains(x.path("decide").asText());
        }
        if (x.has("vantages")) {
            assertThat(t.vantages()).as(as).containsExactlyElementsOf(texts(x.path("vantages")));
        }
    }

    private static String ports(List<PortRange> ports) {
        return ports.stream().map(PortRange::toString).collect(Collectors.joining(","));
    }

    private static List<String> texts(JsonNode list) {
        List<String> out = new ArrayList<>();
        list.forEach(n -> out.add(n.asText()));
        return out;
    }

}
