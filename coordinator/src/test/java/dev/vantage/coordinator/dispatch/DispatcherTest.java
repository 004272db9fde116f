package dev.vantage.coordinator.dispatch;

import dev.vantage.coordinator.Api;
import dev.vantage.coordinator.Db;
import dev.vantage.coordinator.TestAgent;
import dev.vantage.testing.TestInfrastructure;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
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
 * disjoint outbox rows: every task reaches Kafka exactly once and the outbox ends empty. A pre-install
 * survey's responder tasks are due at once, its probes a responder lead later.
 */
@QuarkusTest
@WithTestResource(TestInfrastructure.class)
@TestProfile(DispatcherTest.DefaultLead.class)
class DispatcherTest {

    /**
     * The production default lead of 5 s, where the test profile's is 1 s (application.properties): the test reads
     * the probes' rows in the outbox before they are due, and on a busy machine the first requests of a test can
     * take longer than a second.
     */
    public static final class DefaultLead implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("vantage.surveys.responder-lead", "5s");
        }
    }

    @Inject
    Dispatcher dispatcher;

    @Test
    void concurrentDispatchersPublishEveryTaskExactlyOnce() throws Exception {
        String site = Api.createExampleSite("replicas");
        JsonPath survey = Api.startSurvey(site, "pre-install");
        String surveyId = survey.getString("id");
        int taskCount = survey.getInt("taskCount");
        UUID id = UUID.fromString(surveyId);
        // pre-install: the responders go out at once, the probes a responder lead later (5 s by default)
        long responders = Db.count("SELECT count(*) FROM survey_task WHERE survey_id = ? AND task::jsonb->>'kind' = 'respond'", id);
        assertThat(responders).isPositive();
        assertThat(Db.count("SELECT count(*) FROM outbox o JOIN survey_task t USING (survey_id, task_id) "
                + "WHERE o.survey_id = ? AND (t.task::jsonb->>'kind' = 'respond') <> (o.not_before = o.created_at)", id)).isZero();
        assertThat(Db.count("SELECT count(*) FROM outbox WHERE survey_id = ? AND not_before >= created_at + interval '5 seconds'",
                id)).isEqualTo(taskCount - responders);

        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            Callable<Integer> drain = () -> {
                int sent = 0;
                for (int n; (n = dispatcher.dispatchBatch()) > 0; ) {
                    sent += n;
                }
                return sent;
            };
            // until the probes are due the replicas find only the responders; then they send the rest
            long until = System.nanoTime() + java.time.Duration.ofSeconds(60).toNanos();
            while (Db.count("SELECT count(*) FROM outbox WHERE survey_id = ?", id) > 0 && System.nanoTime() < until) {
                List<Future<Integer>> replicas = pool.invokeAll(List.of(drain, drain));
                for (Future<Integer> f : replicas) {
                    f.get();
                }
                // the application's own dispatcher may hold some rows (skipped as locked by the drains) while it
                // publishes them: wait for its commit rather than read the rows it is about to delete
                org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10)).until(() -> Db.count(
                        "SELECT count(*) FROM outbox o JOIN survey_task t USING (survey_id, task_id) "
                                + "WHERE o.survey_id = ? AND t.task::jsonb->>'kind' = 'respond'", id) == 0);
                Thread.sleep(200);
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
