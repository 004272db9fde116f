package dev.vantage.coordinator;

import io.restassured.RestAssured;
import io.restassured.config.EncoderConfig;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.UUID;

import static io.restassured.RestAssured.given;

/** Shortcuts for tests: requests with a token, and site documents with a fresh id. */
public final class Api {
    /** The bootstrap admin token of the test profile (application.properties). */
    public static final String ADMIN_TOKEN = "test-bootstrap-admin";

    private Api() {
    }

    public static RequestSpecification as(String token) {
        return given().config(RestAssured.config().encoderConfig(EncoderConfig.encoderConfig()
                        .encodeContentTypeAs("application/yaml", ContentType.TEXT)))
                .header("Authorization", "Bearer " + token);
    }

    public static RequestSpecification admin() {
        return as(ADMIN_TOKEN);
    }

    /** A site id no other test uses. */
    public static String newSiteId(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** The example site as YAML, with the given site id (agent ids are prefixed with it). */
    public static String exampleSite(String siteId) {
        return resource("sites/example.yaml").replace("SITE_ID", siteId);
    }

    public static String resource(String name) {
        try (InputStream in = Api.class.getClassLoader().getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("test resource " + name + " missing");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Creates the example site over REST as admin and returns its id. */
    public static String createExampleSite(String prefix) {
        String id = newSiteId(prefix);
        admin().contentType("application/yaml").body(exampleSite(id)).post("/sites").then().statusCode(201);
        return id;
    }

    /** Starts a survey of the site as admin (201 expected) and returns the survey as JSON. */
    public static io.restassured.path.json.JsonPath startSurvey(String siteId, String mode) {
        return admin().contentType("application/json").body(java.util.Map.of("mode", mode))
                .post("/sites/{id}/surveys", siteId).then().statusCode(201).extract().jsonPath();
    }
}
