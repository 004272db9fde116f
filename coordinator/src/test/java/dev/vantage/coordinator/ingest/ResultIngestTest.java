package dev.vantage.coordinator.ingest;

import dev.vantage.coordinator.Api;
import dev.vantage.coordinator.DeadLetterReader;
import dev.vantage.coordinator.Db;
import dev.vantage.coordinator.TestAgent;
import dev.vantage.testing.TestInfrastructure;
import dev.vantage.wire.Outcome;
import dev.vantage.wire.ProbeKind;
import dev.vantage.wire.ProbeResult;
import dev.vantage.wire.ProbeTask;
import dev.vantage.wire.Topics;
import dev.vantage.wire.Wire;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

/** Results are untrusted input: what is refused goes to the dead-letter topic with the reason, and ingest goes on. */
@QuarkusTest
@WithTestResource(TestInfrastructure.class)
class ResultIngestTest {

    @Test
    void poisonRecordsAreDeadLetteredWithTheReasonAndIngestContinues() {
        String site = Api.createExampleSite("poison");
        JsonPath survey = Api.startSurvey(site, "post-install");
        String surveyId = survey.getString("id");
        try (TestAgent agent = new TestAgent(site)) {
            List<TestAgent.Received> tasks = agent.receive(surveyId, survey.getInt("taskCount"));
            ProbeTask first = tasks.get(0).task();

            String garbageKey = "garbage-" + UUID.randomUUID();
            agent.send(garbageKey, "{not json".getBytes(StandardCharsets.UTF_8));
            ProbeResult impostor = TestAgent.result(first, Outcome.OPEN, "someone-else");
            agent.sendSignedBy(impostor, TestAgent.keyOf("someone-else"));
            ProbeResult unknownTask = new ProbeResult(Wire.SCHEMA_VERSION, UUID.randomUUID().toString(),
                    UUID.randomUUID().toString(), surveyId, site, first.vantage(), first.agentId(), "0.1.0",
                    first.requirementId(), first.kind(), first.target(), first.ports(), Outcome.OPEN, null, null, null,
                    null, Instant.now(), Map.of(), "made up", null);
            agent.send(unknownTask);
            ProbeResult future = new ProbeResult(Wire.SCHEMA_VERSION, UUID.randomUUID().toString(), first.taskId(),
                    surveyId, site, first.vantage(), first.agentId(), "0.1.0", first.requirementId(), first.kind(),
                    first.target(), first.ports(), Outcome.OPEN, null, null, null, null,
                    Instant.now().plus(Duration.ofDays(2)), Map.of(), "from the future", null);
            agent.send(future);

            tasks.forEach(r -> agent.send(TestAgent.healthyResult(r.task())));
            agent.sendClosingReports(tasks);

            assertThat(DeadLetterReader.find(d -> garbageKey.equals(d.key())).reason())
                    .contains("not a valid SignedResult");
            assertThat(DeadLetterReader.find(d -> d.reason() != null && d.reason().contains(first.taskId())
                    && d.reason().contains("someone-else")).reason())
                    .contains("was sent to agent " + first.agentId());
            assertThat(DeadLetterReader.find(d -> d.reason() != null && d.reason().contains(unknownTask.taskId()))
                    .reason()).startsWith("unknown task");
            assertThat(DeadLetterReader.find(d -> d.reason() != null && d.reason().contains(future.resultId()))
                    .reason()).contains("outside its survey");
        }
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> Api.admin().get("/surveys/{id}", surveyId).then()
                .body("state", equalTo("completed")).body("completion", equalTo("all-results")));
        assertThat(Db.count("SELECT count(*) FROM result WHERE survey_id = ? AND agent_id = 'someone-else'",
                UUID.fromString(surveyId))).isZero();
    }

    @Test
    void resultFromAnotherSchemaVersionIsDeadLettered() {
        String key = "schema-" + UUID.randomUUID();
        try (TestAgent agent = new TestAgent("unused")) {
            agent.send(key, ("{\"schemaVersion\": 99, \"resultId\": \"" + UUID.randomUUID() + "\"}")
                    .getBytes(StandardCharsets.UTF_8));
        }
        assertThat(DeadLetterReader.find(d -> key.equals(d.key())).reason()).contains("schema version 99");
    }

    @Test
    void redeliveredResultsMixedWithNewOnesAreStoredOnceWithTheirTextIntact() throws Exception {
        String site = Api.createExampleSite("mixed");
        JsonPath survey = Api.startSurvey(site, "post-install");
        String surveyId = survey.getString("id");
        int taskCount = survey.getInt("taskCount");
        String summary = "tab\there, lines\r\nthere, a backslash \\ and \\N, \"quoted\", ünïcödé ✓";
        List<ProbeResult> results;
        List<ProbeResult> closingReports;
        try (TestAgent agent = new TestAgent(site)) {
            List<TestAgent.Received> tasks = agent.receive(surveyId, taskCount);
            agent.enrolAgentsOf(tasks);
            results = tasks.stream().map(r -> withSummary(TestAgent.healthyResult(r.task()), summary)).toList();
            closingReports = tasks.stream().filter(r -> r.task().kind() == ProbeKind.RESPOND)
                    .map(r -> TestAgent.closingReport(r.task())).toList();
        }
        int half = taskCount / 2;
        try (KafkaProducer<String, byte[]> producer = TestAgent.producer()) {
            results.subList(0, half).forEach(r -> producer.send(new ProducerRecord<>(Topics.RESULTS, surveyId,
                    TestAgent.signed(r))));
            producer.flush();
            await().atMost(Duration.ofSeconds(60)).until(() -> Db.count("SELECT count(*) FROM result WHERE survey_id = ?",
                    UUID.fromString(surveyId)) == half);
            // the first half again (a redelivery after a lost commit) in the same batches as the second half
            results.forEach(r -> producer.send(new ProducerRecord<>(Topics.RESULTS, surveyId, TestAgent.signed(r))));
            closingReports.forEach(r -> producer.send(new ProducerRecord<>(Topics.RESULTS, surveyId, TestAgent.signed(r))));
        }
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> Api.admin().get("/surveys/{id}", surveyId).then()
                .body("state", equalTo("completed")).body("completion", equalTo("all-results")));
        UUID id = UUID.fromString(surveyId);
        assertThat(Db.count("SELECT count(*) FROM result WHERE survey_id = ?", id))
                .isEqualTo(taskCount + closingReports.size());
        assertThat(Db.count("SELECT count(*) FROM result r JOIN task_answer a ON a.survey_id = r.survey_id "
                + "AND a.task_id = r.task_id AND a.result_id = r.result_id WHERE r.survey_id = ?", id)).isEqualTo(taskCount);
        assertThat(Db.count("SELECT answered FROM survey WHERE id = ?", id)).isEqualTo(taskCount);
        assertThat(Db.count("SELECT count(*) FROM result WHERE survey_id = ? AND summary = ? AND body ->> 'summary' = ?",
                id, summary, summary)).isEqualTo(taskCount);
        assertThat(Db.count("SELECT count(*) FROM latest_status WHERE survey_id = ? AND summary = ?", id, summary))
                .isPositive();

        // deleting the site takes the survey's answers along (a statement trigger on survey, no foreign key)
        Api.admin().delete("/sites/{id}", site).then().statusCode(204);
        assertThat(Db.count("SELECT count(*) FROM survey WHERE id = ?", id)).isZero();
        assertThat(Db.count("SELECT count(*) FROM task_answer WHERE survey_id = ?", id)).isZero();
        assertThat(Db.count("SELECT count(*) FROM window_report WHERE survey_id = ?", id)).isZero();
    }

    private static ProbeResult withSummary(ProbeResult r, String summary) {
        return new ProbeResult(r.schemaVersion(), r.resultId(), r.taskId(), r.surveyId(), r.siteId(), r.vantage(),
                r.agentId(), r.agentVersion(), r.requirementId(), r.kind(), r.target(), r.ports(), r.outcome(),
                r.sourceAddress(), r.destinationAddress(), r.addressFamily(), r.protocol(), r.startedAt(),
                r.timingsMicros(), summary, r.evidence());
    }
}
