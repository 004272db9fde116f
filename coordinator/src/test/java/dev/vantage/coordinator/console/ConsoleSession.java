package dev.vantage.coordinator.console;

import io.restassured.response.Response;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.restassured.RestAssured.given;

/** Signs in to the console over plain HTTP (no browser) and keeps the session cookie and the form's CSRF token. */
record ConsoleSession(String cookie, String csrf) {
    static final Pattern FORM = Pattern.compile("name=\"form\" value=\"([^\"]+)\"");
    static final Pattern CSRF = Pattern.compile("name=\"csrf\" value=\"([^\"]+)\"");

    static Response signInResponse(String token) {
        Response form = given().redirects().follow(false).get("/console/sign-in");
        String formToken = find(FORM, form.asString());
        return given().redirects().follow(false).cookie(SignInPage.FORM_COOKIE, form.cookie(SignInPage.FORM_COOKIE))
                .contentType("application/x-www-form-urlencoded").formParam("token", token)
                .formParam("form", formToken).formParam("next", "/console/sites").post("/console/sign-in");
    }

    static ConsoleSession signIn(String token) {
        Response r = signInResponse(token);
        if (r.statusCode() != 303) {
            throw new IllegalStateException("sign-in answered " + r.statusCode() + ": " + r.asString());
        }
        String cookie = r.cookie("vantage_session");
        String page = given().cookie("vantage_session", cookie).get("/console/sites").asString();
        return new ConsoleSession(cookie, find(CSRF, page));
    }

    static String find(Pattern p, String html) {
        Matcher m = p.matcher(html);
        if (!m.find()) {
            throw new IllegalStateException("no " + p + " in the page: " + html);
        }
        return m.group(1);
    }

    io.restassured.specification.RequestSpecification as() {
        return given().redirects().follow(false).cookie("vantage_session", cookie);
    }
}
