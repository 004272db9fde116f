package dev.vantage.system;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The whole system in the network lab, started with the scripts of deploy/ as a person would: Kafka, PostgreSQL and
 * the coordinator ({@code deploy/local/services up}, with {@code --tls} Kafka as production runs it), the lab
 * ({@code deploy/lab/lab}) and one packaged agent per vantage of deploy/lab/site.yaml inside its namespace
 * ({@code deploy/local/agent --netns}). A survey of a scenario plants its faults, runs over REST and must give exactly
 * the verdicts the scenario expects.
 *
 * <p>Each test class gives it its own lab prefix, ports and state directory, so two of them never meet, nor a demo or
 * a developer's stack on the default ports.
 */
final class LabSystem {
    /** agent id -> lab node (deploy/lab/site.yaml) */
    static final Map<String, String> AGENTS = Map.of("lab-stack", "stack", "lab-lan", "lan",
            "lab-trunk", "trunk", "lab-support", "support", "lab-internet", "inet");

    /** Where this system lives: namespaces {@code <prefix>-*}, its own state directory, logs and ports. */
    record Settings(String prefix, Path state, Path logs, int kafkaPort, int postgresPort, int httpPort, boolean tls) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final Settings settings;
    private final Scripts scripts;
    private String api;
    private String token;

    LabSystem(Settings settings) throws IOException {
        this.settings = settings;
        this.scripts = new Scripts(settings.logs(), Map.of("VANTAGE_LAB_PREFIX", settings.prefix(),
                "VANTAGE_LOCAL_STATE", settings.state().toString()));
    }

    Scripts scripts() {
        return scripts;
    }

    /** Starts everything with the lab in {@code scenario}; {@link #stop()} tears down what got started, also after a failure. */
    void start(String scenario) throws Exception {
        String state = settings.state().toString();
        // a fresh database and broker every run (the state of an earlier run stays until then, for its logs)
        scripts.run("services-purge", "deploy/local/services", "down", "--purge", "--state", state);
        List<String> up = new ArrayList<>(List.of("deploy/local/services", "up", "--state", state, "--kafka-port",
                String.valueOf(settings.kafkaPort()), "--postgres-port", String.valueOf(settings.postgresPort()),
                "--http-port", String.valueOf(settings.httpPort())));
        if (settings.tls()) {
            up.add("--tls");
        }
        scripts.run("services-up", up.toArray(String[]::new));
        Map<String, String> env = Scripts.readEnv(settings.state().resolve("env"));
        api = env.get("VANTAGE_API");
        token = env.get("VANTAGE_ADMIN_TOKEN");
        scripts.run("lab-up", "deploy/lab/lab", "up", scenario);
        scripts.run("lab-bridge", "deploy/lab/lab", "kafka-bridge", String.valueOf(settings.kafkaPort()));
        HttpResponse<String> site = send(HttpRequest.newBuilder(URI.create(api + "/sites")).header("Content-Type", "application/yaml")
                .POST(HttpRequest.BodyPublishers.ofFile(Scripts.TOP.resolve("deploy/lab/site.yaml"))));
        assertThat(site.statusCode()).as(site.body()).isIn(200, 201);
        String javaOpts = scripts.output("deploy/lab/lab", "java-opts").strip();
        List<Process> starting = new ArrayList<>();
        for (Map.Entry<String, String> a : AGENTS.entrySet()) {
            starting.add(scripts.start("agent-" + a.getKey(), "deploy/local/agent", "start", "--state", state, "--id",
                    a.getKey(), "--site", "deploy/lab/site.yaml", "--netns", settings.prefix() + "-" + a.getValue(),
                    "--java-opts", javaOpts));
        }
        for (Process p : starting) {
            assertThat(p.waitFor(3, TimeUnit.MINUTES)).as("an agent started within 3 minutes").isTrue();
            assertThat(p.exitValue()).as("agent start failed; see %s", settings.logs()).isZero();
        }
    }

    /** Stops the services and tears the lab down; the state directory stays for its logs. */
    void stop() throws Exception {
        try {
            scripts.run("services-down", "deploy/local/services", "down", "--state", settings.state().toString());
        } finally {
            scripts.run("lab-down", "deploy/lab/lab", "down");
        }
        assertThat(scripts.output("ip", "netns", "list")).as("the lab removed its namespaces")
                .doesNotContain(settings.prefix() + "-");
    }

    /** Plants the scenario's faults, runs a survey of its mode and asserts exactly the verdicts it expects. */
    void surveyGivesTheExpectedVerdicts(Scenario scenario) throws Exception {
        scripts.run("apply-" + scenario.name(), "deploy/lab/lab", "apply", scenario.name());
        // without the media option: the scenarios' post-install expectations are those of a survey without it
        String body = JSON.writeValueAsString(Map.of("mode", scenario.mode(), "responderWindow", "PT90S", "deadline", "PT3M",
                "mediaResponder", false));
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
        Files.writeString(settings.logs().resolve("verdicts-" + scenario.name() + ".json"), verdicts.body());
        // the results behind them (timings, segments of the sweeps), for reading a mismatch or a slow survey
        Files.writeString(settings.logs().resolve("evidence-" + scenario.name() + ".json"),
                send(HttpRequest.newBuilder(URI.create(api + "/surveys/" + id + "/evidence")).GET()).body());
        assertThat(list).as("verdicts of survey %s", id).hasSizeGreaterThanOrEqualTo(39);
        assertThat(scenario.mismatches(list)).as("scenario %s (%s), survey %s", scenario.name(), scenario.description(), id)
                .isEmpty();
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws IOException, InterruptedException {
        return HTTP.send(request.header("Authorization", "Bearer " + token).timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
