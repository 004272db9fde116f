package dev.vantage.coordinator.console;

import dev.vantage.catalog.Catalog;
import dev.vantage.catalog.Catalogs;
import dev.vantage.coordinator.CoordinatorConfig;
import dev.vantage.coordinator.api.ApiProblem;
import dev.vantage.coordinator.api.Paging;
import dev.vantage.coordinator.auth.Allowed;
import dev.vantage.coordinator.auth.Caller;
import dev.vantage.coordinator.auth.Open;
import dev.vantage.coordinator.auth.Page;
import dev.vantage.coordinator.auth.Role;
import dev.vantage.coordinator.registry.AgentDirectory;
import dev.vantage.coordinator.registry.AgentResource;
import dev.vantage.coordinator.registry.SiteRecord;
import dev.vantage.coordinator.registry.SiteRegistry;
import dev.vantage.coordinator.status.StatusQueries;
import dev.vantage.coordinator.survey.Report;
import dev.vantage.coordinator.survey.SurveyQueries;
import dev.vantage.coordinator.survey.SurveySchedules;
import dev.vantage.coordinator.survey.VerdictRow;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * The Sites page (every site the caller may see, newest problems first) and the Site page (the matrix), from the
 * same registry, survey and status queries as {@code GET /sites}, {@code GET /sites/{id}/surveys} and
 * {@code GET /sites/{id}/matrix}.
 */
@Path("/console")
@Page
@Produces(MediaType.TEXT_HTML)
public class SitesPage {

    /** A site in the list: its latest survey's decision and counts, agents online, schedule. */
    public record SiteRow(String id, String name, String catalog, int version, String decision, String icon, String css,
                          String surveyHref, String surveyAge, String surveyAt, List<Count> counts, int online,
                          int agents, String schedule, int rank, Instant at) {
    }

    /** How many verdicts of one kind. */
    public record Count(String verdict, String icon, String css, int n) {
        /** The report's counts that are not zero, in verdict order. */
        static List<Count> of(Report report) {
            List<Count> out = new ArrayList<>();
            report.counts().forEach((v, n) -> {
                if (n > 0) {
                    out.add(new Count(Cells.word(v.name()), Cells.icon(v.name()), Cells.css(v.name()), n));
                }
            });
            return out;
        }
    }

    /** The header of the site page. */
    public record SiteHead(String id, String name, String catalog, int version, String fqdn, String topology,
                           String modules, String schedule, String decision, String icon, String css,
                           String surveyHref, String surveyAt, List<SurveyQueries.SurveyView> surveys) {
    }

    @CheckedTemplate(basePath = "console")
    static class Templates {
        static native TemplateInstance sites(Frame frame, List<SiteRow> sites);

        static native TemplateInstance site(Frame frame, SiteHead site, MatrixView matrix, MatrixView.Filter filter,
                                            String now);
    }

    private final Caller caller;
    private final SiteRegistry registry;
    private final SurveyQueries surveys;
    private final SurveySchedules schedules;
    private final AgentDirectory agents;
    private final StatusQueries status;
    private final int maxPage;

    public SitesPage(Caller caller, SiteRegistry registry, SurveyQueries surveys, SurveySchedules schedules,
                     AgentDirectory agents, StatusQueries status, CoordinatorConfig config) {
        this.caller = caller;
        this.registry = registry;
        this.surveys = surveys;
        this.schedules = schedules;
        this.agents = agents;
        this.status = status;
        this.maxPage = config.api().maxPageSize();
    }

    @GET
    @Open
    public Response console() {
        return Response.seeOther(URI.create("/console/sites")).build();
    }

    @GET
    @Path("/sites")
    @Allowed(Role.VIEWER)
    public TemplateInstance sites() {
        Instant now = Instant.now();
        List<SiteRow> rows = new ArrayList<>();
        for (SiteRecord r : registry.visible(caller, new Paging.Page(maxPage, 0))) {
            Optional<SurveyQueries.SurveyView> latest = surveys.ofSite(r.id, 1, 0).stream().findFirst();
            Report report = latest.map(s -> Report.of(s, surveys.verdicts(s.id()))).orElse(null);
            List<AgentResource.AgentView> siteAgents = agents.list(r.id, maxPage, 0);
            String decision = report == null ? null : report.decision();
            List<Count> counts = report == null ? List.of() : Count.of(report);
            int rank = decision == null ? 3 : switch (decision) {
                case Report.NO_GO -> 0;
                case Report.INCOMPLETE -> 1;
                default -> 2;
            };
            rows.add(new SiteRow(r.id, r.name, r.catalog, r.version, decision == null ? "no survey" : decision,
                    Cells.icon(decision), Cells.css(decision),
                    latest.map(s -> "/console/surveys/" + s.id()).orElse(null),
                    latest.map(s -> Cells.age(s.createdAt(), now) + " ago").orElse(""),
                    latest.map(s -> s.createdAt().toString()).orElse(""), counts,
                    (int) siteAgents.stream().filter(AgentResource.AgentView::online).count(), siteAgents.size(),
                    schedules.find(r.id).map(s -> s.cron() + " (" + s.mode() + "), next " + s.nextRunAt()).orElse("none"),
                    rank, latest.map(SurveyQueries.SurveyView::createdAt).orElse(Instant.EPOCH)));
        }
        rows.sort(Comparator.comparingInt(SiteRow::rank).thenComparing(SiteRow::at, Comparator.reverseOrder())
                .thenComparing(SiteRow::id));
        return Templates.sites(Frame.of(caller, "/sites"), rows);
    }

    @GET
    @Path("/sites/{id}")
    @Allowed(Role.VIEWER)
    public TemplateInstance site(@PathParam("id") String id, @QueryParam("failing") String failing,
                                 @QueryParam("severity") String severity, @QueryParam("q") String q) {
        caller.requireSite(id);
        MatrixView.Filter filter = new MatrixView.Filter(failing != null && !failing.isEmpty(), severity, q);
        if (filter.severity() != null && !List.of("critical", "major", "minor").contains(filter.severity())) {
            throw ApiProblem.badRequest("severity", severity, "severity must be critical, major or minor, was '"
                    + severity + "'");
        }
        Instant now = Instant.now();
        Loaded loaded = load(id);
        MatrixView matrix = MatrixView.build(id, loaded.catalog(), loaded.site().site(), loaded.cells(),
                loaded.agents(), loaded.verdicts(), status.rangeEvidence(id, MatrixView.swept(loaded.cells())), filter,
                now);
        return Templates.site(Frame.of(caller, "/sites/" + id + "/matrix"), head(loaded, now), matrix, filter,
                now.toString());
    }

    /** What the site page reads: the same queries as the REST resources. */
    record Loaded(SiteRegistry.Versioned site, Catalog catalog, List<StatusQueries.Cell> cells,
                  List<AgentResource.AgentView> agents, List<SurveyQueries.SurveyView> surveys,
                  SurveyQueries.SurveyView latestCompleted, List<VerdictRow> verdicts) {
    }

    Loaded load(String id) {
        SiteRegistry.Versioned site = registry.current(id).orElseThrow(() -> ApiProblem.notFound("site", id));
        List<StatusQueries.Cell> cells = status.latest(id).orElseThrow(() -> ApiProblem.notFound("site", id));
        List<SurveyQueries.SurveyView> recent = surveys.ofSite(id, 10, 0);
        SurveyQueries.SurveyView completed = recent.stream().filter(s -> "completed".equals(s.state())).findFirst()
                .orElse(null);
        return new Loaded(site, Catalogs.bundled(site.site().catalog()), cells, agents.list(id, maxPage, 0), recent,
                completed, completed == null ? List.of() : surveys.verdicts(completed.id()));
    }

    private SiteHead head(Loaded l, Instant now) {
        var s = l.site().site();
        SurveyQueries.SurveyView latest = l.surveys().isEmpty() ? null : l.surveys().get(0);
        String decision = latest == null ? null : Report.of(latest, latest == l.latestCompleted() ? l.verdicts()
                : surveys.verdicts(latest.id())).decision();
        return new SiteHead(s.id(), s.name(), s.catalog(), l.site().version(), s.fqdn(), s.topology().wireName(),
                String.join(", ", s.modules()),
                schedules.find(s.id()).map(x -> x.cron() + " UTC (" + x.mode() + "), next " + x.nextRunAt()).orElse("none"),
                decision == null ? "no survey" : decision, Cells.icon(decision), Cells.css(decision),
                latest == null ? null : "/console/surveys/" + latest.id(),
                latest == null ? "" : Cells.age(latest.createdAt(), now) + " ago", l.surveys());
    }
}
