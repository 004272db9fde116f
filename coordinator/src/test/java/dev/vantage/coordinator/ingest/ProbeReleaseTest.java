package dev.vantage.coordinator.ingest;

import dev.vantage.coordinator.Api;
import dev.vantage.coordinator.Db;
import dev.vantage.coordinator.TestAgent;
import dev.vantage.testing.TestInfrastructure;
import dev.vantage.wire.ProbeKind;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A survey's probes wait for its responder windows: they go out as soon as every window has reported open, not a
 * fixed lead after the responders. Here the lead is ten minutes, so probes that arrive within the test arrived
 * because the windows reported; a survey with one window unreported keeps its probes for the lead (DispatcherTest
 * sees them go out when a lead of 5 s has passed with no report at all).
 */
@QuarkusTest
@WithTestResource(TestInfrastructure.class)
@TestProfile(ProbeReleaseTest.LongLead.class)
class ProbeReleaseTest {

    /** A responder lead far beyond the test's waits. */
    public static final class LongLead implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("vantage.surveys.responder-lead", "10m");
        }
    }

    @Test
    void probesGoOutAsSoonAsEveryResponderWindowReportedOpen() {
        String site = Api.createExampleSite("release");
        JsonPath survey = Api.startSurvey(site, "pre-install");
        String surveyId = survey.getString("id");
        int taskCount = survey.getInt("taskCount");
        long windows = responders(surveyId);
        try (TestAgent agent = new TestAgent(site)) {
            List<TestAgent.Received> opened = agent.receive(surveyId, (int) windows);
            assertThat(opened).allSatisfy(r -> assertThat(r.task().kind()).isEqualTo(ProbeKind.RESPOND));
            opened.forEach(r -> agent.send(TestAgent.healthyResult(r.task())));

            List<TestAgent.Received> probes = agent.receive(surveyId, (int) (taskCount - windows));
            assertThat(probes).as("the probes, long before the lead of 10 minutes")
                    .allSatisfy(r -> assertThat(r.task().kind()).isNotEqualTo(ProbeKind.RESPOND));
        }
    }

    @Test
    void probesWaitForTheLeadWhileOneWindowHasNotReported() {
        String site = Api.createExampleSite("release-missing");
        JsonPath survey = Api.startSurvey(site, "pre-install");
        String surveyId = survey.getString("id");
        UUID id = UUID.fromString(surveyId);
        long windows = responders(surveyId);
        assertThat(windows).as("a pre-install survey of the example site has several windows").isGreaterThan(1);
        try (TestAgent agent = new TestAgent(site)) {
            List<TestAgent.Received> opened = agent.receive(surveyId, (int) windows);
            opened.stream().skip(1).forEach(r -> agent.send(TestAgent.healthyResult(r.task())));
            // the reports are stored (in the transaction that would have released the probes)
            await().atMost(Duration.ofSeconds(60)).until(() -> Db.count(
                    "SELECT count(*) FROM task_answer WHERE survey_id = ?", id) == windows - 1);
        }
        assertThat(Db.count("SELECT count(*) FROM outbox WHERE survey_id = ? AND not_before < created_at + "
                + "interval '10 minutes'", id)).as("probes released early").isZero();
        assertThat(Db.count("SELECT count(*) FROM outbox WHERE survey_id = ?", id))
                .as("the probes still wait").isEqualTo(survey.getInt("taskCount") - windows);
    }

    private static long responders(String surveyId) {
        return Db.count("SELECT count(*) FROM survey_task WHERE survey_id = ? AND task::jsonb->>'kind' = 'respond'",
                UUID.fromString(surveyId));
    }
}
