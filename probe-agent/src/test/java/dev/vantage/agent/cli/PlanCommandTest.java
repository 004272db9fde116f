package dev.vantage.agent.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.junit.main.Launch;
import io.quarkus.test.junit.main.LaunchResult;
import io.quarkus.test.junit.main.QuarkusMainLauncher;
import io.quarkus.test.junit.main.QuarkusMainTest;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

@QuarkusMainTest
class PlanCommandTest {
    private static final String EXAMPLE = "../deploy/examples/site-example.yaml";
    private static final String FIXTURES = "../common/src/test/resources/sites/";
    private static final ObjectMapper JSON = new ObjectMapper();

    private static JsonNode task(JsonNode plan, String requirementId, String kind) {
        for (JsonNode t : plan.get("tasks")) {
            if (t.get("requirementId").asText().equals(requirementId) && t.get("kind").asText().equals(kind)) {
                return t;
            }
        }
        throw new AssertionError("no " + kind + " task for " + requirementId + " in " + plan);
    }

    @Test
    @Launch({"plan", "--site", EXAMPLE, "--as", "trunk", "--format", "json"})
    void printsTheTasksOfTheTrunkVantageAsJson(LaunchResult result) throws Exception {
        assertThat(result.exitCode()).isZero();
        JsonNode plan = JSON.readTree(result.getOutput());
        assertThat(plan.get("site").asText()).isEqualTo("example-berlin");
        assertThat(plan.get("mode").asText()).isEqualTo("post-install");
        assertThat(plan.get("tasks")).isNotEmpty().allSatisfy(t -> assertThat(t.get("vantage").asText()).isEqualTo("trunk"));
        JsonNode rtp = task(plan, "inbound.rtp", "udp-range");
        assertThat(rtp.get("target").asText()).isEqualTo("203.0.113.10");
        assertThat(rtp.get("ports").asText()).isEqualTo("30000-34999");
        assertThat(rtp.get("taskId").asText()).hasSize(36);
        assertThat(task(plan, "inbound.sip-udp", "sip").get("params").get("transport").asText()).isEqualTo("udp");
        assertThat(plan.get("requirements")).anySatisfy(r -> {
            assertThat(r.get("id").asText()).isEqualTo("inbound.rtp");
            assertThat(r.get("status").asText()).isEqualTo("PLANNED");
            assertThat(r.get("gaps").get(0).asText()).isEqualTo("not from sbc: no vantage plays it");
        });
    }

    @Test
    @Launch({"plan", "--site", EXAMPLE, "--as", "acd-stack", "--mode", "pre-install", "--format", "json"})
    void opensRespondersOnTheStackBeforeInstallation(LaunchResult result) throws Exception {
        assertThat(result.exitCode()).isZero();
        JsonNode plan = JSON.readTree(result.getOutput());
        JsonNode rtp = task(plan, "inbound.rtp", "respond");
        assertThat(rtp.get("ports").asText()).isEqualTo("30000-34999");
        assertThat(rtp.get("params").get("transport").asText()).isEqualTo("udp");
        assertThat(rtp.get("params").get("duration").asText()).isEqualTo("PT15M");
    }

    @Test
    @Launch({"plan", "--site", EXAMPLE, "--as", "acd-stack", "--media-responder", "--format", "json"})
    void theMediaOptionOpensAFreePortWindowOnTheRtpRangeAfterInstallation(LaunchResult result) throws Exception {
        assertThat(result.exitCode()).isZero();
        JsonNode rtp = task(JSON.readTree(result.getOutput()), "inbound.rtp", "respond");
        assertThat(rtp.get("ports").asText()).isEqualTo("30000-34999");
        assertThat(rtp.get("params").get("freeOnly").asText()).isEqualTo("true");
    }

    @Test
    void plansEveryRoleOfTheExampleSite(QuarkusMainLauncher launcher) {
        List<String[]> runs = new java.util.ArrayList<>();
        for (String role : List.of("acd-stack", "end-users", "admin-network", "reporting-users", "pbx", "sbc", "trunk",
                "jtel-support", "internet")) {
            runs.add(new String[] {role, "post-install"});
        }
        runs.add(new String[] {"acd-stack", "pre-install"});
        runs.add(new String[] {"internet", "pre-install"});
        for (String[] run : runs) {
            LaunchResult result = launcher.launch("plan", "--site", EXAMPLE, "--as", run[0], "--mode", run[1]);
            assertThat(result.exitCode()).as(run[0] + " " + run[1] + ": " + result.getErrorOutput()).isZero();
            assertThat(result.getOutput()).contains("vantage " + run[0] + ", " + run[1]).doesNotContain("No tasks");
        }
    }

    @Test
    void listsUntestedRequirementsWithTheMissingRole(QuarkusMainLauncher launcher) throws Exception {
        Path site = Files.createTempFile("site-no-trunk", ".yaml");
        Files.writeString(site, Files.readString(Path.of(EXAMPLE))
                .replace("  - {agent: carrier-side, roles: [trunk]}\n", ""));
        LaunchResult result = launcher.launch("plan", "--site", site.toString(), "--as", "end-users");
        assertThat(result.exitCode()).isZero();
        assertThat(result.getOutput()).contains("UNTESTED (3)")
                .containsPattern("inbound\\.sbc-sip-udp\\s+no vantage plays trunk: add an agent that plays it");
        Files.delete(site);
    }

    @Test
    void namesWhyARequirementIsUntestedAsACodeInJson(QuarkusMainLauncher launcher) throws Exception {
        Path site = Files.createTempFile("site-no-trunk", ".yaml");
        Files.writeString(site, Files.readString(Path.of(EXAMPLE))
                .replace("  - {agent: carrier-side, roles: [trunk]}\n", "")
                .replace("  azure-blob: {host: examplebackup.blob.core.windows.net}\n", ""));
        LaunchResult result = launcher.launch("plan", "--site", site.toString(), "--as", "end-users,acd-stack",
                "--format", "json");
        Files.delete(site);
        assertThat(result.exitCode()).as(result.getErrorOutput()).isZero();
        JsonNode plan = JSON.readTree(result.getOutput());
        java.util.Map<String, String> untested = new java.util.TreeMap<>();
        plan.get("requirements").forEach(r -> {
            if (r.has("untested")) {
                untested.put(r.get("id").asText(), r.get("untested").asText() + ": " + r.get("reason").asText());
            }
        });
        assertThat(untested).containsEntry("inbound.sbc-sip-udp",
                        "no-source-vantage: no vantage plays trunk: add an agent that plays it")
                .containsEntry("outbound.azure-blob", "no-target: the site names no host for *.blob.core.windows.net "
                        + "(destinations.azure-blob.host)");
        assertThat(plan.get("requirements")).filteredOn(r -> !r.get("status").asText().equals("UNTESTED"))
                .allSatisfy(r -> assertThat(r.has("untested")).isFalse());
    }

    @Test
    @Launch({"plan", "--site", EXAMPLE, "--as", "end-users,pbx"})
    void plansSeveralRolesOfOneAgentWithAVantageColumn(LaunchResult result) {
        assertThat(result.exitCode()).isZero();
        assertThat(result.getOutput()).contains("vantage end-users, pbx, post-install")
                .containsPattern("VANTAGE\\s+REQUIREMENT")
                .containsPattern("pbx\\s+inbound\\.sip-udp\\s+sip\\s+10\\.20\\.0\\.10")
                .containsPattern("end-users\\s+inbound\\.https\\s+tls\\s+10\\.20\\.0\\.10");
    }

    @Test
    @Launch({"plan", "--site", "../deploy/examples/site-legacy-example.yaml", "--as", "acd-lb", "--format", "json"})
    void plansTheLegacyExampleToo(LaunchResult result) throws Exception {
        assertThat(result.exitCode()).isZero();
        JsonNode plan = JSON.readTree(result.getOutput());
        assertThat(plan.get("catalog").asText()).isEqualTo("jtel-acd-legacy");
        assertThat(task(plan, "legacy.pcs-2224", "tcp").get("target").asText()).isEqualTo("10.30.0.11");
    }

    @Test
    void rejectsEachMalformedSiteWithOneLineNamingTheFieldAndValue(QuarkusMainLauncher launcher) {
        String[][] cases = {
                {"invalid-wrong-type.yaml", "modules: expected a list, found 'sbc'"},
                {"invalid-unknown-key.yaml", "fqnd: unknown key 'fqnd', allowed here: site, name, catalog, fqdn"},
                {"invalid-bad-cidr.yaml", "roles.end-users.addresses[0]: '10.20.10.0/33' is not a CIDR block"},
                {"invalid-port.yaml", "destinations.azure-blob.port: '70000' is not a port, expected 1-65535"},
                {"invalid-missing-fqdn.yaml", "fqdn: missing, this field is required"},
                {"invalid-unknown-catalog.yaml", "catalog: unknown catalog 'jtel-nope'"},
        };
        for (String[] c : cases) {
            LaunchResult result = launcher.launch("plan", "--site", FIXTURES + c[0], "--as", "end-users");
            assertThat(result.exitCode()).as(c[0]).isEqualTo(2);
            String err = result.getErrorOutput().strip();
            assertThat(err).as(c[0]).doesNotContain("\n").startsWith(FIXTURES + c[0] + ": " + c[1]);
            assertThat(result.getOutput()).as(c[0]).isEmpty();
        }
    }

    @Test
    @Launch(value = {"plan", "--site", EXAMPLE, "--as", "carrier"}, exitCode = 2)
    void rejectsARoleTheCatalogDoesNotKnow(LaunchResult result) {
        assertThat(result.getErrorOutput().strip()).startsWith(
                "--as carrier: unknown role 'carrier', catalog jtel-container-stack has roles acd-stack, end-users");
    }

    @Test
    @Launch(value = {"plan", "--site", "no-such-site.yaml", "--as", "trunk"}, exitCode = 2)
    void rejectsAMissingSiteFile(LaunchResult result) {
        assertThat(result.getErrorOutput().strip()).isEqualTo("no-such-site.yaml: no such file");
    }

    @Test
    @Launch(value = {"plan", "--site", EXAMPLE, "--as", "trunk", "--mode", "during"}, exitCode = 2)
    void rejectsAnUnknownMode(LaunchResult result) {
        assertThat(result.getErrorOutput()).contains("'during' is not a mode, expected pre-install or post-install");
    }

    @Test
    @Launch(value = {"plan", "--as", "trunk"}, exitCode = 2)
    void requiresASiteFile(LaunchResult result) {
        assertThat(result.getErrorOutput()).contains("Missing required option: '--site=FILE'");
    }

    @Test
    @Launch({"plan", "--help"})
    void explainsItselfWithExamples(LaunchResult result) {
        assertThat(result.exitCode()).isZero();
        assertThat(result.getOutput()).contains("Usage: vantage-agent plan", "--site=FILE", "--as=ROLE",
                "--mode=MODE", "pre-install", "Examples:", "UNTESTED");
    }
}
