package dev.vantage.agent.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.junit.main.Launch;
import io.quarkus.test.junit.main.LaunchResult;
import io.quarkus.test.junit.main.QuarkusMainTest;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

@QuarkusMainTest
class CatalogCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static Map<String, JsonNode> byId(LaunchResult result) throws Exception {
        JsonNode array = JSON.readTree(result.getOutput());
        assertThat(array.isArray()).isTrue();
        Map<String, JsonNode> out = new HashMap<>();
        array.forEach(r -> {
            for (String field : List.of("id", "protocol", "ports", "sources", "destination", "expect", "severity")) {
                assertThat(r.has(field)).as(r.path("id").asText() + " has " + field).isTrue();
            }
            out.put(r.get("id").asText(), r);
        });
        assertThat(out).hasSize(array.size());
        return out;
    }

    private static List<String> all(Map<String, JsonNode> byId, String field) {
        List<String> values = new ArrayList<>();
        byId.values().forEach(r -> values.add(r.get(field).asText()));
        return values;
    }

    @Test
    @Launch({"catalog", "--format", "json"})
    void listsTheContainerStackRequirementsAsJson(LaunchResult result) throws Exception {
        assertThat(result.exitCode()).isZero();
        Map<String, JsonNode> byId = byId(result);
        JsonNode rtp = byId.get("inbound.rtp");
        assertThat(rtp.get("protocol").asText()).isEqualTo("udp");
        assertThat(rtp.get("ports").asText()).isEqualTo("30000-34999");
        assertThat(rtp.get("destination").asText()).isEqualTo("acd-stack");
        assertThat(rtp.get("expect").asText()).isEqualTo("reachable");
        assertThat(rtp.get("sources")).extracting(JsonNode::asText).contains("trunk", "pbx", "sbc");
        assertThat(all(byId, "ports")).contains("22", "80", "443", "5060", "5061", "30000-34999", "15060",
                "15000-15059", "7777", "3000", "3003", "3306-3308");
        assertThat(String.join(" ", all(byId, "destination"))).contains("dockerhub.jtel.de or jtelacr.azurecr.io",
                "*.blob.core.windows.net", "bitbucket.org", "acme-v02.api.letsencrypt.org", "deb.debian.org",
                "security.debian.org", "login.microsoftonline.com", "api.openai.com", "api.mistral.ai");
        assertThat(byId.get("inbound.database-blocked-from-internet").get("expect").asText()).isEqualTo("blocked");
        assertThat(byId.get("outbound.openai").get("when").get("modules")).extracting(JsonNode::asText)
                .containsExactly("ai");
    }

    @Test
    @Launch({"catalog", "--catalog", "jtel-acd-legacy", "--format", "json"})
    void listsTheLegacyRowsAsJson(LaunchResult result) throws Exception {
        assertThat(result.exitCode()).isZero();
        Map<String, JsonNode> byId = byId(result);
        assertThat(all(byId, "ports")).contains("2224", "3121", "5403", "5404", "5405", "9929", "5701-5801", "20202",
                "20640", "20641", "20643", "20644", "20645", "40404", "40406", "3306-3308", "3000", "8080", "8091",
                "3389", "5060");
        assertThat(all(byId, "destination")).contains("acd-lb", "acd-tel", "acd-jb", "acd-dbm", "acd-rest",
                "acd-chat", "windows");
        assertThat(byId.get("legacy.pcs-2224").get("when").get("topology").asText()).isEqualTo("redundant");
        assertThat(byId.get("legacy.sip").get("note").asText()).contains("UDP only");
    }

    @Test
    @Launch({"catalog"})
    void printsATableByDefault(LaunchResult result) {
        assertThat(result.exitCode()).isZero();
        assertThat(result.getOutput()).contains("ID", "PROTO", "PORTS", "SOURCES")
                .containsPattern("inbound\\.rtp\\s+udp\\s+30000-34999\\s+trunk,pbx,sbc,end-users\\s+acd-stack");
    }

    @Test
    @Launch(value = {"catalog", "--catalog", "jtel-nope"}, exitCode = 2)
    void rejectsAnUnknownCatalogNamingTheKnownOnes(LaunchResult result) {
        assertThat(result.getErrorOutput().strip()).isEqualTo(
                "--catalog jtel-nope: no such catalog, known catalogs: jtel-container-stack, jtel-acd-legacy");
        assertThat(result.getOutput()).isEmpty();
    }

    @Test
    @Launch(value = {"catalog", "--format", "xml"}, exitCode = 2)
    void rejectsAnUnknownFormat(LaunchResult result) {
        assertThat(result.getErrorOutput()).contains("'xml' is not a format, expected table or json");
    }

    @Test
    @Launch({"catalog", "--help"})
    void explainsItselfWithExamples(LaunchResult result) {
        assertThat(result.exitCode()).isZero();
        assertThat(result.getOutput()).contains("Usage: vantage-agent catalog", "--catalog=NAME", "--format=FORMAT",
                "Examples:", "docs/catalog-format.md");
    }
}
