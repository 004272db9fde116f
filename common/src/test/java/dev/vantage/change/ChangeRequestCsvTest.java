package dev.vantage.change;

import dev.vantage.analysis.SurveyFixture;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class ChangeRequestCsvTest {
    private static ChangeRequest of(String scenario) {
        SurveyFixture f = SurveyFixture.load(Path.of("src", "test", "resources", "analysis", scenario));
        return new ChangeRequests().write(f.analyze(f.plantedResults()), f.site, f.catalog);
    }

    @Test
    void writesARowPerChangeAndPerQuestionWithTheExactPorts() {
        ChangeRequest r = of("legacy-post-install-faults.yaml");
        String[] lines = ChangeRequestCsv.render(r).split("\r\n");
        assertThat(lines[0]).isEqualTo(ChangeRequestCsv.HEADER);
        assertThat(lines).hasSize(1 + r.changes().size() + r.toVerify().size());
        assertThat(lines[1]).startsWith("change,host-firewall-1,HOST_FIREWALL,").contains(",tcp,", ",10.30.0.42,5711-5801,");
        assertThat(lines[lines.length - 1]).startsWith("to-verify,,,,,UDP_NO_ANSWER,legacy.corosync-5404,");
    }

    @Test
    void quotesAndNeutralisesFormulas() {
        assertThat(ChangeRequestCsv.field("a,b")).isEqualTo("\"a,b\"");
        assertThat(ChangeRequestCsv.field("=cmd()")).isEqualTo("'=cmd()");
        assertThat(ChangeRequestCsv.field("say \"hi\"\n")).isEqualTo("\"say \"\"hi\"\"\n\"");
    }

    @Test
    void markdownNamesEachDeviceOwnerAndSnippet() {
        String md = ChangeRequestMarkdown.render(of("rate-limited-reject.yaml"));
        assertThat(md).contains("## Perimeter firewall / NAT (owns 203.0.113.10)", "Owner: the customer's network team",
                "**perimeter-firewall-1** `ADD_PORT_FORWARD`", "```nftables",
                "insert rule inet filter prerouting ip daddr 203.0.113.10 udp dport 32000-34999 dnat ip to 10.20.0.10");
    }
}
