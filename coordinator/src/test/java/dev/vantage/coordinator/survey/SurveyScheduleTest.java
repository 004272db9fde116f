package dev.vantage.coordinator.survey;

import dev.vantage.coordinator.Api;
import dev.vantage.coordinator.Db;
import dev.vantage.testing.TestInfrastructure;
import dev.vantage.testing.TestPostgres;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Instant;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;

/** Surveys on a schedule: set over REST, started when due, once per due time. */
@QuarkusTest
@WithTestResource(TestInfrastructure.class)
class SurveyScheduleTest {

    @Inject
    SurveySchedules schedules;

    @Test
    void aDueScheduleStartsOneSurveyAndMovesToItsNextTime() throws Exception {
        String site = Api.createExampleSite("scheduled");
        Api.admin().contentType(ContentType.JSON).body(Map.of("cron", "0 6 * * 1-5", "mode", "post-install"))
                .put("/sites/{id}/schedule", site).then().statusCode(200)
                .body("cron", equalTo("0 6 * * 1-5")).body("nextRunAt", notNullValue())
                .body("mediaResponder", equalTo(true));
        assertThat(Db.count("SELECT count(*) FROM survey WHERE site_id = ?", site)).isZero();

        makeDue(site);
        schedules.runDue();
        schedules.runDue(); // the second pass finds nothing due: one survey per due time

        assertThat(Db.count("SELECT count(*) FROM survey WHERE site_id = ? AND created_by = 'schedule'", site)).isEqualTo(1);
        assertThat(Db.count("SELECT count(*) FROM survey WHERE site_id = ? AND media_responder", site))
                .as("the media option is on unless switched off").isEqualTo(1);
        String next = Api.admin().get("/sites/{id}/schedule", site).then().statusCode(200)
                .body("lastSurveyId", notNullValue()).extract().path("nextRunAt");
        Instant nextRun = Instant.parse(next);
        assertThat(nextRun).isAfter(Instant.now());
        assertThat(nextRun.atZone(java.time.ZoneOffset.UTC).getHour()).isEqualTo(6);
    }

    @Test
    void aScheduleForBusinessHoursSwitchesTheMediaOptionOff() throws Exception {
        String site = Api.createExampleSite("daytime");
        Api.admin().contentType(ContentType.JSON)
                .body(Map.of("cron", "0 11 * * 1-5", "mode", "post-install", "mediaResponder", false))
                .put("/sites/{id}/schedule", site).then().statusCode(200).body("mediaResponder", equalTo(false));
        makeDue(site);
        schedules.runDue();
        assertThat(Db.count("SELECT count(*) FROM survey WHERE site_id = ? AND NOT media_responder", site)).isEqualTo(1);
        assertThat(Db.count("SELECT count(*) FROM survey_task t JOIN survey s ON s.id = t.survey_id WHERE s.site_id = ? "
                + "AND t.task::jsonb -> 'params' ->> 'freeOnly' = 'true'", site)).as("no window beside the services")
                .isZero();
    }

    @Test
    void aBadCronIsAProblemNamingTheField() {
        String site = Api.createExampleSite("badcron");
        Api.admin().contentType(ContentType.JSON).body(Map.of("cron", "every monday", "mode", "post-install"))
                .put("/sites/{id}/schedule", site).then().statusCode(400)
                .body("field", equalTo("cron")).body("value", equalTo("every monday"));
        Api.admin().contentType(ContentType.JSON).body(Map.of("cron", "0 6 * * *", "mode", "sometime"))
                .put("/sites/{id}/schedule", site).then().statusCode(400).body("field", equalTo("mode"));
    }

    @Test
    void aScheduleCanBeRemovedAndIsSiteScoped() {
        String site = Api.createExampleSite("unscheduled");
        Api.admin().contentType(ContentType.JSON).body(Map.of("cron", "30 2 * * *", "mode", "pre-install"))
                .put("/sites/{id}/schedule", site).then().statusCode(200);
        Api.admin().delete("/sites/{id}/schedule", site).then().statusCode(204);
        Api.admin().get("/sites/{id}/schedule", site).then().statusCode(404);
        Api.admin().contentType(ContentType.JSON).body(Map.of("cron", "30 2 * * *", "mode", "pre-install"))
                .put("/sites/{id}/schedule", "no-such-site").then().statusCode(404);
    }

    private static void makeDue(String site) throws Exception {
        try (Connection c = TestPostgres.database().connect();
             PreparedStatement s = c.prepareStatement(
                     "UPDATE survey_schedule SET next_run_at = now() - interval '1 minute' WHERE site_id = ?")) {
            s.setString(1, site);
            assertThat(s.executeUpdate()).isEqualTo(1);
        }
    }
}
