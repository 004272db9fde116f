package dev.vantage.coordinator.survey;

import dev.vantage.catalog.Catalogs;
import dev.vantage.coordinator.Api;
import dev.vantage.coordinator.CoordinatorConfig;
import dev.vantage.coordinator.Db;
import dev.vantage.coordinator.TestAgent;
import dev.vantage.testing.TestInfrastructure;
import dev.vantage.wire.ProbeKind;
import dev.vantage.wire.ProbeResult;
import dev.vantage.wire.Topics;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;

/**
 * The whole survey path on the real broker and database: POST a survey → signed tasks on the site's task
 * topic, keyed by agent → a test agent verifies and answers them → the survey completes → verdicts over REST.
 */
@QuarkusTest
@WithTestResource(TestInfrastructure.class)
class SurveyRoundTripTest {
    @Inject
    CoordinatorConfig config;

    private static JsonPath startSurvey(String siteId, String deadline) {
        return Api.admin().contentType("application/json")
                .body(deadline == null ? Map.of("mode", "post-install") : Map.of("mode", "post-install", "deadline", deadline))
                .post("/sites/{id}/surveys", siteId).then()
                .statusCode(201).body("state", equalTo("running")).body("taskCount", greaterThan(0))
                .extract().jsonPath();
    }

    @Test
    void answeredSurveyClosesItsWindowsAndCompletesWithTheirClosingReportsAndItsVerdictsAreReadableOverRest() {
        String site = Api.createExampleSite("roundtrip");
        JsonPath survey = startSurvey(site, null);
        String surveyId = survey.getString("id");
        int taskCount = survey.getInt("taskCount");
        assertThat(survey.getInt("siteVersion")).isEqualTo(1);

        List<TestAgent.Received> tasks;
        try (TestAgent agent = new TestAgent(site)) {
            tasks = agent.receive(surveyId, taskCount);
            assertThat(tasks).hasSize(taskCount);
            assertThat(tasks).allSatisfy(r -> assertThat(r.key()).as("record key").isEqualTo(r.task().agentId()));
            assertThat(tasks.stream().map(r -> r.task().taskId()).collect(Collectors.toSet())).hasSize(taskCount);
            tasks.forEach(r -> agent.send(TestAgent.healthyResult(r.task())));

            // every task answered: the agents that opened responder windows (the NAT check's, in every mode) are told
            // to close them, with a task signed like every other, and the survey waits for what reached them
            Set<String> responders = tasks.stream().filter(r -> r.task().kind() == ProbeKind.RESPOND)
                    .map(r -> r.task().agentId()).collect(Collectors.toSet());
            assertThat(responders).isNotEmpty();
            List<TestAgent.Received> closes = agent.receive(surveyId, responders.size());
            assertThat(closes).allSatisfy(r -> {
                assertThat(r.task().kind()).isEqualTo(ProbeKind.CLOSE);
                assertThat(r.key()).isEqualTo(r.task().agentId());
            });
            assertThat(closes.stream().map(r -> r.task().agentId()).toList()).containsExactlyInAnyOrderElementsOf(responders);
            Api.admin().get("/surveys/{id}", surveyId).then().statusCode(200).body("state", equalTo("closing"))
                    .body("answered", equalTo(taskCount))
                    .body("waitingFor", equalTo(responders.stream().sorted().toList()));

            agent.sendClosingReports(tasks);
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> Api.admin().get("/surveys/{id}", surveyId).then()
                    .statusCode(200).body("state", equalTo("completed")).body("completion", equalTo("all-results"))
                    .body("answered", equalTo(taskCount)).body("waitingFor", equalTo(List.of())));
        }

        JsonPath verdicts = Api.admin().get("/surveys/{id}/verdicts", surveyId).then().statusCode(200)
                .extract().jsonPath();
        List<String> kinds = verdicts.getList("verdict");
        // every module of the example site is on, so every requirement is planned or untested
        assertThat(kinds).contains("PASS").doesNotContain("INCONCLUSIVE", "FAIL", "PARTIAL");
        assertThat(kinds).hasSize(Catalogs.bundled("jtel-container-stack").requirements().size());
        long windows = TestAgent.windows(tasks);
        assertThat(Db.count("SELECT count(*) FROM result WHERE survey_id = ?", UUID.fromString(surveyId)))
                .as("every answer and every closing report").isEqualTo(taskCount + windows);
        assertThat(Db.count("SELECT count(*) FROM window_report WHERE survey_id = ?", UUID.fromString(surveyId)))
                .isEqualTo(windows);
    }

    @Test
    void aSurveyOfChosenRequirementsDispatchesAndJudgesThoseOnlyAndDecidesNoGoLive() {
        String site = Api.createExampleSite("chosen");
        // first a survey of everything, where HTTPS from outside meets silence on the public address
        JsonPath all = startSurvey(site, null);
        try (TestAgent agent = new TestAgent(site)) {
            List<TestAgent.Received> tasks = agent.receive(all.getString("id"), all.getInt("taskCount"));
            tasks.forEach(r -> agent.send("inbound.https-external".equals(r.task().requirementId())
                    ? TestAgent.result(r.task(), dev.vantage.wire.Outcome.FILTERED, r.task().agentId())
                    : TestAgent.healthyResult(r.task())));
            agent.sendClosingReports(tasks);
        }
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> Api.admin().get("/surveys/{id}", all.getString("id"))
                .then().statusCode(200).body("state", equalTo("completed")));

        // then, the forward fixed, a survey of it and one more
        List<String> chosen = List.of("nat.port-forward-rtp", "inbound.https-external");
        JsonPath survey = Api.admin().contentType("application/json")
                .body(Map.of("mode", "pre-install", "requirements", chosen))
                .post("/sites/{id}/surveys", site).then().statusCode(201)
                .body("requirements", equalTo(chosen.stream().sorted().toList())).extract().jsonPath();
        String surveyId = survey.getString("id");
        int taskCount = survey.getInt("taskCount");
        try (TestAgent agent = new TestAgent(site)) {
            List<TestAgent.Received> tasks = agent.receive(surveyId, taskCount);
            assertThat(tasks).extracting(r -> r.task().requirementId()).isSubsetOf(chosen);
            assertThat(tasks).extracting(r -> r.task().kind()).as("the probes and the windows they need")
                    .contains(ProbeKind.RESPOND, ProbeKind.UDP_RANGE, ProbeKind.TCP);
            tasks.forEach(r -> agent.send(TestAgent.healthyResult(r.task())));
            agent.sendClosingReports(tasks);
        }
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> Api.admin().get("/surveys/{id}", surveyId).then()
                .statusCode(200).body("state", equalTo("completed")));

        JsonPath verdicts = Api.admin().get("/surveys/{id}/verdicts", surveyId).then().statusCode(200).extract().jsonPath();
        assertThat(verdicts.getList("requirementId", String.class)).containsExactlyInAnyOrderElementsOf(chosen);
        assertThat(verdicts.getList("verdict", String.class)).containsOnly("PASS");
        // every verdict passes, yet the survey says nothing of the other requirements: no go-live decision
        Api.admin().get("/surveys/{id}/report?format=json", surveyId).then().statusCode(200)
                .body("decision", equalTo("INCOMPLETE")).body("goLiveReady", equalTo(false))
                .body("notReadyBecause[0]", containsString("2 chosen requirement(s), not all"));
        // what changed since the survey of everything: the fixed forward, and nothing about the requirements not chosen
        Api.admin().get("/surveys/{id}/changes", surveyId).then().statusCode(200)
                .body("from", equalTo(all.getString("id")))
                .body("changes.requirementId", equalTo(List.of("inbound.https-external")))
                .body("changes[0].kind", equalTo("fixed"));
    }

    @Test
    void chosenRequirementsTheCatalogLacksAreRefusedNamingThem() {
        String site = Api.createExampleSite("unknown-req");
        Api.admin().contentType("application/json")
                .body(Map.of("mode", "post-install", "requirements", List.of("inbound.ssh", "inbound.telnet", "nat.x")))
                .post("/sites/{id}/surveys", site).then().statusCode(400)
                .body("field", equalTo("requirements")).body("detail", containsString("has no inbound.telnet, nat.x"));
        Api.admin().contentType("application/json").body(Map.of("mode", "post-install", "requirements", List.of(" ")))
                .post("/sites/{id}/surveys", site).then().statusCode(400).body("field", equalTo("requirements"));
        assertThat(Db.count("SELECT count(*) FROM survey WHERE site_id = ?", site)).as("nothing started").isZero();
    }

    @Test
    void verdictsCarryTheCrossVantageDiagnosisOfTheAnalysis() {
        String site = Api.createExampleSite("perimeter");
        JsonPath survey = startSurvey(site, null);
        String surveyId = survey.getString("id");
        int taskCount = survey.getInt("taskCount");
        try (TestAgent agent = new TestAgent(site)) {
            // HTTPS answers inside (end users), but every outside vantage meets silence on the public address
            List<TestAgent.Received> tasks = agent.receive(surveyId, taskCount);
            tasks.forEach(r -> agent.send(
                    "203.0.113.10".equals(r.task().target()) && r.task().ports() != null
                            && r.task().ports().first() == 443
                            ? TestAgent.result(r.task(), dev.vantage.wire.Outcome.FILTERED, r.task().agentId())
                            : TestAgent.healthyResult(r.task())));
            agent.sendClosingReports(tasks);
        }
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> Api.admin().get("/surveys/{id}", surveyId).then()
                .statusCode(200).body("state", equalTo("completed")));
        JsonPath verdicts = Api.admin().get("/surveys/{id}/verdicts", surveyId).then().statusCode(200)
                .extract().jsonPath();
        Map<String, Object> https = verdicts.getMap("find { it.requirementId == 'inbound.https-external' }");
        assertThat(https).containsEntry("verdict", "FAIL").containsEntry("diagnosisCode", "PERIMETER_FORWARD_MISSING");
        assertThat((String) https.get("diagnosis")).contains("203.0.113.10");
        assertThat(verdicts.getList("findAll { it.verdict == 'PASS' }.diagnosisCode", String.class))
                .as("a pass is stored as PASS or with the note the analysis made (e.g. NAT seen)")
                .allMatch(code -> code.equals("PASS") || code.equals("NAT_OBSERVED"));
    }

    @Test
    void missingResultsBecomeInconclusiveNamingTheSilentAgentWhenTheDeadlinePasses() {
        String site = Api.createExampleSite("deadline");
        // long enough for the probes, dispatched a responder lead (the test profile's 1 s) after the NAT check's
        // responder, to reach the agent and for its answers to be stored before it: 10 s after the lead, as before
        // the test profile shortened the lead from 5 s
        JsonPath survey = startSurvey(site, "PT11S");
        String surveyId = survey.getString("id");
        String silent = site + "-cloud-1";
        try (TestAgent agent = new TestAgent(site)) {
            List<TestAgent.Received> tasks = agent.receive(surveyId, survey.getInt("taskCount"));
            tasks.stream().filter(r -> !r.task().agentId().equals(silent))
                    .forEach(r -> agent.send(TestAgent.healthyResult(r.task())));
        }
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> Api.admin().get("/surveys/{id}", surveyId).then()
                .statusCode(200).body("state", equalTo("completed")).body("completion", equalTo("deadline"))
                .body("waitingFor", equalTo(List.of(silent))));
        JsonPath verdicts = Api.admin().get("/surveys/{id}/verdicts", surveyId).then().statusCode(200)
                .extract().jsonPath();
        List<Map<String, Object>> inconclusive = verdicts.getList("findAll { it.verdict == 'INCONCLUSIVE' }");
        assertThat(inconclusive).isNotEmpty();
        assertThat(inconclusive).allSatisfy(v -> assertThat((String) v.get("diagnosis")).contains(silent));
    }

    @Test
    void aPostInstallSurveyTakesTheFreeMediaPortsOfTheStackUnlessSwitchedOff() {
        String site = Api.createExampleSite("media");
        String on = startSurvey(site, null).getString("id");
        Api.admin().get("/surveys/{id}", on).then().statusCode(200).body("mediaResponder", equalTo(true));
        assertThat(Db.count("SELECT count(*) FROM survey_task WHERE survey_id = ? AND agent_id = ? "
                + "AND task::jsonb ->> 'kind' = 'respond' AND task::jsonb ->> 'ports' = '30000-34999' "
                + "AND task::jsonb -> 'params' ->> 'freeOnly' = 'true'", UUID.fromString(on), site + "-berlin-stack"))
                .as("the stack's window on the free RTP ports").isEqualTo(1);
        assertThat(Db.count("SELECT count(*) FROM survey_task WHERE survey_id = ? AND requirement_id = 'inbound.rtp' "
                + "AND task::jsonb ->> 'kind' = 'udp-range' AND task::jsonb -> 'params' ->> 'responder' = 'true'",
                UUID.fromString(on))).as("the sweeps expect it").isPositive();

        String off = Api.admin().contentType("application/json")
                .body(Map.of("mode", "post-install", "mediaResponder", false))
                .post("/sites/{id}/surveys", site).then().statusCode(201).body("mediaResponder", equalTo(false))
                .extract().path("id");
        assertThat(Db.count("SELECT count(*) FROM survey_task WHERE survey_id = ? "
                + "AND task::jsonb -> 'params' ->> 'freeOnly' = 'true'", UUID.fromString(off))).isZero();
        assertThat(Db.count("SELECT count(*) FROM survey_task WHERE survey_id = ? AND requirement_id = 'inbound.rtp' "
                + "AND task::jsonb -> 'params' ->> 'responder' = 'true'", UUID.fromString(off))).isZero();
    }

    @Test
    void aResponderWindowOutOfBoundsIsRefusedNamingTheField() {
        String site = Api.createExampleSite("window");
        Api.admin().contentType("application/json").body(Map.of("mode", "pre-install", "responderWindow", "PT5S"))
                .post("/sites/{id}/surveys", site).then().statusCode(400)
                .body("field", equalTo("responderWindow")).body("value", equalTo("PT5S"));
        Api.admin().contentType("application/json").body(Map.of("mode", "pre-install", "responderWindow", "5 minutes"))
                .post("/sites/{id}/surveys", site).then().statusCode(400)
                .body("field", equalTo("responderWindow")).body("value", equalTo("5 minutes"));
    }

    @Test
    void aDeadlineBeforeTheProbesWouldBeDispatchedIsRefusedNamingTheField() {
        String site = Api.createExampleSite("short");
        // the example site has responders (pre-install), so its probes go out a responder lead later: a deadline
        // no longer than the lead is refused
        String lead = config.surveys().responderLead().toString();
        Api.admin().contentType("application/json").body(Map.of("mode", "pre-install", "deadline", lead))
                .post("/sites/{id}/surveys", site).then().statusCode(400)
                .body("field", equalTo("deadline")).body("value", equalTo(lead))
                .body("detail", containsString("responder lead"));
        Api.admin().get("/sites/{id}/surveys", site).then().statusCode(200).body("size()", equalTo(0));
    }

    /**
     * A coordinator killed after ingest committed a survey's last answers, but before it completed the survey, leaves
     * it answered and running; the results Kafka re-delivers then store nothing new. The state is made here as that
     * crash leaves it (the answer count is moved in the transaction that stores the answers); LabFaultsIT makes it with
     * a real SIGKILL.
     */
    @Test
    void aSurveyAnsweredBeforeACrashCompletesWithoutWaitingForItsDeadline() {
        String site = Api.createExampleSite("crashed");
        JsonPath survey = startSurvey(site, "PT20M");
        String surveyId = survey.getString("id");
        Db.update("UPDATE survey SET answered = task_count WHERE id = ?", UUID.fromString(surveyId));
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> Api.admin().get("/surveys/{id}", surveyId).then()
                .statusCode(200).body("state", equalTo("completed")).body("completion", equalTo("all-results")));
    }

    @Test
    void redeliveredAndDuplicatedResultsAreStoredOnce() {
        String site = Api.createExampleSite("dupes");
        JsonPath survey = startSurvey(site, null);
        String surveyId = survey.getString("id");
        int taskCount = survey.getInt("taskCount");
        List<ProbeResult> results;
        try (TestAgent agent = new TestAgent(site)) {
            List<TestAgent.Received> tasks = agent.receive(surveyId, taskCount);
            results = new java.util.ArrayList<>(tasks.stream()
                    .map(r -> TestAgent.healthyResult(r.task())).toList());
            tasks.stream().filter(r -> r.task().kind() == ProbeKind.RESPOND)
                    .map(r -> TestAgent.closingReport(r.task())).forEach(results::add);
            results.forEach(agent::send);
            results.forEach(agent::send); // the agent re-sends after a lost acknowledgement
            // a second, different answer to an answered task (an agent refusing a re-sent task) is not stored
            agent.send(TestAgent.result(tasks.get(0).task(), dev.vantage.wire.Outcome.TASK_REFUSED,
                    tasks.get(0).task().agentId()));
        }
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> Api.admin().get("/surveys/{id}", surveyId).then()
                .body("state", equalTo("completed")));
        // the duplicates were consumed after the originals (same partition, keyed by survey id): wait for the lag
        long stored = results.size(); // every answer and every window's closing report, once
        await().atMost(Duration.ofSeconds(30)).until(() -> Db.count(
                "SELECT count(*) FROM result WHERE survey_id = ?", UUID.fromString(surveyId)) == stored);
        assertThat(Db.count("SELECT count(DISTINCT result_id) FROM result WHERE survey_id = ?",
                UUID.fromString(surveyId))).isEqualTo(stored);
        assertThat(Db.count("SELECT windows_reported FROM survey WHERE id = ?", UUID.fromString(surveyId)))
                .isEqualTo(stored - taskCount);
        Set<String> outcomes = Set.copyOf(Api.admin().get("/surveys/{id}/verdicts", surveyId).jsonPath()
                .getList("verdict"));
        assertThat(outcomes).doesNotContain("FAIL", "PARTIAL");
        assertThat(Topics.RESULTS).isEqualTo("vantage.results");
    }
}
