package dev.vantage.coordinator.console;

import dev.vantage.catalog.Catalogs;
import dev.vantage.coordinator.Api;
import dev.vantage.coordinator.registry.SiteRegistry;
import dev.vantage.coordinator.status.StatusQueries;
import dev.vantage.testing.TestInfrastructure;
import dev.vantage.testing.TestPostgres;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The site page of a large site, rendered server-side: 10 vantages and 5,000 matrix cells (50 requirements × 10
 * vantages × 10 probes each). Run on demand only:
 *
 * <pre>
 * ./mvnw -B -pl coordinator -am verify -Dtest=ConsoleBenchmark -Dsurefire.failIfNoSpecifiedTests=false \
 *     -Dit.test=NONE -Dfailsafe.failIfNoSpecifiedTests=false -Dbench=true [-Dbench.rounds=200] [-Dbench.runs=5]
 * </pre>
 *
 * It prints {@code BENCH console} lines (median, p95, min and max per run, and the HTML size); they are copied into
 * BENCHMARKS.md by hand, with the machine they ran on.
 */
@QuarkusTest
@WithTestResource(TestInfrastructure.class)
@EnabledIfSystemProperty(named = "bench", matches = "true")
class ConsoleBenchmark {
    private static final int ROUNDS = Integer.getInteger("bench.rounds", 200);
    private static final int RUNS = Integer.getInteger("bench.runs", 5);
    private static final int REQUIREMENTS = 50;
    private static final int VANTAGES = 10;
    private static final int PROBES = 10;

    @TestHTTPResource("/")
    URI base;
    @Inject
    StatusQueries status;
    @Inject
    SiteRegistry sites;

    @Test
    void sitePageOfTenVantagesAndFiveThousandCells() throws Exception {
        String site = Api.createExampleSite("bench-console");
        List<String> vantages = List.of("acd-stack", "end-users", "admin-network", "reporting-users", "pbx", "sbc",
                "trunk", "jtel-support", "internet", "branch-office");
        int cells = fill(site, vantages);
        String cookie = ConsoleSession.signIn(Api.ADMIN_TOKEN).cookie();
        HttpClient http = HttpClient.newHttpClient();
        HttpRequest page = HttpRequest.newBuilder(base.resolve("/console/sites/" + site))
                .header("Cookie", "vantage_session=" + cookie).build();
        HttpResponse<byte[]> first = http.send(page, HttpResponse.BodyHandlers.ofByteArray());
        assertThat(first.statusCode()).isEqualTo(200);
        String html = new String(first.body(), java.nio.charset.StandardCharsets.UTF_8);
        assertThat(html).contains("bench.req-49").contains("branch-office");

        // the same page without HTTP, session and queries: building the matrix and rendering the template
        var loaded = sites.current(site).orElseThrow();
        var catalog = Catalogs.bundled(loaded.site().catalog());
        List<StatusQueries.Cell> latest = status.latest(site).orElseThrow();
        assertThat(latest).hasSize(cells);
        Frame frame = new Frame("bench", "admin", "x", "/sites/" + site + "/matrix", true, true);
        Runnable render = () -> SitesPage.Templates.site(frame, new SitesPage.SiteHead(site, "bench", catalog.name(), 1,
                "", "", "", "none", "no survey", "", "", null, "", null, List.of()), MatrixView.build(site, catalog,
                loaded.site(), latest, List.of(), List.of(), Map.of(), MatrixView.Filter.NONE, Instant.now()),
                MatrixView.Filter.NONE, Instant.now().toString()).render();

        for (int i = 0; i < 30; i++) { // warm-up of both paths
            http.send(page, HttpResponse.BodyHandlers.ofByteArray());
            render.run();
        }
        for (int run = 1; run <= RUNS; run++) {
            double[] over = new double[ROUNDS];
            double[] inProcess = new double[ROUNDS];
            double[] latestStatus = new double[ROUNDS];
            double[] siteVersion = new double[ROUNDS];
            for (int i = 0; i < ROUNDS; i++) {
                long t0 = System.nanoTime();
                HttpResponse<byte[]> r = http.send(page, HttpResponse.BodyHandlers.ofByteArray());
                over[i] = (System.nanoTime() - t0) / 1e6;
                assertThat(r.statusCode()).isEqualTo(200);
                long t1 = System.nanoTime();
                render.run();
                inProcess[i] = (System.nanoTime() - t1) / 1e6;
                long t2 = System.nanoTime();
                status.latest(site);
                latestStatus[i] = (System.nanoTime() - t2) / 1e6;
                long t3 = System.nanoTime();
                sites.current(site);
                siteVersion[i] = (System.nanoTime() - t3) / 1e6;
            }
            System.out.printf("BENCH console run %d: site page, %d cells, %d vantages, %d bytes of HTML; over HTTP "
                            + "(session, queries, matrix, template) %s; matrix and template in process %s; of the "
                            + "queries: latest status %s, current site version %s; load %s%n",
                    run, cells, vantages.size(), first.body().length, fmt(over), fmt(inProcess), fmt(latestStatus),
                    fmt(siteVersion), load());
        }
    }

    private static String fmt(double[] ms) {
        double[] s = ms.clone();
        Arrays.sort(s);
        return String.format("median %.2f ms, p95 %.2f ms, min %.2f ms, max %.2f ms", s[s.length / 2],
                s[(int) (s.length * 0.95)], s[0], s[s.length - 1]);
    }

    private static String load() {
        try {
            return java.nio.file.Files.readString(java.nio.file.Path.of("/proc/loadavg")).split(" ")[0];
        } catch (java.io.IOException e) {
            return "?";
        }
    }

    /** 5,000 latest-status cells with a completed synthetic survey's checks: 10 % failing, 10 % not yet judged. */
    private static int fill(String site, List<String> vantages) throws Exception {
        UUID survey = UUID.randomUUID();
        int n = 0;
        try (Connection c = TestPostgres.database().connect()) {
            try (PreparedStatement s = c.prepareStatement("INSERT INTO survey (id, site_id, site_version, catalog, mode, "
                    + "state, task_count, plan, created_at, created_by, deadline_at, completed_at, completion) VALUES "
                    + "(?, ?, 1, 'jtel-container-stack', 'post-install', 'completed', 0, '[]', now(), 'bench', now(), "
                    + "now(), 'all-results')")) {
                s.setObject(1, survey);
                s.setString(2, site);
                s.executeUpdate();
            }
            try (PreparedStatement ls = c.prepareStatement("INSERT INTO latest_status (site_id, requirement_id, vantage, "
                    + "target, probe, outcome, result_id, survey_id, agent_id, started_at, summary) "
                    + "VALUES (?, ?, ?, ?, 'tcp 443', ?, ?, ?, ?, now() - interval '5 minutes', ?)");
                 PreparedStatement rc = c.prepareStatement("INSERT INTO result_check (survey_id, result_id, "
                         + "requirement_id, verdict, diagnosis_code, diagnosis) VALUES (?, ?, ?, ?, ?, ?)")) {
                for (int r = 0; r < REQUIREMENTS; r++) {
                    for (String v : vantages) {
                        for (int p = 0; p < PROBES; p++) {
                            UUID result = UUID.randomUUID();
                            boolean failing = n % 10 == 3;
                            String requirement = "bench.req-" + (r < 10 ? "0" : "") + r;
                            ls.setString(1, site);
                            ls.setString(2, requirement);
                            ls.setString(3, v);
                            ls.setString(4, "10.20." + r + "." + p);
                            ls.setString(5, failing ? "FILTERED" : "OPEN");
                            ls.setObject(6, result);
                            ls.setObject(7, survey);
                            ls.setString(8, site + "-" + v);
                            ls.setString(9, "tcp 10.20." + r + "." + p + ":443 " + (failing ? "filtered" : "open")
                                    + " in 0.9 ms");
                            ls.addBatch();
                            if (n % 10 != 7) { // one in ten not judged yet: its survey still runs
                                rc.setObject(1, survey);
                                rc.setObject(2, result);
                                rc.setString(3, requirement);
                                rc.setString(4, failing ? "FAIL" : "PASS");
                                rc.setString(5, failing ? "PATH_FILTERED" : null);
                                rc.setString(6, failing ? "TCP 443 stayed silent from " + v + "." : null);
                                rc.addBatch();
                            }
                            n++;
                        }
                    }
                }
                ls.executeBatch();
                rc.executeBatch();
            }
            try (PreparedStatement s = c.prepareStatement("UPDATE site SET status_version = nextval('site_status_seq') "
                    + "WHERE id = ?")) {
                s.setString(1, site);
                s.executeUpdate();
            }
        }
        return n;
    }
}
