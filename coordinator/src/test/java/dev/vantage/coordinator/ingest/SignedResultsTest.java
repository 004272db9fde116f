package dev.vantage.coordinator.ingest;

import dev.vantage.coordinator.Api;
import dev.vantage.coordinator.DeadLetterReader;
import dev.vantage.coordinator.Db;
import dev.vantage.coordinator.TestAgent;
import dev.vantage.testing.TestInfrastructure;
import dev.vantage.trust.Ed25519Keys;
import dev.vantage.wire.Outcome;
import dev.vantage.wire.ProbeResult;
import dev.vantage.wire.ProbeTask;
import dev.vantage.wire.SignedResult;
import dev.vantage.wire.Wire;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.security.KeyPair;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

/**
 * A result counts only when it is signed with the key bound to the agent its task was signed for: on the real broker
 * and database, with agents that enrol by their heartbeats as real ones do. Each refused result is dead-lettered with
 * the reason, counted by cause, and answers nothing: the task stays open for the real result.
 */
@QuarkusTest
@WithTestResource(TestInfrastructure.class)
class SignedResultsTest {
    @Inject
    MeterRegistry metrics;

    @Test
    void aSiblingForgingAnotherAgentsResultIsRefusedAndTheRealResultCounts() {
        String site = Api.createExampleSite("forged");
        JsonPath survey = Api.startSurvey(site, "post-install");
        String surveyId = survey.getString("id");
        int taskCount = survey.getInt("taskCount");
        try (TestAgent agents = new TestAgent(site)) {
            List<TestAgent.Received> tasks = agents.receive(surveyId, taskCount);
            agents.enrolAgentsOf(tasks);
            ProbeTask victim = tasks.stream().map(TestAgent.Received::task)
                    .filter(t -> t.agentId().equals(site + "-cloud-1")).findFirst().orElseThrow();
            String sibling = site + "-berlin-lan"; // same site: it reads the internet agent's task ids
            KeyPair siblingKey = TestAgent.keyOf(sibling);
            double keyNotBound = refused("key-not-bound");

            // the right task id, the victim named, signed with the sibling's own (bound) key: first on the topic
            ProbeResult asVictim = TestAgent.result(victim, Outcome.OPEN, victim.agentId());
            agents.sendSignedBy(asVictim, siblingKey);
            // naming itself instead: the task was not sent to it
            ProbeResult asItself = TestAgent.result(victim, Outcome.OPEN, sibling);
            agents.sendSignedBy(asItself, siblingKey);
            assertThat(DeadLetterReader.find(d -> d.reason() != null && d.reason().contains(asVictim.resultId())).reason())
                    .contains("is signed with key " + Ed25519Keys.fingerprint(siblingKey.getPublic())
                            + ", not with the key bound to " + victim.agentId());
            assertThat(DeadLetterReader.find(d -> d.reason() != null && d.reason().contains(asItself.taskId())
                    && d.reason().contains("names agent " + sibling)).reason()).contains("was sent to agent " + victim.agentId());
            await().atMost(Duration.ofSeconds(30)).until(() -> refused("key-not-bound") >= keyNotBound + 1);
            assertThat(answerOf(surveyId, victim.taskId())).as("the forgeries answered nothing").isZero();

            ProbeResult real = TestAgent.result(victim, Outcome.FILTERED, victim.agentId());
            agents.send(real);
            tasks.stream().map(TestAgent.Received::task).filter(t -> !t.taskId().equals(victim.taskId()))
                    .forEach(t -> agents.send(TestAgent.healthyResult(t)));
            agents.sendClosingReports(tasks); // the responder windows report what reached them, signed like the rest
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> Api.admin().get("/surveys/{id}", surveyId).then()
                    .body("state", equalTo("completed")).body("completion", equalTo("all-results")));
            assertThat(Db.count("SELECT count(*) FROM task_answer WHERE survey_id = ? AND task_id = ? AND result_id = ?",
                    UUID.fromString(surveyId), UUID.fromString(victim.taskId()), UUID.fromString(real.resultId())))
                    .as("the real result answers the task").isEqualTo(1);
            assertThat(Db.count("SELECT count(*) FROM result WHERE survey_id = ? AND result_id IN (?, ?)",
                    UUID.fromString(surveyId), UUID.fromString(asVictim.resultId()), UUID.fromString(asItself.resultId())))
                    .isZero();
        }
    }

    @Test
    void aHeartbeatWithAnotherKeyDoesNotMoveTrustUntilAnOperatorApprovesTheKey() throws Exception {
        String site = Api.createExampleSite("rekey");
        JsonPath survey = Api.startSurvey(site, "post-install");
        String surveyId = survey.getString("id");
        try (TestAgent agents = new TestAgent(site)) {
            List<ProbeTask> tasks = agents.receive(surveyId, survey.getInt("taskCount")).stream()
                    .map(TestAgent.Received::task).toList();
            ProbeTask first = tasks.stream().filter(t -> t.agentId().equals(site + "-berlin-lan")).findFirst().orElseThrow();
            ProbeTask second = tasks.stream().filter(t -> t.agentId().equals(first.agentId()) && t != first)
                    .findFirst().orElseThrow();
            String agent = first.agentId();
            agents.enrol(agent, site, first.vantage());
            KeyPair old = TestAgent.keyOf(agent);
            String oldId = Ed25519Keys.fingerprint(old.getPublic());

            // the agent (or someone with its Kafka credentials) now announces another key
            KeyPair swapped = Ed25519Keys.generate();
            String newId = Ed25519Keys.fingerprint(swapped.getPublic());
            TestAgent.heartbeat(agent, site, List.of(first.vantage()), swapped);
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> Api.admin().get("/agents/{id}", agent).then()
                    .body("pendingKey.keyId", equalTo(newId))
                    .body("pendingKey.publicKey", equalTo(Ed25519Keys.encode(swapped.getPublic())))
                    .body("key.keyId", equalTo(oldId)).body("enrolment", equalTo("APPROVED")));

            ProbeResult result = TestAgent.healthyResult(first);
            agents.sendSignedBy(result, swapped);
            assertThat(DeadLetterReader.find(d -> d.reason() != null && d.reason().contains(result.resultId())).reason())
                    .contains("is signed with key " + newId + ", not with the key bound to " + agent + ", " + oldId);
            assertThat(answerOf(surveyId, first.taskId())).isZero();

            // only an operator approves it, and only by naming the key the agent announces
            Api.as(token("viewer")).contentType("application/json").body(Map.of("keyId", newId))
                    .post("/agents/{id}/key/approve", agent).then().statusCode(403);
            Api.as(token("operator")).contentType("application/json").body(Map.of("keyId", oldId))
                    .post("/agents/{id}/key/approve", agent).then().statusCode(409).body("field", equalTo("keyId"));
            Api.as(token("operator")).contentType("application/json").body("{}")
                    .post("/agents/{id}/key/approve", agent).then().statusCode(400).body("field", equalTo("keyId"));
            Api.as(token("operator")).contentType("application/json").body(Map.of("keyId", newId))
                    .post("/agents/{id}/key/approve", agent).then().statusCode(200)
                    .body("key.keyId", equalTo(newId)).body("pendingKey", nullValue());

            // the same result re-sent now counts; one signed with the old key no longer does
            agents.sendSignedBy(result, swapped);
            await().atMost(Duration.ofSeconds(60)).until(() -> answerOf(surveyId, first.taskId()) == 1);
            ProbeResult withOldKey = TestAgent.healthyResult(second);
            agents.sendSignedBy(withOldKey, old);
            assertThat(DeadLetterReader.find(d -> d.reason() != null && d.reason().contains(withOldKey.resultId()))
                    .reason()).contains("is signed with key " + oldId + ", not with the key bound to " + agent + ", " + newId);
            assertThat(answerOf(surveyId, second.taskId())).isZero();
        }
    }

    @Test
    void aResultChangedAfterItWasSignedIsRefused() {
        String site = Api.createExampleSite("tampered");
        JsonPath survey = Api.startSurvey(site, "post-install");
        String surveyId = survey.getString("id");
        try (TestAgent agents = new TestAgent(site)) {
            ProbeTask task = agents.receive(surveyId, survey.getInt("taskCount")).get(0).task();
            agents.enrol(task.agentId(), site, task.vantage());
            ProbeResult filtered = TestAgent.result(task, Outcome.FILTERED, task.agentId());
            SignedResult signed = Wire.decode(TestAgent.signed(filtered), SignedResult.class);
            SignedResult tampered = new SignedResult(signed.schemaVersion(), signed.keyId(),
                    signed.result().replace("\"FILTERED\"", "\"OPEN\""), signed.signature());
            assertThat(tampered.result()).isNotEqualTo(signed.result());
            double badSignature = refused("bad-signature");

            agents.send(filtered.surveyId(), Wire.encode(tampered));
            assertThat(DeadLetterReader.find(d -> d.reason() != null && d.reason().contains(filtered.resultId())).reason())
                    .contains("its signature does not verify with key " + signed.keyId() + " of agent " + task.agentId());
            await().atMost(Duration.ofSeconds(30)).until(() -> refused("bad-signature") >= badSignature + 1);
            assertThat(answerOf(surveyId, task.taskId())).isZero();

            agents.send(filtered.surveyId(), Wire.encode(signed));
            await().atMost(Duration.ofSeconds(60)).until(() -> answerOf(surveyId, task.taskId()) == 1);
            assertThat(Db.count("SELECT count(*) FROM result WHERE result_id = ? AND outcome = 'FILTERED'",
                    UUID.fromString(filtered.resultId()))).isEqualTo(1);
        }
    }

    @Test
    void anUnsignedResultAndOneOfAnAgentWithoutABoundKeyAreRefused() {
        String site = Api.createExampleSite("unsigned");
        JsonPath survey = Api.startSurvey(site, "post-install");
        String surveyId = survey.getString("id");
        try (TestAgent agents = new TestAgent(site)) {
            ProbeTask task = agents.receive(surveyId, survey.getInt("taskCount")).get(0).task();
            double unsigned = refused("unsigned");
            double noBoundKey = refused("no-bound-key");

            // what an agent from before signed results sends: the bare result, schema version 1
            ProbeResult r = TestAgent.healthyResult(task);
            ProbeResult old = new ProbeResult(1, r.resultId(), r.taskId(), r.surveyId(), r.siteId(), r.vantage(),
                    r.agentId(), r.agentVersion(), r.requirementId(), r.kind(), r.target(), r.ports(), r.outcome(),
                    r.sourceAddress(), r.destinationAddress(), r.addressFamily(), r.protocol(), r.startedAt(),
                    r.timingsMicros(), r.summary(), r.evidence());
            String key = "unsigned-" + UUID.randomUUID();
            agents.send(key, Wire.encode(old));
            assertThat(DeadLetterReader.find(d -> key.equals(d.key())).reason())
                    .isEqualTo("unsigned: the record carries no signed result (schema version 1: an agent from before "
                            + "signed results, upgrade it)");

            // signed, but the agent never announced a key, so none is bound to it
            ProbeResult early = TestAgent.healthyResult(task);
            agents.sendSignedBy(early, Ed25519Keys.generate());
            assertThat(DeadLetterReader.find(d -> d.reason() != null && d.reason().contains(early.resultId())).reason())
                    .contains("no key is bound to " + task.agentId() + " yet");
            await().atMost(Duration.ofSeconds(30)).until(() -> refused("unsigned") >= unsigned + 1
                    && refused("no-bound-key") >= noBoundKey + 1);
            assertThat(answerOf(surveyId, task.taskId())).isZero();
        }
    }

    private double refused(String reason) {
        return metrics.get("vantage.results.refused").tag("reason", reason).counter().count();
    }

    private static long answerOf(String surveyId, String taskId) {
        return Db.count("SELECT count(*) FROM task_answer WHERE survey_id = ? AND task_id = ?", UUID.fromString(surveyId),
                UUID.fromString(taskId));
    }

    private static String token(String role) {
        return Api.admin().contentType("application/json").body(Map.of("name", "t-" + role + "-" + UUID.randomUUID(),
                "role", role)).post("/tokens").then().statusCode(201).extract().path("secret");
    }
}
