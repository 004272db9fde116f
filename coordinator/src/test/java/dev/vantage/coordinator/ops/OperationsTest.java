package dev.vantage.coordinator.ops;

import dev.vantage.coordinator.Db;
import dev.vantage.testing.TestInfrastructure;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.time.YearMonth;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;

/** Health, metrics, the OpenAPI document and the result partitions, as operations sees them. */
@QuarkusTest
@WithTestResource(TestInfrastructure.class)
class OperationsTest {

    @Test
    void readinessChecksPostgresAndKafka() {
        given().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"))
                .body("checks.name", hasItems("Database connections health check", "Kafka connection health check"));
    }

    @Test
    void prometheusMetricsNameDispatchIngestLagAndSurveys() {
        given().get("/q/metrics").then().statusCode(200)
                .body(containsString("vantage_tasks_dispatched_total"))
                .body(containsString("vantage_results_ingested_total"))
                .body(containsString("vantage_results_dead_lettered_total"))
                .body(containsString("vantage_results_refused_total{reason=\"key-not-bound\"}"))
                .body(containsString("vantage_ingest_lag_seconds"))
                .body(containsString("vantage_ingest_retries_total"))
                .body(containsString("vantage_surveys{state=\"running\"}"));
    }

    @Test
    void openApiDocumentDescribesTheApi() {
        given().queryParam("format", "json").get("/q/openapi").then().statusCode(200)
                .body("paths.keySet()", hasItems("/sites", "/sites/{id}/surveys", "/surveys/{id}/report",
                        "/sites/{id}/matrix", "/sites/{id}/history", "/tokens"));
    }

    @Test
    @SuppressWarnings("unchecked")
    void openApiErrorResponsesReferToTheProblemSchema() {
        Map<String, Object> doc = given().queryParam("format", "json").get("/q/openapi").then().statusCode(200)
                .extract().jsonPath().getMap("");
        Map<String, Object> paths = (Map<String, Object>) doc.get("paths");
        assertThat(problemRef(paths, "/sites/{id}", "get", "404")).isEqualTo("#/components/schemas/Problem");
        assertThat(problemRef(paths, "/sites/{id}/surveys", "post", "400")).isEqualTo("#/components/schemas/Problem");
        assertThat(problemRef(paths, "/sites", "post", "422")).isEqualTo("#/components/schemas/Problem");
        assertThat(problemRef(paths, "/sites", "get", "401")).isEqualTo("#/components/schemas/Problem");
        Map<String, Object> problem = (Map<String, Object>) ((Map<String, Object>) ((Map<String, Object>)
                doc.get("components")).get("schemas")).get("Problem");
        assertThat((Map<String, Object>) problem.get("properties")).containsKeys("type", "title", "status", "detail",
                "field", "value");
    }

    @SuppressWarnings("unchecked")
    private static Object problemRef(Map<String, Object> paths, String path, String method, String status) {
        Map<String, Object> op = (Map<String, Object>) ((Map<String, Object>) paths.get(path)).get(method);
        Map<String, Object> response = (Map<String, Object>) ((Map<String, Object>) op.get("responses")).get(status);
        assertThat(response).as(method + " " + path + " " + status).isNotNull();
        Map<String, Object> content = (Map<String, Object>) response.get("content");
        return ((Map<String, Object>) ((Map<String, Object>) content.get("application/problem+json")).get("schema"))
                .get("$ref");
    }

    @Test
    void resultPartitionsExistForTheMonthsAhead() {
        YearMonth now = YearMonth.now(ZoneOffset.UTC);
        for (int ahead = -1; ahead <= 3; ahead++) {
            String name = "result_" + now.plusMonths(ahead).format(DateTimeFormatter.ofPattern("yyyy_MM"));
            assertThat(Db.count("SELECT count(*) FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid "
                    + "WHERE i.inhparent = 'result'::regclass AND c.relname = ?", name)).as(name).isEqualTo(1);
        }
    }
}
