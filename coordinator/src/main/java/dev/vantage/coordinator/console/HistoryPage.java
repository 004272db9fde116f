package dev.vantage.coordinator.console;

import dev.vantage.catalog.Catalogs;
import dev.vantage.catalog.Requirement;
import dev.vantage.coordinator.api.ApiProblem;
import dev.vantage.coordinator.api.Paging;
import dev.vantage.coordinator.auth.Allowed;
import dev.vantage.coordinator.auth.Caller;
import dev.vantage.coordinator.auth.Page;
import dev.vantage.coordinator.auth.Role;
import dev.vantage.coordinator.registry.SiteRegistry;
import dev.vantage.coordinator.status.StatusQueries;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The History page: one requirement's results per vantage over a chosen period, as a timeline and a list; from the
 * same query and the same bounds as {@code GET /sites/{id}/history}.
 */
@Path("/console")
@Page
@Produces(MediaType.TEXT_HTML)
public class HistoryPage {
    /** The results of one vantage: a timeline (marks in a 1000-wide box) and the list, newest first. */
    public record Lane(String vantage, List<Mark> marks, List<Entry> entries) {
    }

    /** A result on a timeline. */
    public record Mark(int x, String css, String label) {
    }

    /** A result in the list. */
    public record Entry(String at, String verdict, String icon, String css, String outcome, String target, String probe,
                        String agent, String summary, String href) {
    }

    /** The page's choices: the requirement, the vantage (or all), the period. */
    public record Query(String siteId, String siteName, String requirement, String title, String vantage,
                        String period, String from, String to, int limit) {
    }

    @CheckedTemplate(basePath = "console")
    static class Templates {
        static native TemplateInstance history(Frame frame, Query query, List<Lane> lanes, List<String> periods);
    }

    private static final Map<String, Duration> PERIODS = new LinkedHashMap<>();

    static {
        PERIODS.put("1h", Duration.ofHours(1));
        PERIODS.put("24h", Duration.ofHours(24));
        PERIODS.put("7d", Duration.ofDays(7));
        PERIODS.put("31d", Duration.ofDays(31));
    }

    private final Caller caller;
    private final Paging paging;
    private final StatusQueries queries;
    private final SiteRegistry sites;

    public HistoryPage(Caller caller, Paging paging, StatusQueries queries, SiteRegistry sites) {
        this.caller = caller;
        this.paging = paging;
        this.queries = queries;
        this.sites = sites;
    }

    @GET
    @Path("/sites/{id}/history")
    @Allowed(Role.VIEWER)
    public TemplateInstance history(@PathParam("id") String siteId, @QueryParam("requirement") String requirement,
                                    @QueryParam("vantage") String vantage, @QueryParam("period") String period) {
        caller.requireSite(siteId);
        if (requirement == null || requirement.isBlank()) {
            throw ApiProblem.badRequest("requirement", requirement, "requirement is required, e.g. inbound.sip-udp");
        }
        String p = period == null || period.isBlank() ? "24h" : period;
        Duration span = PERIODS.get(p);
        if (span == null) {
            throw ApiProblem.badRequest("period", period, "period must be one of " + String.join(", ", PERIODS.keySet())
                    + ", was '" + period + "'");
        }
        Instant to = Instant.now();
        Paging.Range range = paging.range(to.minus(span).toString(), to.toString());
        Paging.Page page = paging.page(null, null);
        String v = vantage == null || vantage.isBlank() ? null : vantage;
        List<StatusQueries.HistoryEntry> results = queries.history(siteId, requirement, v, null, range.from(),
                range.to(), page.limit(), 0).orElseThrow(() -> ApiProblem.notFound("site", siteId));
        var site = sites.current(siteId).orElseThrow(() -> ApiProblem.notFound("site", siteId));
        String title = Catalogs.bundled(site.site().catalog()).requirement(requirement).map(Requirement::title)
                .orElse("");
        Map<String, Lane> lanes = new LinkedHashMap<>();
        double scale = 1000.0 / span.toMillis();
        for (StatusQueries.HistoryEntry e : results) {
            Lane lane = lanes.computeIfAbsent(e.vantage(), k -> new Lane(k, new ArrayList<>(), new ArrayList<>()));
            String css = Cells.css(e.verdict());
            int x = (int) Math.min(996, Math.max(0, (e.startedAt().toEpochMilli() - range.from().toEpochMilli()) * scale));
            lane.marks().add(new Mark(x, css, e.startedAt() + " " + e.outcome() + " (" + Cells.word(e.verdict()) + ")"));
            lane.entries().add(new Entry(e.startedAt().toString(), Cells.word(e.verdict()), Cells.icon(e.verdict()), css,
                    e.outcome(), e.target(), e.kind() + (e.ports() == null ? "" : " " + e.ports()), e.agentId(),
                    e.summary(), "/console/surveys/" + e.surveyId() + "/requirements/" + requirement + "#v-"
                    + e.vantage()));
        }
        StringBuilder json = new StringBuilder("/sites/" + siteId + "/history?requirement=" + requirement);
        if (v != null) {
            json.append("&vantage=").append(v);
        }
        json.append("&from=").append(range.from()).append("&to=").append(range.to());
        return Templates.history(Frame.of(caller, json.toString()), new Query(siteId, site.site().name(), requirement,
                title, v, p, range.from().toString(), range.to().toString(), page.limit()),
                new ArrayList<>(lanes.values()), List.copyOf(PERIODS.keySet()));
    }
}
