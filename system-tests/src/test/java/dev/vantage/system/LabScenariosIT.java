package dev.vantage.system;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.TestMethodOrder;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
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
 * {@code deploy/local/services} starts them, the lab ({@code deploy/lab/lab}) with one packaged agent per
 * vantage inside its namespace ({@code deploy/local/agent --netns}), then per scenario: plant its faults,
 * run a survey over REST, and compare every verdict with the scenario's expectations. Finally the standalone
 * {@code check} in one namespace against a scenario, without coordinator or Kafka.
 *
 * <p>Own ports and state directory, so a demo or a developer's stack on the default ports is not disturbed.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LabScenariosIT {
    private static final Path TOP = Path.of("..").toAbsolutePath().normalize();
    private static final Path STATE = Path.of("target/services").toAbsolutePath();
    private static final Path LOGS = Path.of("target/lab-logs").toAbsolutePath();
    private static final String PREFIX = "vsys";
    private static final int KAFKA_PORT = 19592;
    /** agent id -> lab node (deploy/lab/site.yaml) */
    private static final Map<String, String> AGENTS = Map.of("lab-stack", "stack", "lab-lan", "lan",
            "lab-trunk", "trunk", "lab-support", "support", "lab-internet", "inet");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private static String api;
    private static String token;
    private static boolean up;

    @BeforeAll
    static void startTheSystem() throws Exception {
        assumeTrue("root".equals(System.getProperty("user.name")), "the lab needs root (network namespaces, nftables)");
        Files.createDirectories(LOGS);
        up = true;
        // a fresh database and broker every run (the state of an earlier run stays until then, for its logs)
        run("services-purge", "deploy/local/services", "down", "--purge", "--state", STATE.toString());
        run("services-up", "deploy/local/services", "up", "--state", STATE.toString(), "--kafka-port",
                String.valueOf(KAFKA_PORT), "--postgres-port", "15632", "--http-port", "18580");
        Map<String, String> env = readEnv(STATE.resolve("env"));
        api = env.get("VANTAGE_API");
        token = env.get("VANTAGE_ADMIN_TOKEN");
        run("lab-up", "deploy/lab/lab", "up", "correct");
        run("lab-bridge", "deploy/lab/lab", "kafka-bridge", String.valueOf(KAFKA_PORT));
        HttpResponse<String> site = send(HttpRequest.newBuilder(URI.create(api + "/sites")).header("Content-Type", "application/yaml")
                .POST(HttpRequest.BodyPublishers.ofFile(TOP.resolve("deploy/lab/site.yaml"))));
        assertThat(site.statusCode()).as(site.body()).isIn(200, 201);
        String javaOpts = output("deploy/lab/lab", "java-opts").strip();
        List<Process> starting = new ArrayList<>();
        for (Map.Entry<String, String> a : AGENTS.entrySet()) {
            starting.add(start("agent-" + a.getKey(), "deploy/local/agent", "start", "--state", STATE.toString(), "--id",
                    a.getKey(), "--site", "deploy/lab/site.yaml", "--netns", PREFIX + "-" + a.getValue(), "--java-opts", javaOpts));
        }
        for (Process p : starting) {
            assertThat(p.waitFor(3, TimeUnit.MINUTES)).as("an agent started within 3 minutes").isTrue();
            assertThat(p.exitValue()).as("agent start failed; see %s", LOGS).isZero();
        }
    }

    @AfterAll
    static void stopTheSystem() throws Exception {
        if (!up) {
            return;
        }
        try {
            run("services-down", "deploy/local/services", "down", "--state", STATE.toString());
        } finally {
            run("lab-down", "deploy/lab/lab", "down");
        }
        String namespaces = output("ip", "netns", "list");
        assertThat(namespaces).as("the lab removed its namespaces").doesNotContain(PREFIX + "-");
    }

    @TestFactory
    @Order(2)
    Stream<DynamicTest> everyScenarioGivesExactlyItsExpectedVerdicts() throws IOException {
        List<Path> files;
        try (Stream<Path> list = Files.list(TOP.resolve("deploy/lab/scenarios"))) {
            files = list.filter(f -> f.toString().endsWith(".scenario")).sorted().toList();
        }
        assertThat(files).hasSizeGreaterThanOrEqualTo(12);
        List<Scenario> scenarios = new ArrayList<>();
        for (Path f : files) {
            scenarios.add(Scenario.read(f));
        }
        // post-install first: its services need the ports a pre-install survey's responders hold for their window
        scenarios.sort(java.util.Comparator.comparing((Scenario s) -> !s.mode().equals("post-install")));
        return scenarios.stream().map(s -> DynamicTest.dynamicTest(s.name(), () -> survey(s)));
    }

    private void survey(Scenario scenario) throws Exception {
        run("apply-" + scenario.name(), "deploy/lab/lab", "apply", scenario.name());
        String body = JSON.writeValueAsString(Map.of("mode", scenario.mode(), "responderWindow", "PT90S", "deadline", "PT3M"));
        HttpResponse<String> started = send(HttpRequest.newBuilder(URI.create(api + "/sites/lab/surveys"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)));
        assertThat(started.statusCode()).as(started.body()).isEqualTo(201);
        String id = JSON.readTree(started.body()).get("id").asText();
        JsonNode survey = null;
        Instant until = Instant.now().plus(Duration.ofMinutes(4));
        while (Instant.now().isBefore(until)) {
            survey = JSON.readTree(send(HttpRequest.newBuilder(URI.create(api + "/surveys/" + id)).GET()).body());
            if ("completed".equals(survey.path("state").asText())) {
                break;
            }
            Thread.sleep(1000);
        }
        assertThat(survey.path("state").asText()).as("survey %s of %s completed: %s", id, scenario.name(), survey)
                .isEqualTo("completed");
        HttpResponse<String> verdicts = send(HttpRequest.newBuilder(URI.create(api + "/surveys/" + id + "/verdicts")).GET());
        List<Scenario.Verdict> list = new ArrayList<>();
        for (JsonNode v : JSON.readTree(verdicts.body())) {
            list.add(new Scenario.Verdict(v.get("requirementId").asText(), v.get("verdict").asText(),
                    v.path("diagnosisCode").isNull() ? null : v.path("diagnosisCode").asText(null), v.path("diagnosis").asText(null)));
        }
        Files.writeString(LOGS.resolve("verdicts-" + scenario.name() + ".json"), verdicts.body());
        assertThat(list).as("verdicts of survey %s", id).hasSizeGreaterThanOrEqualTo(39);
        assertThat(scenario.mismatches(list)).as("scenario %s (%s), survey %s", scenario.name(), scenario.description(), id)
                .isEmpty();
    }

    /** The standalone check from one namespace, with the stack's responders opened by a second check. */
    @Test
    @Order(1) // before the surveys: their responder windows would hold the stack's ports
    void theStandaloneCheckFindsThePartlyForwardedRtpRangeFromTheTrunk() throws Exception {
        run("apply-standalone", "deploy/lab/lab", "apply", "rtp-partial");
        String jar = TOP.resolve("probe-agent/target/quarkus-app/quarkus-run.jar").toString();
        String javaOpts = output("deploy/lab/lab", "java-opts").strip();
        Process stack = start("check-stack", "bash", "-c", "exec deploy/lab/lab exec stack java " + javaOpts + " -jar " + jar
                + " check --site deploy/lab/site.yaml --as acd-stack --mode pre-install --responder-window 60s");
        try {
            Path stackLog = LOGS.resolve("check-stack.log");
            Instant until = Instant.now().plus(Duration.ofSeconds(60));
            while (!Files.readString(stackLog).contains("responder window(s)") && Instant.now().isBefore(until)) {
                assertThat(stack.isAlive()).as("the stack's check stopped early; see %s", stackLog).isTrue();
                Thread.sleep(200);
            }
            Thread.sleep(1000); // the windows open on their own threads right after the announcement
            ProcessBuilder trunk = new ProcessBuilder("deploy/lab/lab", "exec", "trunk", "java", "-jar", jar, "check",
                    "--site", "deploy/lab/site.yaml", "--as", "trunk", "--mode", "pre-install", "--format", "json")
                    .directory(TOP.toFile()).redirectError(LOGS.resolve("check-trunk.log").toFile());
            trunk.environment().put("VANTAGE_LAB_PREFIX", PREFIX);
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

    // ---------------------------------------------------------------------------------------------------------

    private static HttpResponse<String> send(HttpRequest.Builder request) throws IOException, InterruptedException {
        return HTTP.send(request.header("Authorization", "Bearer " + token).timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static Process start(String log, String... command) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(command).directory(TOP.toFile()).redirectErrorStream(true)
                .redirectOutput(LOGS.resolve(log + ".log").toFile());
        pb.environment().put("VANTAGE_LAB_PREFIX", PREFIX);
        pb.environment().put("VANTAGE_LOCAL_STATE", STATE.toString());
        return pb.start();
    }

    private static void run(String log, String... command) throws IOException, InterruptedException {
        Process p = start(log, command);
        boolean finished = p.waitFor(5, TimeUnit.MINUTES);
        if (!finished) {
            p.destroyForcibly();
        }
        String output = Files.readString(LOGS.resolve(log + ".log"));
        assertThat(finished && p.exitValue() == 0).as("%s failed:%n%s", String.join(" ", command),
                output.length() > 4000 ? output.substring(output.length() - 4000) : output).isTrue();
    }

    private static String output(String... command) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(command).directory(TOP.toFile());
        pb.environment().put("VANTAGE_LAB_PREFIX", PREFIX);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor();
        return out;
    }

    private static Map<String, String> readEnv(Path file) throws IOException {
        Map<String, String> env = new HashMap<>();
        for (String line : Files.readAllLines(file)) {
            int eq = line.indexOf('=');
            if (eq > 0) {
                env.put(line.substring(0, eq), line.substring(eq + 1));
            }
        }
        return env;
    }
}
