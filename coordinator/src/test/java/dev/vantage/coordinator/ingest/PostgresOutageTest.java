package dev.vantage.coordinator.ingest;

import dev.vantage.coordinator.Api;
import dev.vantage.coordinator.RestartablePostgres;
import dev.vantage.coordinator.TestAgent;
import dev.vantage.testing.TestInfrastructure;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.ResourceArg;
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
 * PostgreSQL goes away while results arrive: ingest waits and retries instead of dropping or
 * dead-lettering them, and once the database is back every result is stored and the survey completes.
 * Runs against a PostgreSQL of its own, which it stops and starts.
 */
@QuarkusTest
@WithTestResource(value = TestInfrastructure.class, initArgs = @ResourceArg(name = "postgres", value = "false"))
@WithTestResource(RestartablePostgres.class)
class PostgresOutageTest {
    @Inject
    MeterRegistry metrics;

    @Test
    void resultsArrivingWhilePostgresIsDownAreStoredOnceItIsBack() throws Exception {
        String site = Api.createExampleSite("outage");
        JsonPath survey = Api.startSurvey(site, "post-install");
        String surveyId = survey.getString("id");
        int taskCount = survey.getInt("taskCount");
        double deadLettered = counter("vantage.results.dead.lettered");
        try (TestAgent agent = new TestAgent(site)) {
            List<TestAgent.Received> tasks = agent.receive(surveyId, taskCount);
            agent.enrolAgentsOf(tasks); // the agents announced their keys before the database went away
            double retries = counter("vantage.ingest.retries");
            RestartablePostgres.stopServer();
            try {
                tasks.forEach(r -> agent.send(TestAgent.healthyResult(r.task())));
                agent.sendClosingReports(tasks);
                // ingest has taken the results and met the dead database: it waits and tries again, more than once
                await().atMost(Duration.ofSeconds(60)).until(() -> counter("vantage.ingest.retries") >= retries + 2);
            } finally {
                RestartablePostgres.startAgain();
            }
        }
        await().atMost(Duration.ofSeconds(90)).untilAsserted(() -> Api.admin().get("/surveys/{id}", surveyId).then()
                .statusCode(200).body("state", equalTo("completed")).body("completion", equalTo("all-results"))
                .body("answered", equalTo(taskCount)));
        assertThat(counter("vantage.results.dead.lettered")).as("nothing dead-lettered for the outage")
                .isEqualTo(deadLettered);
    }

    private double counter(String name) {
        return metrics.get(name).counter().count();
    }
}
