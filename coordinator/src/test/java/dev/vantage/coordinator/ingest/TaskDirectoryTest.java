package dev.vantage.coordinator.ingest;

import dev.vantage.coordinator.Api;
import dev.vantage.testing.TestInfrastructure;
import dev.vantage.testing.TestPostgres;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** The tasks ingest checks results against: as in survey_task, whether kept in memory or looked up. */
@QuarkusTest
@WithTestResource(TestInfrastructure.class)
class TaskDirectoryTest {

    /** Every task of the survey as survey_task has it. */
    private static Map<TaskDirectory.Key, TaskDirectory.Task> dispatched(Connection c, UUID survey) throws Exception {
        Map<TaskDirectory.Key, TaskDirectory.Task> out = new HashMap<>();
        try (PreparedStatement s = c.prepareStatement("SELECT t.task_id, t.agent_id, s.site_id, t.vantage, "
                + "t.requirement_id, s.created_at FROM survey_task t JOIN survey s ON s.id = t.survey_id "
                + "WHERE t.survey_id = ?")) {
            s.setObject(1, survey);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    out.put(new TaskDirectory.Key(survey, rs.getObject(1, UUID.class)), new TaskDirectory.Task(
                            rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
                            rs.getTimestamp(6).toInstant()));
                }
            }
        }
        return out;
    }

    private static UUID survey() {
        return UUID.fromString(Api.startSurvey(Api.createExampleSite("directory"), "post-install").getString("id"));
    }

    @Test
    void keepsTheRecentSurveysWithinItsCapacityAndLooksUpTheRest() throws Exception {
        UUID a = survey();
        UUID b = survey();
        try (Connection c = TestPostgres.database().connect()) {
            c.setAutoCommit(false);
            Map<TaskDirectory.Key, TaskDirectory.Task> tasksA = dispatched(c, a);
            Map<TaskDirectory.Key, TaskDirectory.Task> tasksB = dispatched(c, b);
            assertThat(tasksA).hasSizeGreaterThan(10);

            // room for one survey: reading B drops A
            TaskDirectory directory = new TaskDirectory(Math.max(tasksA.size(), tasksB.size()));
            assertThat(directory.find(c, tasksA.keySet())).isEqualTo(tasksA);
            assertThat(directory.kept()).isEqualTo(tasksA.size());
            assertThat(directory.find(c, tasksB.keySet())).isEqualTo(tasksB);
            assertThat(directory.kept()).isEqualTo(tasksB.size());

            // made-up ids: nothing found, nothing kept
            List<TaskDirectory.Key> unknown = new ArrayList<>(List.of(new TaskDirectory.Key(UUID.randomUUID(),
                    UUID.randomUUID()), new TaskDirectory.Key(b, UUID.randomUUID())));
            assertThat(directory.find(c, unknown)).isEmpty();
            assertThat(directory.kept()).isEqualTo(tasksB.size());

            // a survey larger than the capacity is looked up batch by batch, with the same answers
            TaskDirectory small = new TaskDirectory(tasksA.size() - 1);
            List<TaskDirectory.Key> mixed = new ArrayList<>(tasksA.keySet());
            mixed.addAll(unknown);
            assertThat(small.find(c, mixed)).isEqualTo(tasksA);
            assertThat(small.kept()).isZero();
            c.rollback();
        }
    }

    @Test
    void theTasksOfADeletedSurveyAreNoLongerFound() throws Exception {
        String site = Api.createExampleSite("deleted");
        UUID survey = UUID.fromString(Api.startSurvey(site, "post-install").getString("id"));
        try (Connection c = TestPostgres.database().connect()) {
            Map<TaskDirectory.Key, TaskDirectory.Task> tasks = dispatched(c, survey);
            TaskDirectory directory = new TaskDirectory(1_000_000);
            assertThat(directory.find(c, tasks.keySet())).isEqualTo(tasks);
            assertThat(directory.kept()).isEqualTo(tasks.size());

            Api.admin().delete("/sites/{id}", site).then().statusCode(204); // its surveys go with it
            assertThat(directory.find(c, tasks.keySet())).as("late results of a deleted survey are unknown").isEmpty();
            assertThat(directory.kept()).isZero();
        }
    }
}
