package dev.vantage.coordinator.dispatch;

import dev.vantage.coordinator.Api;
import dev.vantage.coordinator.Db;
import dev.vantage.coordinator.TestAgent;
import dev.vantage.testing.TestInfrastructure;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Several dispatchers at once (the scheduled one plus two more threads, as replicas would be) claim
 * disjoint outbox rows: every task reaches Kafka exactly once and the outbox ends empty.
 */
@QuarkusTest
@WithTestResource(TestInfrastructure.class)
class DispatcherTest {

    @Inject
    Dispatcher dispatcher;

    @Test
    void concurrentDispatchersPublishEveryTaskExactlyOnce() throws Exception {
        String site = Api.createExampleSite("replicas");
        JsonPath survey = Api.admin().contentType("application/json").body(Map.of("mode", "pre-install"))
                .post("/sites/{id}/surveys", site).then().statusCode(201).extract().jsonPath();
        String surveyId = survey.getString("id");
        int taskCount = survey.getInt("taskCount");

        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            Callable<Integer> drain = () -> {
                int sent = 0;
                for (int n; (n = dispatcher.dispatchBatch()) > 0; ) {
                    sent += n;
                }
                return sent;
            };
            List<Future<Integer>> replicas = pool.invokeAll(List.of(drain, drain));
            for (Future<Integer> f : replicas) {
                f.get();
            }
        } finally {
            pool.shutdown();
        }

        try (TestAgent agent = new TestAgent(site)) {
            List<TestAgent.Received> received = agent.receive(surveyId, taskCount);
            // anything sent twice would be on the topic by now: read on for a moment
            received.addAll(agent.receiveFor(surveyId, java.time.Duration.ofSeconds(3)));
            Map<String, Long> perTask = received.stream().collect(Collectors.groupingBy(r -> r.task().taskId(),
                    Collectors.counting()));
            assertThat(perTask).hasSize(taskCount);
            assertThat(perTask.values()).containsOnly(1L);
        }
        assertThat(Db.count("SELECT count(*) FROM outbox WHERE survey_id = ?", UUID.fromString(surveyId))).isZero();
    }
}
