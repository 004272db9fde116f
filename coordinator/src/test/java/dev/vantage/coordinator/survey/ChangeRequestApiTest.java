package dev.vantage.coordinator.survey;

import dev.vantage.coordinator.Api;
import dev.vantage.coordinator.TestAgent;
import dev.vantage.testing.TestInfrastructure;
import dev.vantage.wire.Outcome;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

/**
 * {@code GET /surveys/{id}/change-request} over a post-install survey of the example site whose trunk finds SIP over
 * TLS (TCP 5061) filtered on the public address while the stack answers it inside: the perimeter forward is missing,
 * and the change request says which forward to add.
 */
@QuarkusTest
@WithTestResource(TestInfrastructure.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ChangeRequestApiTest {
    private static final String BROKEN = "inbound.sips";
    private String site;
    private String survey;

    /** Lazily, once: RestAssured knows the application's port only once a test method runs. */
    private void survey() {
        if (site != null) {
            return;
        }
        site = Api.createExampleSite("change");
        JsonPath started = Api.startSurvey(site, "post-install");
        survey = started.getString("id");
        try (TestAgent agent = new TestAgent(site)) {
            List<TestAgent.Received> tasks = agent.receive(survey, started.getInt("taskCount"));
            tasks.forEach(r -> agent.send(
                    r.task().requirementId().equals(BROKEN) && r.task().vantage().equals("trunk")
                            ? TestAgent.result(r.task(), Outcome.FILTERED, r.task().agentId())
                            : TestAgent.healthyResult(r.task())));
            // as agents do when their windows end, so the survey need not wait out the receipt grace
            agent.sendClosingReports(tasks);
        }
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> Api.admin().get("/surveys/{id}", survey).then()
                .body("state", equalTo("completed")));
    }

    @Test
    void namesTheForwardToAddAsJson() {
        survey();
        JsonPath cr = Api.admin().get("/surveys/{id}/change-request", survey).then().statusCode(200)
                .contentType(startsWith("application/json")).extract().jsonPath();
        assertThat(cr.getString("siteId")).isEqualTo(site);
        assertThat(cr.getList("devices.device.kind", String.class)).containsExactly("PERIMETER_FIREWALL");
        String change = "devices[0].changes[0]";
        assertThat(cr.getString(change + ".kind")).isEqualTo("ADD_PORT_FORWARD");
        assertThat(cr.getString(change + ".flow.protocol")).isEqualTo("tcp");
        assertThat(cr.getString(change + ".flow.publicAddress")).isEqualTo("203.0.113.10");
        assertThat(cr.getList(change + ".flow.publicPorts", String.class)).containsExactly("5061");
        assertThat(cr.getString(change + ".flow.internalAddress")).isEqualTo("10.20.0.10");
        assertThat(cr.getList(change + ".requirements", String.class)).containsExactly(BROKEN);
        assertThat(cr.getList(change + ".evidence.codes", String.class)).containsExactly("PERIMETER_FORWARD_MISSING");
        assertThat(cr.getString(change + ".snippets.nftables")).contains("tcp dport 5061 dnat ip to 10.20.0.10");
    }

    @Test
    void comesAsMarkdownAndCsvAndRefusesOtherFormats() {
        survey();
        Api.admin().accept("text/markdown").get("/surveys/{id}/change-request", survey).then().statusCode(200)
                .contentType(startsWith("text/markdown"))
                .body(containsString("# Change request for site " + site))
                .body(containsString("Forward TCP 5061 on 203.0.113.10 to 10.20.0.10"));
        String csv = Api.admin().queryParam("format", "csv").get("/surveys/{id}/change-request", survey).then()
                .statusCode(200).contentType(startsWith("text/csv")).extract().asString();
        assertThat(csv).startsWith("section,id,device_kind,").contains("\r\nchange,perimeter-firewall-1,PERIMETER_FIREWALL,");
        Api.admin().queryParam("format", "pdf").get("/surveys/{id}/change-request", survey).then().statusCode(400)
                .body("field", equalTo("format")).body("value", equalTo("pdf"));
    }

    @Test
    void isPartOfTheSurveyReport() {
        survey();
        Api.admin().get("/surveys/{id}/report", survey).then().statusCode(200)
                .body("changeRequest.devices[0].changes[0].kind", equalTo("ADD_PORT_FORWARD"));
        Api.admin().queryParam("format", "markdown").get("/surveys/{id}/report", survey).then().statusCode(200)
                .body(containsString("## Change request"))
                .body(containsString("### Perimeter firewall / NAT"));
    }

    @Test
    void aRunningSurveyHasNoneYetAndAnotherSitesTokenSeesNone() {
        survey();
        String running = Api.startSurvey(Api.createExampleSite("change-running"), "post-install").getString("id");
        Api.admin().get("/surveys/{id}/change-request", running).then().statusCode(409)
                .body("detail", containsString("written when it completes"));
        String other = Api.createExampleSite("change-other");
        String limited = Api.admin().contentType("application/json")
                .body(Map.of("name", "limited-" + other, "role", "viewer", "sites", List.of(other)))
                .post("/tokens").then().statusCode(201).extract().path("secret");
        Api.as(limited).get("/surveys/{id}/change-request", survey).then().statusCode(404);
        Api.as(limited).get("/surveys/{id}/report", survey).then().statusCode(404);
    }
}
