package dev.vantage.coordinator.status;

import dev.vantage.coordinator.Api;
import dev.vantage.coordinator.Db;
import dev.vantage.coordinator.TestAgent;
import dev.vantage.testing.TestInfrastructure;
import dev.vantage.wire.Outcome;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

/**
 * The matrix document a coordinator keeps per site: served as kept while the site's status version stands,
 * built again when ingest (or another replica's ingest: only the database tells) gives the site a new one.
 */
@QuarkusTest
@WithTestResource(TestInfrastructure.class)
class MatrixDocumentsTest {
    private static final String BROKEN = "inbound.haproxy-admin";

    @Inject
    MatrixDocuments documents;

    private static List<String> outcomes(String site) {
        JsonPath matrix = Api.admin().get("/sites/{id}/matrix", site).then().statusCode(200).extract().jsonPath();
        return matrix.getList("rows.find { it.requirementId == '" + BROKEN + "' }.cells.'jtel-support'.outcome");
    }

    @Test
    void theKeptMatrixIsServedUntilTheSiteHasANewStatusVersion() {
        String site = Api.createExampleSite("kept");
        byte[] empty = documents.matrix(site).orElseThrow();
        assertThat(documents.matrix(site).orElseThrow()).as("kept while nothing changed").isSameAs(empty);
        assertThat(outcomes(site)).as("no results yet").isNull();

        // ingest moves the site's latest status: the next read builds the matrix again
        JsonPath survey = Api.startSurvey(site, "post-install");
        String id = survey.getString("id");
        try (TestAgent agent = new TestAgent(site)) {
            List<TestAgent.Received> tasks = agent.receive(id, survey.getInt("taskCount"));
            tasks.forEach(r -> agent.send(r.task().requirementId().equals(BROKEN)
                    ? TestAgent.result(r.task(), Outcome.FILTERED, r.task().agentId()) : TestAgent.healthyResult(r.task())));
            agent.sendClosingReports(tasks);
        }
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> Api.admin().get("/surveys/{id}", id).then()
                .body("state", equalTo("completed")));
        assertThat(outcomes(site)).isNotEmpty().containsOnly("FILTERED");
        byte[] built = documents.matrix(site).orElseThrow();
        assertThat(documents.matrix(site).orElseThrow()).isSameAs(built);

        // a change that leaves the version alone is not seen; a new version (what another replica's ingest
        // sets in the same transaction) is
        Db.update("UPDATE latest_status SET outcome = 'CLOSED' WHERE site_id = ? AND requirement_id = ?", site, BROKEN);
        assertThat(documents.matrix(site).orElseThrow()).isSameAs(built);
        Db.update("UPDATE site SET status_version = nextval('site_status_seq') WHERE id = ?", site);
        assertThat(outcomes(site)).isNotEmpty().containsOnly("CLOSED");

        Api.admin().delete("/sites/{id}", site).then().statusCode(204);
        assertThat(documents.matrix(site)).as("a deleted site has no matrix, kept or not").isEmpty();
        Api.admin().get("/sites/{id}/matrix", site).then().statusCode(404).body("value", equalTo(site));
    }
}
