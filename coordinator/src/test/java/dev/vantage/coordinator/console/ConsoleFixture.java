package dev.vantage.coordinator.console;

import dev.vantage.coordinator.Api;
import dev.vantage.coordinator.TestAgent;
import dev.vantage.params.ParamNames;
import dev.vantage.testing.KafkaClients;
import dev.vantage.testing.TestKafka;
import dev.vantage.trust.Ed25519Keys;
import dev.vantage.wire.Heartbeat;
import dev.vantage.wire.Outcome;
import dev.vantage.wire.ProbeResult;
import dev.vantage.wire.ProbeTask;
import dev.vantage.wire.Topics;
import dev.vantage.wire.Wire;
import io.restassured.path.json.JsonPath;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.BiPredicate;

import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

/**
 * A site for the console tests: the example site under a hostile name, its agents online, one agent pending
 * approval, and a completed post-install survey whose TCP results are real loopback connects with two planted
 * faults (SSH answers from the internet, a critical exposure; the reporting API's last port refuses), and
 * one result whose agent reports an error with HTML and script in its text.
 */
final class ConsoleFixture {
    /** Renders as text, never as markup: a site name and an agent's text with HTML and script. */
    static final String HOSTILE_NAME = "<script>window.hostile=1</script><b>Evil & \"Co\"</b>";
    static final String HOSTILE_SUMMARY = "<img src=x id=hostile-img><script>window.hostile=2</script>";
    static final String FAILING = "inbound.ssh-blocked-from-internet";
    static final String FAILING_VANTAGE = "internet";
    /** A requirement that passes from the same vantage. */
    static final String PASSING = "inbound.haproxy-admin-blocked-from-internet";
    static final String PARTIAL = "inbound.reporting-api";
    static final String ERRORED = "outbound.letsencrypt";

    final String site;
    final String survey;
    final String pendingAgent;
    final String viewer;
    final String operator;

    private ConsoleFixture(String site, String survey, String pendingAgent, String viewer, String operator) {
        this.site = site;
        this.survey = survey;
        this.pendingAgent = pendingAgent;
        this.viewer = viewer;
        this.operator = operator;
    }

    static ConsoleFixture create() {
        String site = Api.newSiteId("console");
        String yaml = Api.exampleSite(site).replace("name: Example GmbH, Berlin contact centre",
                "name: '" + HOSTILE_NAME.replace("'", "''") + "'");
        Api.admin().contentType("application/yaml").body(yaml).post("/sites").then().statusCode(201);
        Map<String, List<String>> listed = Map.of("berlin-stack", List.of("acd-stack"), "berlin-lan",
                List.of("end-users", "admin-network", "reporting-users"), "berlin-pbx", List.of("pbx"), "carrier-side",
                List.of("trunk"), "jtel-support-1", List.of("jtel-support"), "cloud-1", List.of("internet"));
        listed.forEach((agent, roles) -> heartbeat(site + "-" + agent, site, roles, "0.9.1"));
        String pending = site + "-branch-1";
        heartbeat(pending, site, List.of("end-users"), "0.9.1<i>-hostile</i>");
        String survey = surveyWithLoopbackProbes(site);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> Api.admin().get("/agents/{id}", pending).then()
                .statusCode(200).body("enrolment", equalTo("PENDING")));
        return new ConsoleFixture(site, survey, pending, token("viewer"), token("operator"));
    }

    /**
     * Which ports refuse: those that must be blocked (a healthy firewall keeps them from the stack), except the
     * planted exposure (SSH answers from the internet), and the reporting API's last port.
     */
    static final BiPredicate<ProbeTask, Integer> REFUSED = (t, port) -> {
        if (t.requirementId().equals(FAILING)) {
            return false;
        }
        return "blocked".equals(t.param(ParamNames.EXPECT_STATE, ""))
                || (t.requirementId().equals(PARTIAL) && port == t.ports().last());
    };

    /** Starts a post-install survey and answers every task (real TCP on loopback), until it completes. */
    static String surveyWithLoopbackProbes(String site) {
        JsonPath started = Api.startSurvey(site, "post-install");
        String id = started.getString("id");
        answer(site, id, started.getInt("taskCount"));
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> Api.admin().get("/surveys/{id}", id).then()
                .body("state", equalTo("completed")));
        return id;
    }

    /** Answers a running survey's tasks as the site's agents would. */
    static void answer(String site, String surveyId, int taskCount) {
        try (TestAgent agent = new TestAgent(site); LoopbackProbes probes = new LoopbackProbes()) {
            List<TestAgent.Received> tasks = agent.receive(surveyId, taskCount);
            for (TestAgent.Received r : tasks) {
                ProbeTask t = r.task();
                ProbeResult result = t.requirementId().equals(ERRORED)
                        ? errored(TestAgent.result(t, Outcome.ERROR, t.agentId()))
                        : probes.answer(t, REFUSED);
                agent.send(result);
            }
            agent.sendClosingReports(tasks); // the windows report what reached them, so the survey need not wait
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static ProbeResult errored(ProbeResult r) {
        return new ProbeResult(r.schemaVersion(), r.resultId(), r.taskId(), r.surveyId(), r.siteId(), r.vantage(),
                r.agentId(), r.agentVersion(), r.requirementId(), r.kind(), r.target(), r.ports(), r.outcome(),
                r.sourceAddress(), r.destinationAddress(), r.addressFamily(), r.protocol(), r.startedAt(),
                r.timingsMicros(), HOSTILE_SUMMARY, null);
    }

    static void heartbeat(String agent, String site, List<String> roles, String version) {
        java.security.KeyPair key = TestAgent.keyOf(agent);
        try {
            KafkaClients.send(TestKafka.bootstrapServers(), Topics.HEARTBEATS, agent, Wire.encode(new Heartbeat(
                    Wire.SCHEMA_VERSION, agent, site, roles, version, List.of("tcp"), Instant.now(),
                    Ed25519Keys.encode(key.getPublic()), Ed25519Keys.fingerprint(key.getPublic()))));
        } catch (Exception e) {
            throw new IllegalStateException("sending a heartbeat of " + agent + " failed", e);
        }
    }

    static String token(String role) {
        return Api.admin().contentType("application/json")
                .body(Map.of("name", "console-" + role + "-" + System.nanoTime(), "role", role))
                .post("/tokens").then().statusCode(201).extract().path("secret");
    }
}
