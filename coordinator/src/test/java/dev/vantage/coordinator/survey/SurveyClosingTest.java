package dev.vantage.coordinator.survey;

import dev.vantage.coordinator.Api;
import dev.vantage.coordinator.CoordinatorConfig;
import dev.vantage.coordinator.Db;
import dev.vantage.coordinator.TestAgent;
import dev.vantage.testing.TestInfrastructure;
import dev.vantage.wire.Outcome;
import dev.vantage.wire.ProbeKind;
import dev.vantage.wire.ProbeResult;
import dev.vantage.wire.ProbeTask;
import dev.vantage.wire.ReceiptEvidence;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

/**
 * A survey whose tasks are all answered waits for the closing reports of its responder windows (what reached
 * them), then analyses them with the rest; an agent that never sends one holds it up for the receipt grace at most, and
 * one whose process restarted since its windows opened (they went with it) not at all.
 * Real broker and database; a test agent plays every agent of the site.
 */
@QuarkusTest
@WithTestResource(TestInfrastructure.class)
class SurveyClosingTest {
    @Inject
    CoordinatorConfig config;

    @Test
    void aClosingReportIsStoredAndReachesTheAnalysisBeforeTheSurveyCompletes() {
        String site = Api.createExampleSite("closing");
        JsonPath survey = Api.startSurvey(site, "pre-install");
        String surveyId = survey.getString("id");
        int taskCount = survey.getInt("taskCount");
        try (TestAgent agent = new TestAgent(site)) {
            List<TestAgent.Received> tasks = agent.receive(surveyId, taskCount);
            // jtel support meets silence on the haproxy admin port; the stack's window there says at its close that
            // it failed, which makes the silence say nothing about the path
            ProbeTask window = task(tasks, t -> t.kind() == ProbeKind.RESPOND && t.ports().first() == 7777);
            ProbeTask probe = task(tasks, t -> t.kind() == ProbeKind.TCP && "inbound.haproxy-admin".equals(t.requirementId()));
            tasks.forEach(r -> agent.send(r.task() == probe ? TestAgent.result(probe, Outcome.FILTERED, probe.agentId())
                    : TestAgent.healthyResult(r.task())));
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> Api.admin().get("/surveys/{id}", surveyId).then()
                    .statusCode(200).body("state", equalTo("closing")));

            tasks.stream().filter(r -> r.task().kind() == ProbeKind.RESPOND && r.task() != window)
                    .forEach(r -> agent.send(TestAgent.closingReport(r.task())));
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> Api.admin().get("/surveys/{id}", surveyId).then()
                    .body("state", equalTo("closing")).body("waitingFor", equalTo(List.of(window.agentId()))));
            ProbeResult closing = withOutcome(TestAgent.closingReport(window), Outcome.ERROR,
                    "responder on 10.20.0.10 tcp 7777: the listener failed at 06:01 (closing-marker)");
            agent.send(closing);
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> Api.admin().get("/surveys/{id}", surveyId).then()
                    .statusCode(200).body("state", equalTo("completed")).body("completion", equalTo("all-results")));
            assertThat(Db.count("SELECT count(*) FROM window_report WHERE survey_id = ? AND result_id = ?",
                    UUID.fromString(surveyId), UUID.fromString(closing.resultId()))).isEqualTo(1);
            assertThat(Db.count("SELECT count(*) FROM result WHERE survey_id = ? AND result_id = ?",
                    UUID.fromString(surveyId), UUID.fromString(closing.resultId()))).isEqualTo(1);
        }
        Map<String, Object> admin = Api.admin().get("/surveys/{id}/verdicts", surveyId).then().statusCode(200)
                .extract().jsonPath().getMap("find { it.requirementId == 'inbound.haproxy-admin' }");
        assertThat(admin).containsEntry("verdict", "INCONCLUSIVE").containsEntry("diagnosisCode", "RESPONDER_NOT_RUNNING");
        assertThat((String) admin.get("diagnosis")).contains("closing-marker");
    }

    @Test
    void theReceiptGraceEndsTheWaitWhenAnAgentNeverSendsItsClosingReport() {
        String site = Api.createExampleSite("grace");
        JsonPath survey = Api.startSurvey(site, "post-install");
        String surveyId = survey.getString("id");
        int taskCount = survey.getInt("taskCount");
        Set<String> responders;
        try (TestAgent agent = new TestAgent(site)) {
            List<TestAgent.Received> tasks = agent.receive(surveyId, taskCount);
            responders = tasks.stream().filter(r -> r.task().kind() == ProbeKind.RESPOND).map(r -> r.task().agentId())
                    .collect(Collectors.toSet());
            tasks.forEach(r -> agent.send(TestAgent.healthyResult(r.task())));
            // the windows are told to close, but their agent never reports
            assertThat(agent.receive(surveyId, responders.size())).allSatisfy(r ->
                    assertThat(r.task().kind()).isEqualTo(ProbeKind.CLOSE));
        }
        // the receipt grace passes: the survey began closing that long ago (rather than the test waiting 20 s for it)
        assertThat(Db.update("UPDATE survey SET closing_at = closing_at - ? * interval '1 millisecond' "
                + "WHERE id = ? AND state = 'closing'", config.surveys().receiptGrace().toMillis(),
                UUID.fromString(surveyId))).as("the survey is closing").isEqualTo(1);
        await().atMost(Duration.ofSeconds(90)).untilAsserted(() -> Api.admin().get("/surveys/{id}", surveyId).then()
                .statusCode(200).body("state", equalTo("completed")).body("completion", equalTo("receipt-grace"))
                .body("waitingFor", equalTo(responders.stream().sorted().toList())));
        assertThat(Api.admin().get("/surveys/{id}/verdicts", surveyId).then().statusCode(200).extract().jsonPath()
                .getList("verdict", String.class)).as("analysed without the receipts")
                .contains("PASS").doesNotContain("FAIL", "INCONCLUSIVE");
    }

    @Test
    void theWaitEndsAtOnceWhenEveryWindowStillWithoutItsReportWasLostWithAnAgentThatRestarted() {
        String site = Api.createExampleSite("restarted");
        JsonPath survey = Api.startSurvey(site, "post-install");
        String surveyId = survey.getString("id");
        int taskCount = survey.getInt("taskCount");
        Map<String, String> responders; // agent -> its vantage
        try (TestAgent agent = new TestAgent(site)) {
            List<TestAgent.Received> tasks = agent.receive(surveyId, taskCount);
            responders = tasks.stream().filter(r -> r.task().kind() == ProbeKind.RESPOND).collect(Collectors.toMap(
                    r -> r.task().agentId(), r -> r.task().vantage(), (a, b) -> a, java.util.TreeMap::new));
            tasks.forEach(r -> agent.send(TestAgent.healthyResult(r.task())));
            assertThat(agent.receive(surveyId, responders.size())).allSatisfy(r ->
                    assertThat(r.task().kind()).isEqualTo(ProbeKind.CLOSE));
        }
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> Api.admin().get("/surveys/{id}", surveyId).then()
                .statusCode(200).body("state", equalTo("closing")));
        List<String> owing = List.copyOf(responders.keySet());
        assertThat(owing).as("agents with windows (the stack's media responder, the internet's NAT check)").hasSizeGreaterThan(1);

        // the responder agents' processes run since before their windows opened: their reports may still come
        Instant before = Instant.now().minus(Duration.ofHours(1)).truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
        responders.forEach((id, vantage) -> restarted(id, site, vantage, before));
        String last = owing.get(owing.size() - 1);
        // every responder agent but one restarts: the other's report may still come
        responders.forEach((id, vantage) -> {
            if (!id.equals(last)) {
                restarted(id, site, vantage, now());
            }
        });
        await().pollDelay(Duration.ofMillis(3 * config.surveys().deadlineCheckInterval().toMillis()))
                .atMost(Duration.ofSeconds(30)).untilAsserted(() -> Api.admin().get("/surveys/{id}", surveyId).then()
                        .statusCode(200).body("state", equalTo("closing")).body("waitingFor", equalTo(owing)));

        restarted(last, site, responders.get(last), now());
        // well before the receipt grace (20 s by default, and the test does not shorten it)
        assertThat(config.surveys().receiptGrace()).isGreaterThanOrEqualTo(Duration.ofSeconds(20));
        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> Api.admin().get("/surveys/{id}", surveyId).then()
                .statusCode(200).body("state", equalTo("completed")).body("completion", equalTo("agent-restarted"))
                .body("waitingFor", equalTo(owing)));
        assertThat(Api.admin().get("/surveys/{id}/verdicts", surveyId).then().statusCode(200).extract().jsonPath()
                .getList("verdict", String.class)).as("analysed without the lost receipts")
                .contains("PASS").doesNotContain("FAIL", "INCONCLUSIVE");
    }

    /** Now, to the millisecond (as PostgreSQL keeps it, to compare). */
    private static Instant now() {
        return Instant.now().truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
    }

    /** The agent's heartbeat (with its enrolled key) saying its process started at {@code startedAt}. */
    private static void restarted(String agentId, String site, String vantage, Instant startedAt) {
        TestAgent.heartbeat(agentId, site, List.of(vantage), TestAgent.keyOf(agentId), startedAt);
        await().atMost(Duration.ofSeconds(30)).until(() -> Db.count("SELECT count(*) FROM agent WHERE id = ? "
                + "AND started_at = ?", agentId, java.sql.Timestamp.from(startedAt)) == 1);
    }

    private static ProbeTask task(List<TestAgent.Received> tasks, java.util.function.Predicate<ProbeTask> which) {
        return tasks.stream().map(TestAgent.Received::task).filter(which).findFirst().orElseThrow();
    }

    private static ProbeResult withOutcome(ProbeResult r, Outcome outcome, String summary) {
        return new ProbeResult(r.schemaVersion(), r.resultId(), r.taskId(), r.surveyId(), r.siteId(), r.vantage(),
                r.agentId(), r.agentVersion(), r.requirementId(), r.kind(), r.target(), r.ports(), outcome,
                r.sourceAddress(), r.destinationAddress(), r.addressFamily(), r.protocol(), r.startedAt(),
                r.timingsMicros(), summary, (ReceiptEvidence) r.evidence());
    }
}
