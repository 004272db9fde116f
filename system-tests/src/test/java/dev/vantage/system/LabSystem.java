package dev.vantage.system;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vantage.catalog.Catalogs;
import dev.vantage.catalog.Expectation;
import dev.vantage.catalog.Mode;
import dev.vantage.plan.Plan;
import dev.vantage.plan.Planner;
import dev.vantage.site.Site;
import dev.vantage.site.Sites;
import dev.vantage.wire.ProbeKind;

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
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * The whole system in the network lab, started with the scripts of deploy/ as a person would: Kafka, PostgreSQL and
 * the coordinator ({@code deploy/local/services up}, with {@code --tls} Kafka as production runs it), the lab
 * ({@code deploy/lab/lab}) and one packaged agent per vantage of deploy/lab/site.yaml inside its namespace
 * ({@code deploy/local/agent --netns}). A survey of a scenario plants its faults, runs over REST and must give exactly
 * the verdicts the scenario expects.
 *
 * <p>One system serves every test class of a run ({@link SharedLabSystem}). Its lab prefix, ports and state directory
 * come from system properties ({@link Settings#fromSystemProperties()}), so a developer's run can stand beside CI's,
 * a demo or a stack on the default ports.
 */
final class LabSystem {
    /** agent id -> lab node (deploy/lab/site.yaml) */
    static final Map<String, String> AGENTS = Map.of("lab-stack", "stack", "lab-lan", "lan",
            "lab-trunk", "trunk", "lab-support", "support", "lab-internet", "inet");

    /** Where this system lives: namespaces {@code <prefix>-*}, its own state directory, logs and ports. */
    record Settings(String prefix, Path state, Path logs, int kafkaPort, int postgresPort, int httpPort, boolean tls) {

        /**
         * The settings of this run: {@code vantage.lab.prefix} (default {@code vsys}), {@code vantage.lab.state}
         * ({@code target/services}), {@code vantage.lab.logs} ({@code target/lab-logs}) and {@code vantage.lab.ports},
         * Kafka's, PostgreSQL's and HTTP's ({@code 19592,15632,18580}; Kafka's controller takes the port after
         * Kafka's); Kafka always over TLS.
         */
        static Settings fromSystemProperties() {
            String prefix = System.getProperty("vantage.lab.prefix", "vsys");
            if (!prefix.matches("[a-z][a-z0-9]{0,11}")) {
                throw new IllegalArgumentException("vantage.lab.prefix must be 1-12 lower-case letters and digits, starting"
                        + " with a letter (it names the lab's namespaces), was '" + prefix + "'");
            }
            String list = System.getProperty("vantage.lab.ports", "19592,15632,18580");
            List<Integer> ports = new ArrayList<>();
            for (String port : list.split(",")) {
                try {
                    ports.add(Integer.parseInt(port.strip()));
                } catch (NumberFormatException e) {
                    ports.clear();
                    break;
                }
            }
            if (ports.size() != 3 || ports.stream().anyMatch(p -> p < 1024 || p > 65534)) {
                throw new IllegalArgumentException("vantage.lab.ports must be three ports from 1024 to 65534, Kafka's,"
                        + " PostgreSQL's and HTTP's, e.g. 22092,22432,22080; was '" + list + "'");
            }
            return new Settings(prefix,
                    Path.of(System.getProperty("vantage.lab.state", "target/services")).toAbsolutePath(),
                    Path.of(System.getProperty("vantage.lab.logs", "target/lab-logs")).toAbsolutePath(),
                    ports.get(0), ports.get(1), ports.get(2), true);
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final Settings settings;
    private final Scripts scripts;
    private String api;
    private String token;
    private String javaOpts;

    LabSystem(Settings settings) throws IOException {
        this.settings = settings;
        this.scripts = new Scripts(settings.logs(), Map.of("VANTAGE_LAB_PREFIX", settings.prefix(),
                "VANTAGE_LOCAL_STATE", settings.state().toString()));
    }

    Settings settings() {
        return settings;
    }

    Scripts scripts() {
        return scripts;
    }

    /** What {@code services up} wrote: the database, the API, the admin token, the Kafka certificates. */
    Map<String, String> env() throws IOException {
        return Scripts.readEnv(settings.state().resolve("env"));
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
        Map<String, String> env = env();
        api = env.get("VANTAGE_API");
        token = env.get("VANTAGE_ADMIN_TOKEN");
        scripts.run("lab-up", "deploy/lab/lab", "up", scenario);
        scripts.run("lab-bridge", "deploy/lab/lab", "kafka-bridge", String.valueOf(settings.kafkaPort()));
        HttpResponse<String> site = send(HttpRequest.newBuilder(URI.create(api + "/sites")).header("Content-Type", "application/yaml")
                .POST(HttpRequest.BodyPublishers.ofFile(Scripts.TOP.resolve("deploy/lab/site.yaml"))));
        assertThat(site.statusCode()).as(site.body()).isIn(200, 201);
        javaOpts = scripts.output("deploy/lab/lab", "java-opts").strip();
        List<Process> starting = new ArrayList<>();
        for (String agent : AGENTS.keySet()) {
            starting.add(startAgent(agent));
        }
        for (Process p : starting) {
            assertThat(p.waitFor(3, TimeUnit.MINUTES)).as("an agent started within 3 minutes").isTrue();
            assertThat(p.exitValue()).as("agent start failed; see %s", settings.logs()).isZero();
        }
    }

    /**
     * {@code deploy/local/agent start} for the agent in its lab namespace, in the background; the process ends once the
     * agent is online (exit 0), or at once when it runs already.
     */
    Process startAgent(String agent) throws IOException {
        return scripts.start("agent-" + agent, "deploy/local/agent", "start", "--state", settings.state().toString(), "--id",
                agent, "--site", "deploy/lab/site.yaml", "--netns", settings.prefix() + "-" + AGENTS.get(agent),
                "--java-opts", javaOpts);
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

    /**
     * Plants the scenario's faults, runs a survey of its mode and asserts exactly the verdicts it expects; returns the
     * survey's id.
     */
    String surveyGivesTheExpectedVerdicts(Scenario scenario) throws Exception {
        apply(scenario);
        String id = surveyAsTheScenarioSays(scenario);
        assertExpectedVerdicts(scenario, id);
        return id;
    }

    /** A survey of the lab as it is now, with the scenario's mode and options; returns its id once it completed. */
    String surveyAsTheScenarioSays(Scenario scenario) throws Exception {
        return surveyAsTheScenarioSays(scenario, null);
    }

    /**
     * As {@link #surveyAsTheScenarioSays(Scenario)}, of the {@code chosen} requirements only (null: all of them).
     */
    String surveyAsTheScenarioSays(Scenario scenario, Set<String> chosen) throws Exception {
        String id = startSurvey(scenario.mode(), Duration.ofMinutes(3), Duration.ofSeconds(90),
                scenario.mediaResponder(), chosen);
        JsonNode survey = awaitCompleted(id, Duration.ofMinutes(4), () -> { });
        assertThat(survey.path("state").asText()).as("survey %s of %s completed: %s", id, scenario.name(), survey)
                .isEqualTo("completed");
        return id;
    }

    /** The body of {@code GET <api><path>} ({@code /surveys/{id}/change-request}), which must answer 200. */
    String get(String path) throws IOException, InterruptedException {
        HttpResponse<String> r = send(HttpRequest.newBuilder(URI.create(api + path)).header("Accept", "application/json").GET());
        assertThat(r.statusCode()).as("GET %s: %s", path, r.body()).isEqualTo(200);
        return r.body();
    }

    /** Plants the scenario's faults in the running lab ({@code deploy/lab/lab apply}); the agents keep running. */
    void apply(Scenario scenario) throws IOException, InterruptedException {
        scripts.run("apply-" + scenario.name(), "deploy/lab/lab", "apply", scenario.name());
    }

    /** Starts a survey of the lab site ({@code responderWindow} 90 s) and returns its id. */
    String startSurvey(String mode, Duration deadline) throws IOException, InterruptedException {
        return startSurvey(mode, deadline, Duration.ofSeconds(90));
    }

    /** Starts a survey of the lab site with responder windows of {@code responderWindow} and returns its id. */
    String startSurvey(String mode, Duration deadline, Duration responderWindow) throws IOException, InterruptedException {
        return startSurvey(mode, deadline, responderWindow, false);
    }

    /**
     * Starts a survey of the lab site and returns its id; {@code mediaResponder}: the media option (the scenarios ask
     * for it with {@code media-responder yes}; without it, their post-install expectations are a survey's without).
     */
    String startSurvey(String mode, Duration deadline, Duration responderWindow, boolean mediaResponder)
            throws IOException, InterruptedException {
        return startSurvey(mode, deadline, responderWindow, mediaResponder, null);
    }

    /** As {@link #startSurvey(String, Duration, Duration, boolean)}, of the {@code chosen} requirements (null: all). */
    String startSurvey(String mode, Duration deadline, Duration responderWindow, boolean mediaResponder,
                       Set<String> chosen) throws IOException, InterruptedException {
        Map<String, Object> request = new java.util.HashMap<>(Map.of("mode", mode, "responderWindow",
                responderWindow.toString(), "deadline", deadline.toString(), "mediaResponder", mediaResponder));
        if (chosen != null) {
            request.put("requirements", List.copyOf(chosen));
        }
        String body = JSON.writeValueAsString(request);
        HttpResponse<String> started = send(HttpRequest.newBuilder(URI.create(api + "/sites/lab/surveys"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)));
        assertThat(started.statusCode()).as(started.body()).isEqualTo(201);
        return JSON.readTree(started.body()).get("id").asText();
    }

    /** A check made while waiting; it fails (throws) as soon as waiting longer is pointless. */
    interface WhileWaiting {
        void check() throws Exception;
    }

    /**
     * The survey as {@code GET /surveys/{id}} shows it once it is completed; fails when it is not completed within
     * {@code within}. While a fault is under way the coordinator may not answer: that is waited out, not a failure.
     */
    JsonNode awaitCompleted(String id, Duration within, WhileWaiting check) throws Exception {
        JsonNode survey = null;
        Instant until = Instant.now().plus(within);
        while (Instant.now().isBefore(until)) {
            JsonNode now = survey(id);
            if (now != null) {
                survey = now;
                if ("completed".equals(survey.path("state").asText())) {
                    return survey;
                }
            }
            check.check();
            Thread.sleep(1000);
        }
        return fail("survey %s did not complete within %s; last seen: %s", id, within, survey);
    }

    /** {@code GET /surveys/{id}}, or null while the coordinator does not answer (down, or its database down). */
    JsonNode survey(String id) throws InterruptedException {
        try {
            HttpResponse<String> r = send(HttpRequest.newBuilder(URI.create(api + "/surveys/" + id)).GET());
            return r.statusCode() == 200 ? JSON.readTree(r.body()) : null;
        } catch (IOException e) {
            return null;
        }
    }

    /** The survey's verdicts ({@code GET /surveys/{id}/verdicts}), also written to {@code <logs>/verdicts-<name>.json}. */
    List<Scenario.Verdict> verdicts(String id, String name) throws IOException, InterruptedException {
        HttpResponse<String> verdicts = send(HttpRequest.newBuilder(URI.create(api + "/surveys/" + id + "/verdicts")).GET());
        assertThat(verdicts.statusCode()).as(verdicts.body()).isEqualTo(200);
        List<Scenario.Verdict> list = new ArrayList<>();
        for (JsonNode v : JSON.readTree(verdicts.body())) {
            list.add(new Scenario.Verdict(v.get("requirementId").asText(), v.get("verdict").asText(),
                    v.path("diagnosisCode").isNull() ? null : v.path("diagnosisCode").asText(null), v.path("diagnosis").asText(null)));
        }
        Files.writeString(settings.logs().resolve("verdicts-" + name + ".json"), verdicts.body());
        // the results behind them (timings, segments of the sweeps), for reading a mismatch or a slow survey
        Files.writeString(settings.logs().resolve("evidence-" + name + ".json"),
                send(HttpRequest.newBuilder(URI.create(api + "/surveys/" + id + "/evidence")).GET()).body());
        JsonNode chosen = survey(id).path("requirements");
        if (chosen.isArray()) {
            assertThat(list).as("verdicts of survey %s of chosen requirements %s", id, chosen).hasSize(chosen.size());
        } else {
            assertThat(list).as("verdicts of survey %s", id).hasSizeGreaterThanOrEqualTo(39);
        }
        return list;
    }

    /**
     * The requirements of the lab site whose probes in {@code mode} sweep a media range or stream RTP: the slow part
     * of every survey (sweeps of thousands of ports take turns with the streams on each agent; about 15 s of a
     * survey's 22 in the lab), which a survey of the other requirements leaves out.
     */
    static Set<String> mediaRangeRequirements(String mode) throws IOException {
        Site site = labSite();
        Plan plan = new Planner().plan(Catalogs.bundled(site.catalog()), site, Set.of(),
                mode.equals("pre-install") ? Mode.PRE_INSTALL : Mode.POST_INSTALL);
        Set<String> media = new java.util.TreeSet<>();
        plan.tasks().stream().filter(t -> t.kind() == ProbeKind.UDP_RANGE || t.kind() == ProbeKind.RTP)
                .forEach(t -> media.add(t.requirementId()));
        assertThat(media).as("the lab site's media ranges").isNotEmpty();
        return media;
    }

    /**
     * The requirements that a port must not answer (exposures): in the lab their probes wait out a drop, seconds each,
     * on the internet's agent.
     */
    static Set<String> mustBeBlockedRequirements() throws IOException {
        Set<String> ids = new java.util.TreeSet<>();
        Catalogs.bundled(labSite().catalog()).requirements().stream().filter(r -> r.expect() == Expectation.BLOCKED)
                .forEach(r -> ids.add(r.id()));
        assertThat(ids).as("the lab catalog's must-be-blocked ports").isNotEmpty();
        return ids;
    }

    /** The ids of every requirement of the lab site's catalog but {@code left}. */
    static Set<String> requirementsBut(Set<String> left) throws IOException {
        Set<String> ids = new java.util.TreeSet<>();
        Catalogs.bundled(labSite().catalog()).requirements().forEach(r -> ids.add(r.id()));
        ids.removeAll(left);
        return ids;
    }

    private static Site labSite() throws IOException {
        return Sites.parse("deploy/lab/site.yaml", Files.readString(Scripts.TOP.resolve("deploy/lab/site.yaml")),
                Catalogs::bundled);
    }

    /** The completed survey gave exactly the verdicts the scenario expects. */
    void assertExpectedVerdicts(Scenario scenario, String id) throws IOException, InterruptedException {
        assertExpectedVerdicts(scenario, id, scenario.name());
    }

    /** As {@link #assertExpectedVerdicts(Scenario, String)}, the verdicts logged under {@code name}. */
    void assertExpectedVerdicts(Scenario scenario, String id, String name) throws IOException, InterruptedException {
        assertThat(scenario.mismatches(verdicts(id, name))).as("scenario %s (%s), survey %s", scenario.name(),
                scenario.description(), id).isEmpty();
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws IOException, InterruptedException {
        return HTTP.send(request.header("Authorization", "Bearer " + token).timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
