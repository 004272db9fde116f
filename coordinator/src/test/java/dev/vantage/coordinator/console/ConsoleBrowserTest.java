package dev.vantage.coordinator.console;

import dev.vantage.coordinator.Api;
import dev.vantage.coordinator.Db;
import dev.vantage.testing.TestInfrastructure;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.openqa.selenium.By;
import org.openqa.selenium.Cookie;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.print.PageSize;
import org.openqa.selenium.print.PrintOptions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

/**
 * The console in a real browser: Debian's headless Chromium through Selenium, against the coordinator on the test
 * fixture's Kafka and PostgreSQL, with a survey whose TCP results come from real loopback connects
 * ({@link ConsoleFixture}). Every page it opens is saved as a screenshot in target/console-screenshots/.
 * Skipped, with the reason printed, where Chromium or its driver is not installed.
 */
@QuarkusTest
@WithTestResource(TestInfrastructure.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ConsoleBrowserTest {
    @TestHTTPResource("/")
    URI base;

    private Browser browser;
    private ConsoleFixture fixture;

    @BeforeAll
    void startBrowser() {
        Optional<String> missing = Browser.missing();
        missing.ifPresent(System.out::println);
        Assumptions.assumeTrue(missing.isEmpty(), () -> missing.orElse(""));
        browser = Browser.start();
    }

    @AfterAll
    void stopBrowser() {
        if (browser != null) {
            browser.close();
        }
    }

    private ConsoleFixture fixture() {
        if (fixture == null) {
            fixture = ConsoleFixture.create();
        }
        return fixture;
    }

    private void open(String path) {
        browser.driver.get(base.resolve(path).toString());
    }

    private WebDriverWait waiting() {
        return new WebDriverWait(browser.driver, Duration.ofSeconds(60));
    }

    private String text() {
        return browser.driver.findElement(By.tagName("body")).getText();
    }

    private void signIn(String token, String screenshot) {
        browser.driver.manage().deleteAllCookies();
        open("/console/sites");
        waiting().until(d -> d.getCurrentUrl().contains("/console/sign-in"));
        browser.driver.findElement(By.id("token")).sendKeys(token);
        if (screenshot != null) {
            browser.screenshot(screenshot);
        }
        browser.driver.findElement(By.cssSelector("form button[type=submit]")).click();
        waiting().until(d -> d.getCurrentUrl().endsWith("/console/sites"));
    }

    /** The matrix cell of a requirement and a vantage on the site page now open. */
    private WebElement cell(String requirement, String vantage) {
        List<WebElement> headers = browser.driver.findElements(By.cssSelector("table.matrix thead th"));
        int column = -1;
        for (int i = 0; i < headers.size(); i++) {
            if (headers.get(i).getText().startsWith(vantage)) {
                column = i;
            }
        }
        assertThat(column).as("column of " + vantage).isPositive();
        return browser.driver.findElement(By.id("r-" + requirement)).findElements(By.tagName("td")).get(column - 1);
    }

    private Object script(String js) {
        return browser.driver.executeScript(js);
    }

    private String csrfOfThisPage() {
        return browser.driver.findElement(By.cssSelector("input[name=csrf]")).getAttribute("value");
    }

    private HttpResponse<String> post(String path, String form) throws Exception {
        Cookie session = browser.driver.manage().getCookieNamed("vantage_session");
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(base.resolve(path))
                .header("Cookie", "vantage_session=" + session.getValue())
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    @Order(1)
    void signsInWithATokenIntoAnHttpOnlyStrictSession() {
        ConsoleFixture f = fixture();
        signIn(Api.ADMIN_TOKEN, "sign-in");
        Cookie session = browser.driver.manage().getCookieNamed("vantage_session");
        assertThat(session.isHttpOnly()).isTrue();
        assertThat(session.getSameSite()).isEqualTo("Strict");
        assertThat(session.getExpiry()).as("the session expires").isNotNull();
        assertThat(browser.driver.findElement(By.linkText(ConsoleFixture.HOSTILE_NAME)).getAttribute("href"))
                .endsWith("/console/sites/" + f.site);
        browser.screenshot("sites");
    }

    @Test
    @Order(2)
    void theMatrixShowsThePlantedFailureInItsCell() {
        ConsoleFixture f = fixture();
        open("/console/sites/" + f.site);
        WebElement failing = cell(ConsoleFixture.FAILING, ConsoleFixture.FAILING_VANTAGE);
        assertThat(failing.getAttribute("class")).contains("v-fail");
        assertThat(failing.getText()).contains("FAIL").contains("EXPOSED_TO_INTERNET");
        WebElement passing = cell(ConsoleFixture.PASSING, ConsoleFixture.FAILING_VANTAGE);
        assertThat(passing.getAttribute("class")).contains("v-pass");
        assertThat(passing.getText()).contains("PASS");
        assertThat(cell("dns.fqdn-external", "acd-stack").getAttribute("class")).as("not a source")
                .isEqualTo("ns");
        WebElement range = cell(ConsoleFixture.PARTIAL, "reporting-users");
        assertThat(range.findElements(By.cssSelector("svg.strip rect.seg-fail"))).as(range.getAttribute("innerHTML"))
                .hasSize(1);
        assertThat(range.getText()).contains("3308 failing: 1 of 3 ports in 1 sub-range");
        assertThat(browser.driver.findElement(By.tagName("h1")).getText()).isEqualTo(ConsoleFixture.HOSTILE_NAME);
        assertThat(script("return window.hostile")).as("no script from the site file ran").isNull();
        browser.screenshot("site");

        browser.driver.findElement(By.name("failing")).click();
        browser.driver.findElement(By.cssSelector("form.filters button")).click();
        waiting().until(d -> d.getCurrentUrl().contains("failing=1"));
        assertThat(browser.driver.findElements(By.id("r-" + ConsoleFixture.FAILING))).hasSize(1);
        assertThat(browser.driver.findElements(By.id("r-" + ConsoleFixture.PASSING))).as("passing rows filtered out")
                .isEmpty();
        browser.screenshot("site-failing-only");
    }

    @Test
    @Order(3)
    void drillsDownFromTheFailingCellToItsEvidenceAndHistory() {
        ConsoleFixture f = fixture();
        open("/console/sites/" + f.site);
        cell(ConsoleFixture.FAILING, ConsoleFixture.FAILING_VANTAGE).findElement(By.tagName("a")).click();
        waiting().until(d -> d.getCurrentUrl().contains("/requirements/" + ConsoleFixture.FAILING));
        String evidence = text();
        assertThat(evidence).contains("EXPOSED_TO_INTERNET").contains("OPEN").contains("connect")
                .contains("127.0.0.1").contains("FAIL");
        browser.screenshot("evidence");

        open("/console/sites/" + f.site);
        browser.driver.findElement(By.id("r-" + ConsoleFixture.FAILING)).findElement(By.cssSelector("th a")).click();
        waiting().until(d -> d.getCurrentUrl().contains("/history?requirement=" + ConsoleFixture.FAILING));
        assertThat(browser.driver.findElement(By.tagName("h1")).getText()).contains(ConsoleFixture.FAILING);
        assertThat(browser.driver.findElements(By.cssSelector("svg.timeline rect.v-fail"))).isNotEmpty();
        browser.screenshot("history");
    }

    @Test
    @Order(4)
    void hostileTextFromAnAgentIsShownAsText() {
        ConsoleFixture f = fixture();
        open("/console/surveys/" + f.survey + "/requirements/" + ConsoleFixture.ERRORED);
        assertThat(text()).contains(ConsoleFixture.HOSTILE_SUMMARY);
        assertThat(browser.driver.findElements(By.id("hostile-img"))).isEmpty();
        assertThat(script("return window.hostile")).isNull();
        open("/console/agents?site=" + f.site);
        assertThat(text()).contains("0.9.1<i>-hostile</i>");
    }

    @Test
    @Order(5)
    void anOperatorStartsASurveyAndWatchesItCompleteWithoutAReload() {
        ConsoleFixture f = fixture();
        signIn(f.operator, null);
        open("/console/sites/" + f.site);
        browser.driver.findElement(By.linkText("Start a survey")).click();
        waiting().until(d -> d.getCurrentUrl().endsWith("/surveys/new"));
        new Select(browser.driver.findElement(By.id("mode"))).selectByValue("pre-install");
        browser.driver.findElement(By.id("responderWindow")).sendKeys("PT5S");
        browser.screenshot("start-survey");
        browser.driver.findElement(By.cssSelector("form.form button[type=submit]")).click();
        WebElement error = waiting().until(d -> d.findElement(By.id("rw-error")));
        assertThat(error.getText()).contains("responderWindow must be between");
        assertThat(browser.driver.findElement(By.id("responderWindow")).getAttribute("aria-describedby"))
                .contains("rw-error");
        browser.screenshot("start-survey-refused");

        browser.driver.findElement(By.id("responderWindow")).clear();
        browser.driver.findElement(By.id("requirements")).sendKeys("inbound.sips, inbound.telnet");
        browser.driver.findElement(By.cssSelector("form.form button[type=submit]")).click();
        error = waiting().until(d -> d.findElement(By.id("req-error")));
        assertThat(error.getText()).contains("has no inbound.telnet");
        assertThat(browser.driver.findElement(By.id("requirements")).getAttribute("value"))
                .as("what was typed stays").isEqualTo("inbound.sips, inbound.telnet");

        new Select(browser.driver.findElement(By.id("mode"))).selectByValue("post-install");
        browser.driver.findElement(By.id("requirements")).clear();
        browser.driver.findElement(By.cssSelector("form.form button[type=submit]")).click();
        waiting().until(d -> d.getCurrentUrl().matches(".*/console/surveys/[0-9a-f-]{36}$"));
        String id = browser.driver.getCurrentUrl().replaceAll(".*/", "");
        assertThat(text()).contains("Tasks answered");
        script("window.stillTheSamePage = 42");
        browser.screenshot("survey-running");

        int tasks = Api.admin().get("/surveys/{id}", id).then().extract().path("taskCount");
        ConsoleFixture.answer(f.site, id, tasks);
        waiting().until(d -> !d.findElements(By.id("verdicts-h")).isEmpty());
        assertThat(script("return window.stillTheSamePage")).as("completed in place, not by a reload")
                .isEqualTo(42L);
        assertThat(text()).contains("Completed:").contains("Blocking go-live");
        browser.screenshot("survey");

        // the requirements it found failing, partial or inconclusive, surveyed again: the start form filled in
        List<String> failing = Api.admin().get("/surveys/{id}/verdicts", id).then().statusCode(200).extract().jsonPath()
                .getList("findAll { it.verdict in ['FAIL', 'PARTIAL', 'INCONCLUSIVE'] }.requirementId", String.class);
        assertThat(failing).as("the answers planted failures").isNotEmpty();
        long surveys = Db.count("SELECT count(*) FROM survey WHERE site_id = ?", f.site);
        WebElement again = browser.driver.findElement(By.id("survey-again"));
        assertThat(again.getText()).isEqualTo("Survey the " + failing.size() + " failing requirement"
                + (failing.size() == 1 ? "" : "s") + " again");
        again.click();
        waiting().until(d -> d.getCurrentUrl().contains("/surveys/new?"));
        assertThat(new Select(browser.driver.findElement(By.id("mode"))).getFirstSelectedOption().getAttribute("value"))
                .isEqualTo("post-install");
        assertThat(SurveyForms.ids(browser.driver.findElement(By.id("requirements")).getAttribute("value")))
                .containsExactlyInAnyOrderElementsOf(failing);
        assertThat(Db.count("SELECT count(*) FROM survey WHERE site_id = ?", f.site))
                .as("the link fills the form in; nothing starts before it is submitted").isEqualTo(surveys);
        browser.driver.findElement(By.cssSelector("form.form button[type=submit]")).click();
        waiting().until(d -> d.getCurrentUrl().matches(".*/console/surveys/[0-9a-f-]{36}$") && !d.getCurrentUrl().endsWith(id));
        String second = browser.driver.getCurrentUrl().replaceAll(".*/", "");
        Api.admin().get("/surveys/{id}", second).then().statusCode(200)
                .body("requirements.size()", equalTo(failing.size())).body("mode", equalTo("post-install"));
        assertThat(text()).contains(failing.size() + " chosen");

        // only a survey of all requirements decides go-live: the sites page keeps the first one's decision and says
        // what the newer survey of chosen requirements does
        String decision = Api.admin().get("/surveys/{id}/report", id).then().statusCode(200).extract().path("decision");
        String chosen = "a survey of " + failing.size() + " chosen requirement" + (failing.size() == 1 ? "" : "s");
        open("/console/sites");
        WebElement row = siteRow(f.site);
        assertThat(row.findElement(By.cssSelector("a.badge")).getAttribute("href")).endsWith("/console/surveys/" + id);
        assertThat(row.findElement(By.cssSelector("a.badge")).getText()).contains(decision);
        assertThat(row.findElement(By.cssSelector(".then")).getText()).startsWith("then " + chosen + " runs:");

        int chosenTasks = Api.admin().get("/surveys/{id}", second).then().extract().path("taskCount");
        ConsoleFixture.answer(f.site, second, chosenTasks);
        waiting().until(d -> "completed".equals(Api.admin().get("/surveys/{id}", second).then().extract().path("state")));
        open("/console/sites");
        row = siteRow(f.site);
        assertThat(row.findElement(By.cssSelector("a.badge")).getText()).as("still the survey of all's decision")
                .contains(decision);
        WebElement then = row.findElement(By.cssSelector(".then a"));
        assertThat(then.getAttribute("href")).endsWith("/console/surveys/" + second);
        assertThat(then.getText()).startsWith(chosen + ": ");

        // the matrix keeps the verdicts the survey of chosen requirements did not judge
        open("/console/sites/" + f.site);
        String passing = Api.admin().get("/surveys/{id}/verdicts", id).then().extract().jsonPath()
                .getString("find { it.verdict == 'PASS' }.requirementId");
        assertThat(failing).doesNotContain(passing);
        assertThat(browser.driver.findElement(By.id("r-" + passing)).findElement(By.cssSelector("th .badge")).getText())
                .as("%s, judged by the survey of all only", passing).contains("PASS");
        assertThat(browser.driver.findElement(By.cssSelector("p a.then")).getAttribute("href"))
                .endsWith("/console/surveys/" + second);
    }

    /** The sites page's row of the site. */
    private WebElement siteRow(String site) {
        return browser.driver.findElements(By.cssSelector("table.list tbody tr")).stream()
                .filter(r -> r.findElement(By.cssSelector("th a")).getAttribute("href").endsWith("/console/sites/" + site))
                .findFirst().orElseThrow(() -> new AssertionError("no row of site " + site + " on the sites page"));
    }

    @Test
    @Order(6)
    void aViewerIsRefusedOnTheServer() throws Exception {
        ConsoleFixture f = fixture();
        signIn(f.viewer, null);
        open("/console/sites/" + f.site);
        assertThat(browser.driver.findElements(By.linkText("Start a survey"))).isEmpty();
        String csrf = csrfOfThisPage();
        long before = Db.count("SELECT count(*) FROM survey WHERE site_id = ?", f.site);
        open("/console/sites/" + f.site + "/surveys/new");
        assertThat(browser.driver.findElement(By.tagName("h1")).getText()).contains("Not allowed");
        browser.screenshot("refused");
        HttpResponse<String> direct = post("/console/sites/" + f.site + "/surveys", "csrf=" + csrf
                + "&mode=post-install");
        assertThat(direct.statusCode()).isEqualTo(403);
        assertThat(Db.count("SELECT count(*) FROM survey WHERE site_id = ?", f.site)).isEqualTo(before);
    }

    @Test
    @Order(7)
    void anOperatorApprovesAPendingAgent() {
        ConsoleFixture f = fixture();
        signIn(f.operator, null);
        open("/console/agents?site=" + f.site);
        WebElement row = browser.driver.findElement(By.id("agent-" + f.pendingAgent));
        assertThat(row.getText()).contains("PENDING");
        browser.screenshot("agents");
        row.findElement(By.xpath(".//button[starts-with(normalize-space(.), 'Approve')]")).click();
        waiting().until(d -> d.getPageSource().contains("Done: approved " + f.pendingAgent));
        Api.admin().get("/agents/{id}", f.pendingAgent).then().body("enrolment", equalTo("APPROVED"))
                .body("vantageRoles", equalTo(List.of("end-users")));
    }

    @Test
    @Order(8)
    void theReportPrintsToAPdfWithItsEvidenceAppendix() throws Exception {
        ConsoleFixture f = fixture();
        signIn(Api.ADMIN_TOKEN, null);
        open("/console/surveys/" + f.survey + "/report");
        assertThat(text()).contains("Network readiness report").contains("Appendix: evidence")
                .contains(ConsoleFixture.HOSTILE_NAME);
        browser.screenshot("report");
        PrintOptions options = new PrintOptions();
        options.setPageSize(new PageSize(29.7, 21.0)); // A4, in centimetres
        byte[] pdf = Base64.getDecoder().decode(browser.driver.print(options).getContent());
        Files.write(Browser.SCREENSHOTS.resolve("report.pdf"), pdf);
        String raw = new String(pdf, StandardCharsets.ISO_8859_1);
        assertThat(raw).startsWith("%PDF");
        Matcher pages = Pattern.compile("/Type\\s*/Page[^s]").matcher(raw);
        int count = 0;
        while (pages.find()) {
            count++;
        }
        assertThat(count).as("pages: the verdicts, then the appendix on pages of its own").isGreaterThanOrEqualTo(2);

        String csv = HttpClient.newHttpClient().send(HttpRequest.newBuilder(base.resolve("/surveys/" + f.survey
                        + "/report?format=csv")).header("Cookie", "vantage_session="
                        + browser.driver.manage().getCookieNamed("vantage_session").getValue()).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        assertThat(csv).startsWith("requirement_id,verdict");
    }

    @Test
    @Order(9)
    void pagesRunNoInlineScriptOrStyleAndSendTheirPolicy() throws Exception {
        ConsoleFixture f = fixture();
        for (String path : List.of("/console/sites", "/console/sites/" + f.site, "/console/surveys/" + f.survey,
                "/console/agents")) {
            open(path);
            assertThat(browser.driver.findElements(By.cssSelector("[style]"))).as(path).isEmpty();
            assertThat(browser.driver.findElements(By.cssSelector("script:not([src])"))).as(path).isEmpty();
        }
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(base.resolve("/console/sites"))
                .header("Cookie", "vantage_session=" + browser.driver.manage().getCookieNamed("vantage_session")
                        .getValue()).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.headers().firstValue("Content-Security-Policy")).get().asString()
                .contains("script-src 'self'").doesNotContain("unsafe-inline");
    }

    @Test
    @Order(10)
    void narrowScreensDarkModeKeyboardAndLabelsWork() {
        ConsoleFixture f = fixture();
        open("/console/sites/" + f.site);
        browser.driver.manage().window().setSize(new Dimension(390, 844));
        open("/console/sites/" + f.site);
        assertThat((Long) script("return document.documentElement.scrollWidth - window.innerWidth"))
                .as("the page itself does not scroll sideways; the matrix scrolls in its box; too wide: " + script(
                        "return Array.from(document.querySelectorAll('body *')).filter(e => !e.closest('.scroll') "
                                + "&& e.getBoundingClientRect().right > window.innerWidth + 1)"
                                + ".map(e => e.tagName + '.' + e.className + ' ' + e.getBoundingClientRect().right)"
                                + ".slice(0, 12).join('; ')"))
                .isLessThanOrEqualTo(1L);
        browser.screenshot("site-narrow");
        browser.driver.manage().window().setSize(new Dimension(1400, 1000));

        browser.driver.executeCdpCommand("Emulation.setEmulatedMedia", Map.of("features",
                List.of(Map.of("name", "prefers-color-scheme", "value", "dark"))));
        open("/console/sites/" + f.site);
        assertThat(script("return getComputedStyle(document.body).backgroundColor")).isEqualTo("rgb(13, 17, 23)");
        browser.screenshot("site-dark");
        browser.driver.executeCdpCommand("Emulation.setEmulatedMedia", Map.of("features",
                List.of(Map.of("name", "prefers-color-scheme", "value", "light"))));

        new Actions(browser.driver).sendKeys(Keys.TAB).perform();
        assertThat(browser.driver.switchTo().activeElement().getAttribute("class")).isEqualTo("skip");
        for (String path : List.of("/console/sites/" + f.site, "/console/sites/" + f.site + "/surveys/new",
                "/console/sites/" + f.site + "/schedule", "/console/agents", "/console/tokens")) {
            open(path);
            Object unlabelled = script("return Array.from(document.querySelectorAll('input:not([type=hidden]), select'))"
                    + ".filter(e => e.labels.length === 0 && !e.getAttribute('aria-label')).map(e => e.name)");
            assertThat((List<?>) unlabelled).as(path).isEmpty();
        }
        browser.screenshot("tokens");
        open("/console/sites/" + f.site + "/schedule");
        browser.driver.findElement(By.id("cron")).sendKeys("every morning");
        browser.driver.findElement(By.cssSelector("form.form button[type=submit]")).click();
        assertThat(waiting().until(d -> d.findElement(By.id("cron-error"))).getText()).contains("cron");
        browser.screenshot("schedule-refused");
    }

    @Test
    @Order(11)
    void aOneTimeLinkSignsInOnceAndSignOutEndsTheSession() {
        String url = Api.admin().post("/sign-in-links").then().statusCode(201).extract().path("url");
        browser.driver.manage().deleteAllCookies();
        browser.driver.get(base.resolve(url.substring(url.indexOf("/console/"))).toString());
        browser.driver.findElement(By.cssSelector("form button[type=submit]")).click();
        waiting().until(d -> d.getCurrentUrl().endsWith("/console/sites"));
        waiting().until(d -> d.getPageSource().contains("bootstrap-admin"));
        browser.driver.findElement(By.xpath("//button[normalize-space(.)='Sign out']")).click();
        waiting().until(d -> d.getCurrentUrl().contains("/console/sign-in"));
        assertThat(browser.driver.manage().getCookieNamed("vantage_session")).isNull();
        browser.driver.get(base.resolve(url.substring(url.indexOf("/console/"))).toString());
        browser.driver.findElement(By.cssSelector("form button[type=submit]")).click();
        waiting().until(d -> d.getPageSource().contains("used already"));
        assertThat(browser.driver.manage().getCookieNamed("vantage_session")).as("the replay signs nobody in").isNull();
    }
}
