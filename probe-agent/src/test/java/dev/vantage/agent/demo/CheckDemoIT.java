package dev.vantage.agent.demo;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vantage.wire.Wire;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * README's demo command, run as a user runs it: the packaged agent, twice (stack with responders, end user
 * probing), in a network namespace with planted faults. The verdicts and diagnosis codes must come out as the
 * faults dictate, and nothing else may fail.
 */
class CheckDemoIT {

    @Test
    void demoFindsExactlyThePlantedFaults() throws Exception {
        assumeTrue("root".equals(System.getProperty("user.name")), "the demo needs root for its network namespace");
        Path script = Path.of("../deploy/local/check-demo").toAbsolutePath().normalize();
        Path out = Files.createTempFile("check-demo", ".json");
        Path err = Files.createTempFile("check-demo", ".err");
        ProcessBuilder pb = new ProcessBuilder(script.toString(), "--format", "json")
                .redirectOutput(out.toFile()).redirectError(err.toFile());
        pb.environment().put("VANTAGE_SKIP_BUILD", "1");
        Process p = pb.start();
        boolean finished = p.waitFor(5, TimeUnit.MINUTES);
        if (!finished) {
            p.destroy();
        }
        String log = Files.readString(err, StandardCharsets.UTF_8);
        assertThat(finished).as("demo finished; its log:%n%s", log).isTrue();
        assertThat(p.exitValue()).as("exit code 1: faults were found; log:%n%s", log).isEqualTo(1);

        JsonNode report = Wire.mapper().readTree(out.toFile());
        Map<String, String> verdicts = new HashMap<>();
        Map<String, String> codes = new HashMap<>();
        for (JsonNode v : report.get("verdicts")) {
            verdicts.put(v.get("requirement").asText(), v.get("status").asText());
            if (v.get("diagnoses").size() > 0) {
                codes.put(v.get("requirement").asText(), v.get("diagnoses").get(0).get("code").asText());
            }
        }
        assertThat(verdicts).containsEntry("inbound.sips", "FAIL").containsEntry("inbound.rtp", "PARTIAL")
                .containsEntry("dns.fqdn-internal", "FAIL");
        assertThat(codes).containsEntry("inbound.sips", "EXPLICIT_REJECT").containsEntry("inbound.rtp", "RANGE_PARTIAL")
                .containsEntry("dns.fqdn-internal", "DNS_RESOLUTION_FAILED");
        assertThat(verdicts).as("every requirement without a planted fault passes")
                .containsEntry("inbound.http", "PASS").containsEntry("inbound.https", "PASS")
                .containsEntry("inbound.sip-udp", "PASS").containsEntry("inbound.sip-tcp", "PASS")
                .containsEntry("inbound.chat-http", "PASS").containsEntry("inbound.chat-https", "PASS")
                .hasSize(9);
        assertThat(report.toString()).contains("30000-31999");
        assertNoNamespaceLeft();
    }

    private static void assertNoNamespaceLeft() throws IOException, InterruptedException {
        Process ls = new ProcessBuilder("ip", "netns", "list").redirectErrorStream(true).start();
        String namespaces = new String(ls.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        ls.waitFor();
        assertThat(namespaces).doesNotContain("vantage-demo-");
    }
}
