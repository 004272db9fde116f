package dev.vantage.system;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The whole system against every lab scenario: Kafka, PostgreSQL and the coordinator as
 * {@code deploy/local/services up --tls} starts them (Kafka as production runs it: TLS with a client certificate
 * per principal and the ACLs of deploy/kafka/README.md), the lab ({@code deploy/lab/lab}) with one packaged agent per
 * vantage inside its namespace ({@code deploy/local/agent --netns}), then per scenario: plant its faults,
 * run a survey over REST, and compare every verdict with the scenario's expectations; where the scenario plants a
 * fault, its change request must fix the lab ({@link ChangeRequestProof}: applied, surveyed again). Finally the standalone
 * {@code check} in one namespace against a scenario, without coordinator or Kafka.
 *
 * <p>The system is the run's {@link SharedLabSystem}, on its own ports and state directory (see
 * {@link LabSystem.Settings#fromSystemProperties()}), so a demo or a developer's stack on the default ports is not
 * disturbed; system properties choose another lab prefix and other ports (a second run beside this one). It runs
 * first of the lab classes: the fault tests ({@link LabFaultsIT}) use the system after it. While writing a scenario,
 * {@code -Dvantage.lab.scenarios=perimeter-rejects,post-install-correct} runs only some; with a scenario list the
 * standalone check runs only when the list names its scenario, rtp-partial.
 */
@Order(1)
@ExtendWith(SharedLabSystem.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LabScenariosIT {
    private static final Path TOP = Scripts.TOP;
    /** The scenarios to run; empty: all of them. */
    private static final List<String> ONLY = names(System.getProperty("vantage.lab.scenarios", ""));
    private static final ObjectMapper JSON = new ObjectMapper();

    private static LabSystem system;
    private static Path state;
    private static Path logs;

    @BeforeAll
    static void useTheSystem(LabSystem shared) {
        system = shared;
        state = system.settings().state();
        logs = system.settings().logs();
    }

    private static List<String> names(String list) {
        return java.util.Arrays.stream(list.split(",")).map(String::strip).filter(n -> !n.isEmpty()).toList();
    }

    @TestFactory
    @Order(2)
    Stream<DynamicTest> everyScenarioGivesExactlyItsExpectedVerdictsAndItsChangeRequestFixesIt() throws IOException {
        List<Path> files;
        try (Stream<Path> list = Files.list(TOP.resolve("deploy/lab/scenarios"))) {
            files = list.filter(f -> f.toString().endsWith(".scenario")).sorted().toList();
        }
        assertThat(files).hasSizeGreaterThanOrEqualTo(12);
        List<Scenario> scenarios = new ArrayList<>();
        for (Path f : files) {
            scenarios.add(Scenario.read(f));
        }
        List<String> unknown = ONLY.stream().filter(n -> scenarios.stream().noneMatch(s -> s.name().equals(n))).toList();
        assertThat(unknown).as("scenarios named by -Dvantage.lab.scenarios that deploy/lab/scenarios does not have").isEmpty();
        scenarios.removeIf(s -> !ONLY.isEmpty() && !ONLY.contains(s.name()));
        // post-install first: its services need the ports a pre-install survey's responders hold for their window
        scenarios.sort(java.util.Comparator.comparing((Scenario s) -> !s.mode().equals("post-install")));
        ChangeRequestProof proof = new ChangeRequestProof(system);
        return scenarios.stream().map(s -> DynamicTest.dynamicTest(s.name(), () -> {
            String id = system.surveyGivesTheExpectedVerdicts(s);
            if (s.plantsAFault()) {
                proof.changeRequestFixesTheLab(s, id);
            }
        }));
    }

    @Test
    @Order(0)
    void everyAgentConnectsWithACertificateOfItsOwn() throws Exception {
        Map<String, String> env = system.env();
        assertThat(env).containsKey("VANTAGE_KAFKA_TLS");
        for (String agent : LabSystem.AGENTS.keySet()) {
            assertThat(Files.readString(state.resolve("agents/" + agent + "/kafka.properties")))
                    .as("the Kafka settings of %s", agent)
                    .contains("vantage.agent.kafka.properties.security.protocol=SSL")
                    .contains("vantage.agent.kafka.properties.ssl.keystore.location=" + env.get("VANTAGE_KAFKA_TLS")
                            + "/agent-" + agent + ".p12");
        }
    }

    /** The standalone check from one namespace, with the stack's responders opened by a second check. */
    @Test
    @Order(1) // before the surveys: their responder windows would hold the stack's ports
    void theStandaloneCheckFindsThePartlyForwardedRtpRangeFromTheTrunk() throws Exception {
        assumeTrue(ONLY.isEmpty() || ONLY.contains("rtp-partial"), "-Dvantage.lab.scenarios does not name rtp-partial");
        Scripts scripts = system.scripts();
        scripts.run("apply-standalone", "deploy/lab/lab", "apply", "rtp-partial");
        String jar = TOP.resolve("probe-agent/target/quarkus-app/quarkus-run.jar").toString();
        String javaOpts = scripts.output("deploy/lab/lab", "java-opts").strip();
        Process stack = scripts.start("check-stack", "bash", "-c", "exec deploy/lab/lab exec stack java " + javaOpts + " -jar " + jar
                + " check --site deploy/lab/site.yaml --as acd-stack --mode pre-install --responder-window 60s");
        try {
            Path stackLog = logs.resolve("check-stack.log");
            Instant until = Instant.now().plus(Duration.ofSeconds(60));
            while (!Files.readString(stackLog).contains("responder window(s)") && Instant.now().isBefore(until)) {
                assertThat(stack.isAlive()).as("the stack's check stopped early; see %s", stackLog).isTrue();
                Thread.sleep(200);
            }
            Thread.sleep(1000); // the windows open on their own threads right after the announcement
            ProcessBuilder trunk = new ProcessBuilder("deploy/lab/lab", "exec", "trunk", "java", "-jar", jar, "check",
                    "--site", "deploy/lab/site.yaml", "--as", "trunk", "--mode", "pre-install", "--format", "json")
                    .directory(TOP.toFile()).redirectError(logs.resolve("check-trunk.log").toFile());
            trunk.environment().put("VANTAGE_LAB_PREFIX", system.settings().prefix());
            Process p = trunk.start();
            byte[] out = p.getInputStream().readAllBytes();
            assertThat(p.waitFor(2, TimeUnit.MINUTES)).isTrue();
            assertThat(p.exitValue()).as("exit 1: something failed").isEqualTo(1);
            Map<String, String> verdicts = new HashMap<>();
            Map<String, String> codes = new HashMap<>();
            for (JsonNode v : JSON.readTree(out).get("verdicts")) {
                verdicts.put(v.get("requirement").asText(), v.get("status").asText());
                codes.put(v.get("requirement").asText(), v.path("diagnoses").path(0).path("code").asText(null));
            }
            assertThat(verdicts).containsEntry("inbound.rtp", "PARTIAL").containsEntry("nat.port-forward-rtp", "PARTIAL");
            assertThat(codes).containsEntry("inbound.rtp", "RANGE_PARTIAL");
            assertThat(verdicts).as("only the RTP range fails from the trunk")
                    .containsEntry("inbound.sip-udp", "PASS").containsEntry("inbound.sips", "PASS")
                    .containsEntry("inbound.sbc-rtp", "PASS");
            assertThat(new String(out, StandardCharsets.UTF_8)).contains("30000-31999");
        } finally {
            stack.destroy();
            stack.waitFor(30, TimeUnit.SECONDS);
        }
    }
}
