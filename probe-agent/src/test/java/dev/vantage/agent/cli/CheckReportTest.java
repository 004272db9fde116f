package dev.vantage.agent.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vantage.analysis.Analysis;
import dev.vantage.analysis.SurveyFixture;
import dev.vantage.wire.ProbeResult;
import dev.vantage.wire.Wire;
import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What {@code check} prints after its verdicts: the change request of the requirements this vantage checked, in
 * both formats. Input: the analysis scenario of common where the perimeter forwards only part of the RTP range.
 */
class CheckReportTest {
    private static final Path SCENARIO = Path.of("..", "common", "src", "test", "resources", "analysis",
            "rate-limited-reject.yaml");

    private static CheckReport report(Set<String> checked) {
        SurveyFixture f = SurveyFixture.load(SCENARIO);
        List<ProbeResult> results = f.plantedResults();
        Analysis a = f.analyze(results);
        return new CheckReport(new SiteOptions.Loaded(f.site, f.catalog, Set.of("trunk"), f.mode, false), a, checked, results);
    }

    private static String print(CheckReport r, boolean json) throws Exception {
        StringWriter s = new StringWriter();
        try (PrintWriter out = new PrintWriter(s)) {
            if (json) {
                r.json(out);
            } else {
                r.table(out);
            }
        }
        return s.toString();
    }

    @Test
    void tablePrintsTheChangeRequestAfterTheVerdicts() throws Exception {
        String out = print(report(Set.of("inbound.rtp")), false);
        assertThat(out.indexOf("# Change request for site example-berlin")).isGreaterThan(out.indexOf("REQUIREMENT"));
        assertThat(out).contains("Forward UDP 32000-34999 on 203.0.113.10 to 10.20.0.10",
                "insert rule inet filter prerouting ip saddr 198.51.100.40 ip daddr 203.0.113.10 udp dport 32000-34999 dnat ip to 10.20.0.10",
                "requirements: inbound.rtp\n");
    }

    @Test
    void jsonCarriesTheChangeRequestOfTheCheckedRequirementsOnly() throws Exception {
        JsonNode o = Wire.mapper().readTree(print(report(Set.of("inbound.rtp")), true));
        JsonNode change = o.path("changeRequest").path("devices").path(0).path("changes").path(0);
        assertThat(change.path("kind").asText()).isEqualTo("ADD_PORT_FORWARD");
        assertThat(change.path("flow").path("publicPorts").toString()).isEqualTo("[\"32000-34999\"]");
        assertThat(change.path("requirements").toString()).isEqualTo("[\"inbound.rtp\"]");
        assertThat(o.path("passed").asBoolean()).isFalse();
    }

    @Test
    void aCheckOfPassingRequirementsNeedsNoChange() throws Exception {
        CheckReport r = report(Set.of("inbound.https"));
        assertThat(r.changeRequest().devices()).isEmpty();
        assertThat(print(r, false)).contains("No change needed");
        assertThat(r.passed()).isTrue();
    }
}
