package dev.vantage.coordinator.ingest;

import dev.vantage.coordinator.Api;
import dev.vantage.coordinator.RestartablePostgres;
import dev.vantage.coordinator.TestAgent;
import dev.vantage.testing.TestInfrastructure;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

/**
 * PostgreSQL goes away while results arrive: ingest waits and retries instead of dropping or
 * dead-lettering them, and once the database is back every result is stored and the survey completes.
 * Runs against a PostgreSQL of its own, which it stops and starts.
 */
@QuarkusTest
@WithTestResource(value = TestInfrastructure.class, initArgs = @ResourceArg(name = "postgres", value = "false"))
@WithTestResource(RestartablePostgres.class)
class PostgresOutageTest {

    @Test
    void resultsArrivingWhilePostgresIsDownAreStoredOnceItIsBack() throws Exception {
        String site = Api.createExampleSite("outage");
        JsonPath survey = Api.startSurvey(site, "post-install");
        String surveyId = survey.getString("id");
        int taskCount = survey.getInt("taskCount");
        try (TestAgent agent = new TestAgent(site)) {
            List<TestAgent.Received> tasks = agent.receive(surveyId, taskCount);
            RestartablePostgres.stopServer();
            try {
                tasks.forEach(r -> agent.send(TestAgent.healthyResult(r.task())));
                Thread.sleep(3000); // ingest is consuming and retrying against the dead database now
            } finally {
                RestartablePostgres.startAgain();
            }
        }
        await().atMost(Duration.ofSeconds(90)).untilAsserted(() -> Api.admin().get("/surveys/{id}", surveyId).then()
                .statusCode(200).body("state", equalTo("completed")).body("completion", equalTo("all-results"))
                .body("answered", equalTo(taskCount)));
    }
}
