package dev.vantage.coordinator.registry;

import dev.vantage.coordinator.Api;
import dev.vantage.testing.TestInfrastructure;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

/** The site registry over REST: YAML and JSON documents, versions, and refusals naming the field. */
@QuarkusTest
@WithTestResource(TestInfrastructure.class)
class SiteResourceTest {

    @Test
    void yamlSiteIsStoredAsVersionOneAndReadBack() {
        String id = Api.newSiteId("yaml");
        Api.admin().contentType("application/yaml").body(Api.exampleSite(id)).post("/sites").then()
                .statusCode(201)
                .header("Location", containsString("/sites/" + id))
                .body("version", equalTo(1))
                .body("catalog", equalTo("jtel-container-stack"))
                .body("vantages.agent", hasItem(id + "-berlin-lan"));
        Api.admin().get("/sites/{id}", id).then().statusCode(200).body("fqdn", equalTo("jtelacd.example.com"));
        Api.admin().get("/sites").then().statusCode(200).body("id", hasItem(id));
    }

    @Test
    void jsonSiteWithTheSameStructureIsAccepted() {
        String id = Api.newSiteId("json");
        String json = """
                {"site": "%s", "catalog": "jtel-container-stack", "fqdn": "acd.example.org",
                 "topology": "non-redundant",
                 "roles": {"acd-stack": {"addresses": ["10.1.0.10"], "public": ["203.0.113.9"]},
                           "end-users": {"addresses": ["10.1.10.0/24"]}},
                 "vantages": [{"agent": "%s-lan", "roles": ["end-users"]}]}
                """.formatted(id, id);
        Api.admin().contentType("application/json").body(json).post("/sites").then()
                .statusCode(201).body("id", equalTo(id)).body("version", equalTo(1));
    }

    @Test
    void updateStoresANewVersionAndKeepsTheOldDocument() {
        String id = Api.createExampleSite("versions");
        String changed = Api.exampleSite(id).replace("jtelacd.example.com", "acd2.example.com");
        Api.admin().contentType("application/yaml").body(changed).put("/sites/{id}", id).then()
                .statusCode(200).body("version", equalTo(2)).body("fqdn", equalTo("acd2.example.com"));
        Api.admin().accept("application/yaml").get("/sites/{id}/versions/1", id).then()
                .statusCode(200).body(containsString("fqdn: jtelacd.example.com"));
    }

    @Test
    void creatingAnExistingSiteIsAConflict() {
        String id = Api.createExampleSite("twice");
        Api.admin().contentType("application/yaml").body(Api.exampleSite(id)).post("/sites").then()
                .statusCode(409).body("field", equalTo("site")).body("value", equalTo(id));
    }

    @Test
    void malformedSiteIsRefusedNamingTheFieldAndValue() {
        String id = Api.newSiteId("bad");
        String bad = Api.exampleSite(id).replace("fqdn: jtelacd.example.com", "fqdn: not a name");
        Api.admin().contentType("application/yaml").body(bad).post("/sites").then()
                .statusCode(422)
                .contentType("application/problem+json")
                .body("field", equalTo("fqdn"))
                .body("value", equalTo("not a name"))
                .body("detail", containsString("'not a name' is not a fully qualified domain name"));
    }

    @Test
    void unknownCatalogIsRefusedNamingTheCatalogField() {
        String id = Api.newSiteId("nocat");
        String bad = Api.exampleSite(id).replace("catalog: jtel-container-stack", "catalog: no-such-catalog");
        Api.admin().contentType("application/yaml").body(bad).post("/sites").then()
                .statusCode(422)
                .body("field", equalTo("catalog"))
                .body("value", equalTo("no-such-catalog"))
                .body("detail", containsString("unknown catalog 'no-such-catalog'"));
    }

    @Test
    void documentForAnotherIdIsRefusedOnUpdate() {
        String id = Api.createExampleSite("rename");
        Api.admin().contentType("application/yaml").body(Api.exampleSite(id + "x")).put("/sites/{id}", id).then()
                .statusCode(400).body("field", equalTo("site")).body("value", equalTo(id + "x"));
    }

    @Test
    void outOfRangePageSizeIsRefusedNamingLimit() {
        Api.admin().queryParam("limit", 100000).get("/sites").then()
                .statusCode(400).body("field", equalTo("limit")).body("value", equalTo("100000"));
        Api.admin().queryParam("limit", 0).get("/agents").then()
                .statusCode(400).body("field", equalTo("limit"));
    }

    @Test
    void deletedSiteIsGone() {
        String id = Api.createExampleSite("gone");
        Api.admin().delete("/sites/{id}", id).then().statusCode(204);
        Api.admin().get("/sites/{id}", id).then().statusCode(404).body("value", equalTo(id));
    }
}
