package dev.vantage.agent.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vantage.agent.testing.CheckMain;
import dev.vantage.agent.testing.NetnsLab;
import dev.vantage.wire.Wire;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code check} as a technician runs it, in a namespace with nothing but a loopback interface: it ends, whatever
 * its probes meet. The timeouts only turn a check that never ends into a failure instead of a hung build.
 */
class CheckEndsLabTest {

    @BeforeEach
    void needsNamespaces() {
        String reason = NetnsLab.unavailable();
        Assumptions.assumeTrue(reason == null, reason);
    }

    private static JsonNode report(NetnsLab.Finished run) throws Exception {
        int start = run.output().indexOf("{\n  \"site\"");
        assertThat(start).as("a JSON report in:%n%s", run.output()).isNotNegative();
        return Wire.mapper().readTree(run.output().substring(start));
    }

    @Test
    @Timeout(value = 300, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void endsWithExitOneAndADiagnosedVerdictPerRequirementWithoutARoute() throws Exception {
        try (NetnsLab lab = NetnsLab.loopbackOnly()) {
            lab.resolvConf("nameserver 10.20.0.53\n");
            NetnsLab.Finished run = lab.runJava(CheckMain.class, "", "--site", "../deploy/examples/site-example.yaml",
                    "--as", "end-users", "--format", "json");
            assertThat(run.exitCode()).as(run.output()).isEqualTo(1);
            JsonNode report = report(run);
            assertThat(report.get("verdicts")).as(run.output()).isNotEmpty();
            List<String> undiagnosed = new ArrayList<>();
            for (JsonNode v : report.get("verdicts")) {
                if (v.get("status").asText().equals("PASS") || v.get("diagnoses").isEmpty()) {
                    undiagnosed.add(v.get("requirement").asText() + " " + v.get("status").asText());
                }
            }
            assertThat(undiagnosed).as("every requirement fails with a diagnosis:%n%s", run.output()).isEmpty();
        }
    }

    @Test
    @Timeout(value = 300, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void reportsAHungProbeAsAnErrorNamingItsPhaseAndEnds() throws Exception {
        try (NetnsLab lab = NetnsLab.loopbackOnly()) {
            lab.resolvConf("nameserver 127.0.0.1\n");
            NetnsLab.Finished run = lab.runJava(CheckMain.class, "", "--stuck", "tcp", "--site",
                    "../deploy/examples/site-loopback.yaml", "--as", "end-users", "--format", "json");
            assertThat(run.exitCode()).as(run.output()).isEqualTo(1);
            JsonNode report = report(run);
            List<String> tcp = new ArrayList<>();
            for (JsonNode r : report.get("results")) {
                if (r.get("kind").asText().equals("tcp")) {
                    tcp.add(r.get("outcome").asText() + ": " + r.get("summary").asText());
                }
            }
            assertThat(tcp).as(run.output()).isNotEmpty().allSatisfy(line -> assertThat(line)
                    .startsWith("ERROR: tcp probe of 127.0.0.1:").contains("overran its deadline")
                    .contains("phase 'request'"));
        }
    }
}
