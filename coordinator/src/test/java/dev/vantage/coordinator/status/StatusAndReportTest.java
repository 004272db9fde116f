package dev.vantage.coordinator.status;

import dev.vantage.coordinator.Api;
import dev.vantage.coordinator.TestAgent;
import dev.vantage.testing.TestInfrastructure;
import dev.vantage.wire.Outcome;
import dev.vantage.wire.ProbeTask;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.startsWith;

/**
 * Matrix, history, changes and reports over two surveys of one site: the first on a healthy network, the
 * second with the haproxy admin port for jtel support ({@code inbound.haproxy-admin}) filtered.
 */
@QuarkusTest
@WithTestResource(TestInfrastructure.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class StatusAndReportTest {
    private static final String BROKEN = "inbound.haproxy-admin";
    private String site;
    private String first;
    private String second;

    /** Lazily, once: RestAssured knows the application's port only once a test method runs. */
    private void twoSurveys() {
        if (site != null) {
            return;
        }
        site = Api.createExampleSite("status");
        first = runSurvey(TestAgent::healthyResult);
        second = runSurvey(t -> t.requirementId().equals(BROKEN) ? TestAgent.result(t, Outcome.FILTERED, t.agentId())
                : TestAgent.healthyResult(t));
    }

    private String runSurvey(Function<ProbeTask, dev.vantage.wire.ProbeResult> answer) {
        JsonPath survey = Api.startSurvey(site, "post-install");
        String id = survey.getString("id");
        try (TestAgent agent = new TestAgent(site)) {
            List<TestAgent.Received> tasks = agent.receive(id, survey.getInt("taskCount"));
            tasks.forEach(r -> agent.send(answer.apply(r.task())));
            agent.sendClosingReports(tasks);
        }
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> Api.admin().get("/surveys/{id}", id).then()
                .body("state", equalTo("completed")));
        return id;
    }

    @Test
    void matrixShowsTheLatestOutcomePerRequirementAndVantage() {
        twoSurveys();
        JsonPath matrix = Api.admin().get("/sites/{id}/matrix", site).then().statusCode(200).extract().jsonPath();
        assertThat(matrix.getList("vantages", String.class)).contains("end-users", "jtel-support", "internet")
                .isSorted();
        assertThat(matrix.getList("rows.requirementId", String.class)).isSorted().doesNotHaveDuplicates();
        List<String> outcomes = matrix.getList("rows.find { it.requirementId == '" + BROKEN
                + "' }.cells.'jtel-support'.outcome");
        assertThat(outcomes).isNotEmpty().containsOnly("FILTERED");
    }

    @Test
    void historyListsBothSurveysNewestFirst() {
        twoSurveys();
        JsonPath h = Api.admin().queryParam("requirement", BROKEN).queryParam("vantage", "jtel-support")
                .get("/sites/{id}/history", site).then().statusCode(200).extract().jsonPath();
        List<String> surveys = h.getList("results.surveyId");
        assertThat(surveys).contains(first, second);
        assertThat(surveys.get(0)).isEqualTo(second);
        assertThat(h.getList("results.outcome", String.class).get(0)).isEqualTo("FILTERED");
    }

    @Test
    void historyRefusesAMissingRequirementAndTooLargeOrBackwardRanges() {
        twoSurveys();
        Api.admin().get("/sites/{id}/history", site).then().statusCode(400).body("field", equalTo("requirement"));
        Api.admin().queryParam("requirement", BROKEN).queryParam("from", "2020-01-01T00:00:00Z")
                .get("/sites/{id}/history", site).then().statusCode(400)
                .body("field", equalTo("from")).body("value", equalTo("2020-01-01T00:00:00Z"))
                .body("detail", containsString("at most"));
        Api.admin().queryParam("requirement", BROKEN).queryParam("to", "yesterday")
                .get("/sites/{id}/history", site).then().statusCode(400).body("field", equalTo("to"))
                .body("value", equalTo("yesterday"));
        Api.admin().queryParam("requirement", BROKEN).queryParam("from", Instant.now().toString())
                .queryParam("to", Instant.now().minusSeconds(60).toString())
                .get("/sites/{id}/history", site).then().statusCode(400).body("field", equalTo("from"));
        Api.admin().queryParam("requirement", BROKEN).queryParam("limit", 5000)
                .get("/sites/{id}/history", site).then().statusCode(400).body("field", equalTo("limit"));
    }

    @Test
    void changesNameTheRegressionSinceTheSurveyBefore() {
        twoSurveys();
        Api.admin().get("/surveys/{id}/changes", second).then().statusCode(200)
                .body("from", equalTo(first))
                .body("changes.find { it.requirementId == '" + BROKEN + "' }.kind", equalTo("regressed"))
                .body("changes.find { it.requirementId == '" + BROKEN + "' }.before", equalTo("PASS"));
        Api.admin().queryParam("since", second).get("/surveys/{id}/changes", first).then().statusCode(200)
                .body("changes.find { it.requirementId == '" + BROKEN + "' }.kind", equalTo("fixed"));
        Api.admin().queryParam("since", "not-a-uuid").get("/surveys/{id}/changes", first).then().statusCode(400)
                .body("field", equalTo("since"));
    }

    @Test
    void reportComesAsJsonCsvAndMarkdown() {
        twoSurveys();
        Api.admin().get("/surveys/{id}/report", second).then().statusCode(200)
                .body("survey.id", equalTo(second))
                .body("counts.FAIL", equalTo(1))
                .body("verdicts.requirementId", hasItem(BROKEN));
        String csv = Api.admin().queryParam("format", "csv").get("/surveys/{id}/report", second).then()
                .statusCode(200).contentType(startsWith("text/csv")).extract().asString();
        assertThat(csv).startsWith("requirement_id,verdict,severity,diagnosis_code,diagnosis,evidence_result_ids\r\n");
        assertThat(csv).contains(BROKEN + ",FAIL,");
        Api.admin().accept("text/markdown").get("/surveys/{id}/report", second).then().statusCode(200)
                .contentType(startsWith("text/markdown"))
                .body(containsString("# Survey " + second + " of site " + site))
                .body(containsString("| " + BROKEN + " | FAIL |"));
        Api.admin().queryParam("format", "pdf").get("/surveys/{id}/report", second).then().statusCode(400)
                .body("field", equalTo("format")).body("value", equalTo("pdf"));
    }

    @Test
    void tokenLimitedToAnotherSiteSeesNoneOfThis() {
        twoSurveys();
        String other = Api.createExampleSite("other");
        String limited = Api.admin().contentType("application/json")
                .body(Map.of("name", "limited-" + other, "role", "viewer", "sites", List.of(other)))
                .post("/tokens").then().statusCode(201).extract().path("secret");
        Api.as(limited).get("/sites/{id}/matrix", site).then().statusCode(404);
        Api.as(limited).queryParam("requirement", BROKEN).get("/sites/{id}/history", site).then().statusCode(404);
        Api.as(limited).get("/surveys/{id}", first).then().statusCode(404);
        Api.as(limited).get("/surveys/{id}/report", first).then().statusCode(404);
        Api.as(limited).get("/sites/{id}/surveys", site).then().statusCode(404);
        Api.as(limited).get("/sites/{id}/matrix", other).then().statusCode(200);
    }

    @Test
    void siteWithoutResultsHasAnEmptyMatrixAndHistoryButAnUnknownSiteIs404() {
        String fresh = Api.createExampleSite("fresh");
        Api.admin().get("/sites/{id}/matrix", fresh).then().statusCode(200).body("siteId", equalTo(fresh))
                .body("rows", empty()).body("vantages", empty());
        Api.admin().queryParam("requirement", BROKEN).get("/sites/{id}/history", fresh).then().statusCode(200)
                .body("results", empty());
        String unknown = Api.newSiteId("unknown");
        Api.admin().get("/sites/{id}/matrix", unknown).then().statusCode(404)
                .contentType("application/problem+json").body("value", equalTo(unknown));
        Api.admin().queryParam("requirement", BROKEN).get("/sites/{id}/history", unknown).then().statusCode(404)
                .body("value", equalTo(unknown));
    }
}
