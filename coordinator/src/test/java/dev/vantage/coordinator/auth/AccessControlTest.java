package dev.vantage.coordinator.auth;

import dev.vantage.coordinator.Api;
import dev.vantage.coordinator.Db;
import dev.vantage.testing.TestInfrastructure;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;

/** Tokens and roles: what each role may and may not do, and site-limited tokens. */
@QuarkusTest
@WithTestResource(TestInfrastructure.class)
class AccessControlTest {

    private static String issue(String role, List<String> sites) {
        return issueFull(role, sites).path("secret");
    }

    private static io.restassured.response.ExtractableResponse<io.restassured.response.Response> issueFull(
            String role, List<String> sites) {
        String name = "t-" + role + "-" + UUID.randomUUID();
        Map<String, Object> body = sites == null ? Map.of("name", name, "role", role)
                : Map.of("name", name, "role", role, "sites", sites);
        return Api.admin().contentType("application/json").body(body).post("/tokens").then()
                .statusCode(201).body("secret", startsWith("vtk_")).extract();
    }

    @Test
    void callWithoutTokenIsUnauthorized() {
        given().get("/sites").then().statusCode(401).header("WWW-Authenticate", "Bearer")
                .contentType("application/problem+json").body("field", equalTo("Authorization"));
    }

    @Test
    void unknownTokenIsUnauthorized() {
        Api.as("vtk_not-a-real-token").get("/sites").then().statusCode(401);
    }

    @Test
    void viewerReadsButCannotChangeSites() {
        String site = Api.createExampleSite("viewer");
        String viewer = issue("viewer", null);
        Api.as(viewer).get("/sites/{id}", site).then().statusCode(200);
        Api.as(viewer).get("/agents").then().statusCode(200);
        Api.as(viewer).contentType("application/yaml").body(Api.exampleSite(Api.newSiteId("v")).getBytes())
                .post("/sites").then().statusCode(403);
        Api.as(viewer).delete("/sites/{id}", site).then().statusCode(403);
        Api.as(viewer).get("/tokens").then().statusCode(403);
    }

    @Test
    void operatorChangesSitesButCannotDeleteThemOrManageTokens() {
        String operator = issue("operator", null);
        String id = Api.newSiteId("op");
        Api.as(operator).contentType("application/yaml").body(Api.exampleSite(id)).post("/sites").then()
                .statusCode(201);
        Api.as(operator).contentType("application/yaml").body(Api.exampleSite(id)).put("/sites/{id}", id).then()
                .statusCode(200).body("version", equalTo(2));
        Api.as(operator).delete("/sites/{id}", id).then().statusCode(403);
        Api.as(operator).contentType("application/json").body(Map.of("name", "x", "role", "viewer"))
                .post("/tokens").then().statusCode(403);
    }

    @Test
    void adminDeletesSitesAndRevokesTokens() {
        String admin = issue("admin", null);
        String id = Api.createExampleSite("adm");
        Api.as(admin).delete("/sites/{id}", id).then().statusCode(204);
        var issued = issueFull("viewer", null);
        String viewer = issued.path("secret");
        String viewerId = issued.path("id");
        Api.as(viewer).get("/sites").then().statusCode(200);
        Api.as(admin).get("/tokens").then().statusCode(200).body("id", hasItem(viewerId))
                .body("secret", everyItem(nullValue()));
        Api.as(admin).delete("/tokens/{id}", viewerId).then().statusCode(204);
        Api.as(viewer).get("/sites").then().statusCode(401);
    }

    @Test
    void tokenLimitedToSiteAGets404ForSiteB() {
        String a = Api.createExampleSite("site-a");
        String b = Api.createExampleSite("site-b");
        String limited = issue("operator", List.of(a));
        Api.as(limited).get("/sites/{id}", a).then().statusCode(200);
        Api.as(limited).get("/sites/{id}", b).then().statusCode(404).body("value", equalTo(b));
        Api.as(limited).contentType("application/yaml").body(Api.exampleSite(b)).put("/sites/{id}", b).then()
                .statusCode(404);
        Api.as(limited).queryParam("site", b).get("/agents").then().statusCode(404);
        Api.as(limited).get("/sites").then().statusCode(200).body("id", hasItem(a)).body("id", not(hasItem(b)));
        String c = Api.newSiteId("site-c");
        Api.as(limited).contentType("application/yaml").body(Api.exampleSite(c)).post("/sites").then()
                .statusCode(403).body("field", equalTo("site")).body("value", equalTo(c));
        Api.admin().get("/sites/{id}", c).then().statusCode(404);
    }

    @Test
    void tokenWithUnknownRoleIsRefusedNamingTheRole() {
        Api.admin().contentType("application/json").body(Map.of("name", "x", "role", "superuser"))
                .post("/tokens").then().statusCode(400).body("field", equalTo("role")).body("value", equalTo("superuser"));
    }

    @Test
    void tokenRevokedByAnotherReplicaIsRefusedWithTheNextCall() {
        String site = Api.createExampleSite("revoked");
        var issued = issueFull("viewer", List.of(site));
        String viewer = issued.path("secret");
        Api.as(viewer).get("/sites/{id}/matrix", site).then().statusCode(200);
        Api.as(viewer).get("/sites/{id}/matrix", site).then().statusCode(200);
        // what DELETE /tokens/{id} on another replica leaves behind: only the row, nothing in this replica's memory
        Db.update("UPDATE api_token SET revoked_at = now() WHERE id = ?", UUID.fromString(issued.path("id")));
        Api.as(viewer).get("/sites/{id}/matrix", site).then().statusCode(401)
                .body("detail", equalTo("the API token is unknown or revoked"));
    }

    @Test
    void siteLimitedViewerReadsMatrixAndHistoryOfItsSitesOnly() {
        String a = Api.createExampleSite("mx-a");
        String b = Api.createExampleSite("mx-b");
        String c = Api.createExampleSite("mx-c");
        String limited = issue("viewer", List.of(a, b));
        Api.as(limited).get("/sites/{id}/matrix", a).then().statusCode(200).body("siteId", equalTo(a));
        Api.as(limited).get("/sites/{id}/matrix", b).then().statusCode(200).body("siteId", equalTo(b));
        Api.as(limited).get("/sites/{id}/matrix", c).then().statusCode(404).body("value", equalTo(c));
        Api.as(limited).queryParam("requirement", "inbound.sip-udp").get("/sites/{id}/history", b).then()
                .statusCode(200);
        Api.as(limited).queryParam("requirement", "inbound.sip-udp").get("/sites/{id}/history", c).then()
                .statusCode(404);
    }
}
