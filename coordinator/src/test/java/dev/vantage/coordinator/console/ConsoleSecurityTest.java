package dev.vantage.coordinator.console;

import dev.vantage.coordinator.Api;
import dev.vantage.coordinator.Db;
import dev.vantage.testing.TestInfrastructure;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;

/**
 * The console's sessions, CSRF tokens, roles, headers and escaping over plain HTTP, against the coordinator on the
 * test fixture's Kafka and PostgreSQL (the browser tests drive the same pages in Chromium).
 */
@QuarkusTest
@WithTestResource(TestInfrastructure.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ConsoleSecurityTest {
    private ConsoleFixture fixture;

    private ConsoleFixture fixture() {
        if (fixture == null) {
            fixture = ConsoleFixture.create();
        }
        return fixture;
    }

    private static long surveys(String site) {
        return Db.count("SELECT count(*) FROM survey WHERE site_id = ?", site);
    }

    @Test
    void signInSetsAnHttpOnlyStrictSessionCookieThatExpires() {
        Response r = ConsoleSession.signInResponse(Api.ADMIN_TOKEN);
        r.then().statusCode(303).header("Location", startsWith("http"));
        String setCookie = r.headers().getValues("Set-Cookie").stream().filter(c -> c.startsWith("vantage_session="))
                .findFirst().orElseThrow();
        assertThat(setCookie).contains("HttpOnly").containsIgnoringCase("SameSite=Strict").contains("Max-Age=28800")
                .as("not Secure over plain HTTP").doesNotContain("Secure;").doesNotEndWith("Secure");
        assertThat(r.header("Location")).endsWith("/console/sites");
    }

    @Test
    void anUnknownTokenIsRefusedBesideItsField() {
        Response r = ConsoleSession.signInResponse("vtk_not-a-token");
        r.then().statusCode(401).body(containsString("id=\"token-error\"")).body(containsString("unknown or revoked"));
        assertThat(r.headers().getValues("Set-Cookie")).noneMatch(c -> c.startsWith("vantage_session=") && c.length() > 20);
    }

    @Test
    void aPageWithoutASessionSendsTheBrowserToSignIn() {
        given().redirects().follow(false).get("/console/sites/x?failing=1").then().statusCode(303)
                .header("Location", containsString("/console/sign-in?next=%2Fconsole%2Fsites%2Fx%3Ffailing%3D1"));
    }

    @Test
    void aFormPostWithoutItsCsrfTokenIsRefused() {
        ConsoleFixture f = fixture();
        ConsoleSession admin = ConsoleSession.signIn(Api.ADMIN_TOKEN);
        long before = surveys(f.site);
        admin.as().contentType("application/x-www-form-urlencoded").formParam("mode", "post-install")
                .post("/console/sites/{id}/surveys", f.site).then().statusCode(403)
                .contentType(containsString("text/html")).body(containsString("CSRF"));
        admin.as().contentType("application/x-www-form-urlencoded").formParam("mode", "post-install")
                .formParam("csrf", "forged").post("/console/sites/{id}/surveys", f.site).then().statusCode(403);
        ConsoleSession other = ConsoleSession.signIn(Api.ADMIN_TOKEN);
        admin.as().contentType("application/x-www-form-urlencoded").formParam("mode", "post-install")
                .formParam("csrf", other.csrf()).post("/console/sites/{id}/surveys", f.site).then()
                .statusCode(403); // another session's token
        assertThat(surveys(f.site)).isEqualTo(before);
    }

    @Test
    void aViewerCannotStartASurveyEvenWithADirectPost() {
        ConsoleFixture f = fixture();
        ConsoleSession viewer = ConsoleSession.signIn(f.viewer);
        long before = surveys(f.site);
        viewer.as().get("/console/sites/{id}/surveys/new", f.site).then().statusCode(403)
                .body(containsString("needs role operator"));
        viewer.as().contentType("application/x-www-form-urlencoded").formParam("csrf", viewer.csrf())
                .formParam("mode", "post-install").post("/console/sites/{id}/surveys", f.site).then().statusCode(403);
        viewer.as().contentType("application/x-www-form-urlencoded").formParam("csrf", viewer.csrf())
                .post("/console/agents/{id}/approve", f.pendingAgent).then().statusCode(403);
        viewer.as().get("/console/sites/{id}", f.site).then().statusCode(200)
                .body(not(containsString("Start a survey")));
        assertThat(surveys(f.site)).isEqualTo(before);
        Api.admin().get("/agents/{id}", f.pendingAgent).then().body("enrolment", equalTo("PENDING"));
    }

    @Test
    void theApiTakesTheSessionForReadingOnly() {
        ConsoleFixture f = fixture();
        ConsoleSession operator = ConsoleSession.signIn(f.operator);
        operator.as().get("/sites/{id}/matrix", f.site).then().statusCode(200).body("siteId", equalTo(f.site));
        operator.as().contentType("application/json").body(Map.of("mode", "post-install"))
                .post("/sites/{id}/surveys", f.site).then().statusCode(401);
    }

    @Test
    void everyConsoleResponseHasAContentSecurityPolicyWithoutInlineScriptOrStyle() {
        ConsoleFixture f = fixture();
        ConsoleSession admin = ConsoleSession.signIn(Api.ADMIN_TOKEN);
        for (String path : List.of("/console/sites", "/console/sites/" + f.site, "/console/surveys/" + f.survey,
                "/console/surveys/" + f.survey + "/report", "/console/agents", "/console/assets/console.css")) {
            Response r = admin.as().get(path);
            assertThat(r.statusCode()).as(path).isEqualTo(200);
            String csp = r.header("Content-Security-Policy");
            assertThat(csp).as(path).contains("script-src 'self'").contains("style-src 'self'")
                    .contains("frame-ancestors 'none'").doesNotContain("unsafe-inline").doesNotContain("unsafe-eval");
            assertThat(r.header("X-Content-Type-Options")).isEqualTo("nosniff");
            if (path.endsWith(".css")) {
                continue;
            }
            String html = r.asString();
            assertThat(html).as(path + ": no inline script").doesNotContainPattern("<script(?![^>]*\\bsrc=)[^>]*>");
            assertThat(html).as(path + ": no style attribute").doesNotContainPattern("\\sstyle=");
        }
        given().get("/console/sign-in").then().header("Content-Security-Policy", containsString("script-src 'self'"));
    }

    @Test
    void aOneTimeSignInLinkSignsInOnce() {
        String url = Api.admin().post("/sign-in-links").then().statusCode(201).extract().path("url");
        assertThat(url).contains("/console/sign-in/once?code=");
        String path = url.substring(url.indexOf("/console/"));
        Response form = given().redirects().follow(false).get(path);
        String formToken = ConsoleSession.find(ConsoleSession.FORM, form.asString());
        String code = path.substring(path.indexOf("code=") + 5);
        Response first = given().redirects().follow(false).cookie(SignInPage.FORM_COOKIE, form.cookie(SignInPage.FORM_COOKIE))
                .contentType("application/x-www-form-urlencoded").formParam("code", code).formParam("form", formToken)
                .post("/console/sign-in/once");
        first.then().statusCode(303);
        given().cookie("vantage_session", first.cookie("vantage_session")).get("/console/sites").then()
                .statusCode(200).body(containsString("bootstrap-admin"));
        given().redirects().follow(false).cookie(SignInPage.FORM_COOKIE, form.cookie(SignInPage.FORM_COOKIE))
                .contentType("application/x-www-form-urlencoded").formParam("code", code).formParam("form", formToken)
                .post("/console/sign-in/once").then().statusCode(401) // replayed
                .body(containsString("used already"));
        Api.as(ConsoleFixture.token("operator")).post("/sign-in-links").then().statusCode(403);
    }

    @Test
    void signOutAndARevokedTokenEndTheSession() {
        ConsoleSession admin = ConsoleSession.signIn(Api.ADMIN_TOKEN);
        admin.as().contentType("application/x-www-form-urlencoded").formParam("csrf", admin.csrf())
                .post("/console/sign-out").then().statusCode(303).header("Location", containsString("/console/sign-in"));
        admin.as().get("/console/sites").then().statusCode(303);

        var issued = Api.admin().contentType("application/json").body(Map.of("name", "revoked-" + UUID.randomUUID(),
                "role", "viewer")).post("/tokens").then().statusCode(201).extract();
        ConsoleSession viewer = ConsoleSession.signIn(issued.path("secret"));
        viewer.as().get("/console/sites").then().statusCode(200);
        Api.admin().delete("/tokens/{id}", (String) issued.path("id")).then().statusCode(204);
        viewer.as().get("/console/sites").then().statusCode(303);
    }

    @Test
    void hostileTextFromTheSiteFileAndTheAgentsIsShownAsText() {
        ConsoleFixture f = fixture();
        ConsoleSession admin = ConsoleSession.signIn(Api.ADMIN_TOKEN);
        String escapedName = "&lt;script&gt;window.hostile=1&lt;/script&gt;&lt;b&gt;Evil &amp; &quot;Co&quot;&lt;/b&gt;";
        for (String path : List.of("/console/sites", "/console/sites/" + f.site, "/console/surveys/" + f.survey,
                "/console/surveys/" + f.survey + "/report")) {
            String html = admin.as().get(path).then().statusCode(200).extract().asString();
            assertThat(html).as(path).doesNotContain(ConsoleFixture.HOSTILE_NAME).contains(escapedName);
        }
        String evidence = admin.as().get("/console/surveys/{id}/requirements/{r}", f.survey, ConsoleFixture.ERRORED)
                .then().statusCode(200).extract().asString();
        assertThat(evidence).doesNotContain(ConsoleFixture.HOSTILE_SUMMARY)
                .contains("&lt;img src=x id=hostile-img&gt;&lt;script&gt;window.hostile=2&lt;/script&gt;");
        String agents = admin.as().get("/console/agents?site=" + f.site).then().statusCode(200).extract().asString();
        assertThat(agents).doesNotContain("<i>-hostile</i>").contains("&lt;i&gt;-hostile&lt;/i&gt;");
    }

    @Test
    void theMatrixCellsCarryTheAnalysisVerdictOfEachResult() {
        ConsoleFixture f = fixture();
        var matrix = Api.admin().get("/sites/{id}/matrix", f.site).then().statusCode(200).extract().jsonPath();
        List<String> failing = matrix.getList("rows.find { it.requirementId == '" + ConsoleFixture.FAILING
                + "' }.cells.'" + ConsoleFixture.FAILING_VANTAGE + "'.verdict");
        assertThat(failing).containsOnly("FAIL");
        List<String> passing = matrix.getList("rows.find { it.requirementId == '" + ConsoleFixture.PASSING + "' }.cells.'"
                + ConsoleFixture.FAILING_VANTAGE + "'.verdict");
        assertThat(passing).isNotEmpty().containsOnly("PASS");
        Api.admin().get("/surveys/{id}/report", f.survey).then().body("decision", equalTo("NO-GO"));
    }
}
