package dev.vantage.coordinator.registry;

import dev.vantage.coordinator.Api;
import dev.vantage.coordinator.Db;
import dev.vantage.coordinator.TestAgent;
import dev.vantage.testing.KafkaClients;
import dev.vantage.testing.TestInfrastructure;
import dev.vantage.testing.TestKafka;
import dev.vantage.trust.Ed25519Keys;
import dev.vantage.wire.Heartbeat;
import dev.vantage.wire.Topics;
import dev.vantage.wire.Wire;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.security.KeyPair;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;

/**
 * Enrolment: the site file approves the agents it lists, everything else waits for an operator, and surveys
 * use trusted agents only, saying why they left one out.
 */
@QuarkusTest
@WithTestResource(TestInfrastructure.class)
class EnrolmentTest {

    @Test
    void listedAgentIsApprovedByItsSiteFileWithItsFirstHeartbeat() throws Exception {
        String site = Api.createExampleSite("enrol");
        String agent = site + "-berlin-lan";
        heartbeat(agent, site, List.of("end-users", "admin-network"));

        awaitAgent(agent, "APPROVED");
        Api.admin().get("/agents/{id}", agent).then().statusCode(200)
                .body("decidedBy", equalTo("site file"))
                .body("vantageRoles", equalTo(List.of("end-users", "admin-network", "reporting-users")))
                .body("heartbeatProblem", equalTo(null))
                .body("key.keyId", equalTo(keyIdOf(agent))).body("key.boundBy", equalTo("site file"))
                .body("pendingKey", equalTo(null));
    }

    @Test
    void unlistedAgentIsPendingAndGetsTasksOnlyOnceApproved() throws Exception {
        String site = Api.createExampleSite("enrol");
        String agent = site + "-branch-hamburg";
        heartbeat(agent, site, List.of("end-users"));
        awaitAgent(agent, "PENDING");
        Api.admin().get("/agents/{id}", agent).then().body("vantageRoles", equalTo(List.of()))
                .body("key", equalTo(null)).body("pendingKey.keyId", equalTo(keyIdOf(agent)));

        String before = startSurvey(site);
        assertThat(tasksOf(before, agent)).isZero();
        Api.admin().get("/surveys/{id}", before).then().statusCode(200)
                .body("excludedAgents." + quoted(agent), containsString("pending approval: not listed in the site file"));

        // naming another key than the one the agent announces approves nothing
        Api.as(token("operator", List.of(site))).contentType("application/json").body(Map.of("keyId", "0".repeat(32)))
                .post("/agents/{id}/approve", agent).then().statusCode(409).body("field", equalTo("keyId"));
        Api.as(token("operator", List.of(site))).contentType("application/json").body(Map.of("keyId", keyIdOf(agent)))
                .post("/agents/{id}/approve", agent).then().statusCode(200)
                .body("enrolment", equalTo("APPROVED"))
                .body("vantageRoles", equalTo(List.of("end-users")))
                .body("decidedBy", startsWith("t-operator-"))
                .body("key.keyId", equalTo(keyIdOf(agent))).body("key.boundBy", startsWith("t-operator-"))
                .body("pendingKey", equalTo(null));

        String after = startSurvey(site);
        assertThat(tasksOf(after, agent)).isPositive();
        assertThat(Db.count("SELECT count(*) FROM survey_task WHERE survey_id = ?::uuid AND agent_id = ? "
                + "AND vantage <> 'end-users'", after, agent)).as("only its approved role").isZero();
        Api.admin().get("/surveys/{id}", after).then().body("excludedAgents", not(hasKey(agent)));
    }

    @Test
    void rejectedListedAgentGetsNoTasksAndItsRequirementsSayWhyTheyAreUntested() throws Exception {
        String site = Api.createExampleSite("enrol");
        String agent = site + "-cloud-1"; // the site's only internet vantage
        heartbeat(agent, site, List.of("internet"));
        awaitAgent(agent, "APPROVED");

        Api.as(token("operator", null)).post("/agents/{id}/reject", agent).then().statusCode(200)
                .body("enrolment", equalTo("REJECTED")).body("vantageRoles", equalTo(List.of()));

        // nobody answers: the survey completes at its deadline, just over the test profile's responder lead (1 s)
        String survey = Api.admin().contentType("application/json").body(Map.of("mode", "post-install", "deadline", "PT3S"))
                .post("/sites/{id}/surveys", site).then().statusCode(201).extract().path("id");
        assertThat(tasksOf(survey, agent)).isZero();
        Api.admin().get("/surveys/{id}", survey).then().body("excludedAgents." + quoted(agent), startsWith("rejected by t-operator-"));

        await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                Api.admin().get("/surveys/{id}", survey).then().body("state", equalTo("completed")));
        List<Map<String, Object>> untested = Api.admin().get("/surveys/{id}/verdicts", survey).then().statusCode(200)
                .extract().jsonPath().getList("findAll { it.verdict == 'UNTESTED' && it.diagnosis.contains('" + agent
                        + " is not used: rejected') }");
        assertThat(untested).as("requirements only the internet vantage proves").isNotEmpty();

        // a later heartbeat changes nothing: the operator's decision holds. It announces a new version, so that
        // the registry shows when it has been taken in.
        heartbeat(agent, site, List.of("internet"), "0.2.0");
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                Api.admin().get("/agents/{id}", agent).then().statusCode(200).body("version", equalTo("0.2.0")));
        Api.admin().get("/agents/{id}", agent).then().body("enrolment", equalTo("REJECTED"))
                .body("vantageRoles", equalTo(List.of()));
    }

    @Test
    void heartbeatClaimingRolesTheSiteDoesNotGiveIsRecordedAndNotTrusted() throws Exception {
        String site = Api.createExampleSite("enrol");
        String agent = site + "-berlin-pbx";
        heartbeat(agent, site, List.of("pbx", "internet"));

        awaitAgent(agent, "PENDING");
        Api.admin().get("/agents/{id}", agent).then()
                .body("heartbeatProblem", containsString("claims roles [internet] that site '" + site + "' does not give it"));
        String survey = startSurvey(site);
        assertThat(tasksOf(survey, agent)).isZero();
        Api.admin().get("/surveys/{id}", survey).then()
                .body("excludedAgents." + quoted(agent), containsString("its heartbeat was not trusted (claims roles [internet]"));
    }

    @Test
    void heartbeatForASiteThatDoesNotExistIsRecordedAndCannotBeApproved() throws Exception {
        String agent = "stray-" + UUID.randomUUID();
        heartbeat(agent, "no-such-site-" + UUID.randomUUID(), List.of("end-users"));

        awaitAgent(agent, "PENDING");
        Api.admin().get("/agents/{id}", agent).then().body("heartbeatProblem", containsString("which does not exist"));
        Api.admin().contentType("application/json").body("{}").post("/agents/{id}/approve", agent).then()
                .statusCode(409).body("field", equalTo("siteId"));
    }

    @Test
    void approvalNeedsAnOperatorWhoMaySeeTheSiteAndRolesOfTheCatalog() throws Exception {
        String site = Api.createExampleSite("enrol");
        String agent = site + "-branch-munich";
        heartbeat(agent, site, List.of("end-users"));
        awaitAgent(agent, "PENDING");

        Api.as(token("viewer", null)).contentType("application/json").body("{}").post("/agents/{id}/approve", agent)
                .then().statusCode(403);
        Api.as(token("operator", List.of("some-other-site"))).contentType("application/json").body("{}")
                .post("/agents/{id}/approve", agent).then().statusCode(404);
        Api.as(token("operator", List.of("some-other-site"))).post("/agents/{id}/reject", agent).then().statusCode(404);
        Api.admin().contentType("application/json").body(Map.of("roles", List.of("end-users", "moon-base")))
                .post("/agents/{id}/approve", agent).then().statusCode(400)
                .body("field", equalTo("roles")).body("value", equalTo("moon-base"));
        Api.admin().get("/agents/{id}", agent).then().body("enrolment", equalTo("PENDING"));

        Api.as(token("admin", null)).contentType("application/json").body(Map.of("roles", List.of("jtel-support")))
                .post("/agents/{id}/approve", agent).then().statusCode(200)
                .body("vantageRoles", equalTo(List.of("jtel-support")));
        // it claims end-users, it was approved for jtel-support: the claim is recorded, not trusted
        heartbeat(agent, site, List.of("end-users"));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> Api.admin().get("/agents/{id}", agent).then()
                .body("heartbeatProblem", containsString("claims roles [end-users]"))
                .body("enrolment", equalTo("APPROVED"))
                .body("vantageRoles", equalTo(List.of("jtel-support"))));
    }

    private static String keyIdOf(String agent) {
        return Ed25519Keys.fingerprint(TestAgent.keyOf(agent).getPublic());
    }

    private static String startSurvey(String site) {
        return Api.admin().contentType("application/json").body(Map.of("mode", "post-install"))
                .post("/sites/{id}/surveys", site).then().statusCode(201).extract().path("id");
    }

    private static long tasksOf(String survey, String agent) {
        return Db.count("SELECT count(*) FROM survey_task WHERE survey_id = ?::uuid AND agent_id = ?", survey, agent);
    }

    private static String quoted(String key) {
        return "'" + key + "'";
    }

    private static String token(String role, List<String> sites) {
        String name = "t-" + role + "-" + UUID.randomUUID();
        Map<String, Object> body = sites == null ? Map.of("name", name, "role", role)
                : Map.of("name", name, "role", role, "sites", sites);
        return Api.admin().contentType("application/json").body(body).post("/tokens").then().statusCode(201)
                .extract().path("secret");
    }

    private static void awaitAgent(String agent, String enrolment) {
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                Api.admin().get("/agents/{id}", agent).then().statusCode(200).body("enrolment", equalTo(enrolment)));
    }

    private static void heartbeat(String agent, String site, List<String> roles) throws Exception {
        heartbeat(agent, site, roles, "0.1.0");
    }

    private static void heartbeat(String agent, String site, List<String> roles, String version) throws Exception {
        KeyPair key = TestAgent.keyOf(agent);
        KafkaClients.send(TestKafka.bootstrapServers(), Topics.HEARTBEATS, agent, Wire.encode(new Heartbeat(
                Wire.SCHEMA_VERSION, agent, site, roles, version, List.of("tcp", "udp", "dns"), Instant.now(),
                Ed25519Keys.encode(key.getPublic()), Ed25519Keys.fingerprint(key.getPublic()))));
    }
}
