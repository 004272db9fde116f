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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;

/**
 * The Sites page (every site the caller may see, newest problems first) and the Site page (the matrix), from the
 * same registry, survey and status queries as {@code GET /sites}, {@code GET /sites/{id}/surveys} and
 * {@code GET /sites/{id}/matrix}.
 */
@Path("/console")
@Page
@Produces(MediaType.TEXT_HTML)
public class SitesPage {
    /** How many surveys of chosen requirements since the last survey of all the site page reads verdicts from. */
    private static final int MAX_CHOSEN = 50;

    /**
     * A site in the list: the decision and counts of its last completed survey of all requirements (only such a survey
     * decides go-live), a newer survey if there is one, agents online, schedule.
     */
    public record SiteRow(String id, String name, String catalog, int version, String decision, String icon, String css,
                          String surveyHref, String surveyAge, String surveyAt, Then then, List<Count> counts,
                          int online, int agents, String schedule, int rank, Instant at) {
    }

    /**
     * The site's newest survey when it is not the one its decision comes from: one that runs, or one of chosen
     * requirements (a re-check after a change, say), with what it found so far.
     */
    public record Then(String text, String href, String age, String at) {
        static Then of(SurveyQueries.SurveyView newest, SurveyQueries.SurveyView decided,
                       Function<UUID, List<VerdictRow>> verdicts, Instant now) {
            if (newest == null || decided != null && newest.id().equals(decided.id())) {
                return null;
            }
            String what = newest.chosen() ? "a survey of " + newest.requirements().size() + " chosen requirement"
                    + (newest.requirements().size() == 1 ? "" : "s") : "a survey of all requirements";
            String text = "completed".equals(newest.state())
                    ? what + ": " + String.join(", ", Count.of(Report.of(newest, verdicts.apply(newest.id()))).stream()
                            .map(c -> c.n() + " " + c.verdict()).toList())
                    : what + " runs: " + newest.answered() + " of " + newest.taskCount() + " tasks answered";
            return new Then(text, "/console/surveys/" + newest.id(), Cells.age(newest.createdAt(), now) + " ago",
                    newest.createdAt().toString());
        }
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
                           String surveyHref, String surveyAt, Then then, List<SurveyQueries.SurveyView> surveys) {
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
            Optional<SurveyQueries.SurveyView> latest = surveys.lastCompletedOfAll(r.id);
            Report report = latest.map(s -> Report.of(s, surveys.verdicts(s.id()))).orElse(null);
            SurveyQueries.SurveyView newest = surveys.ofSite(r.id, 1, 0).stream().findFirst().orElse(null);
            Then then = Then.of(newest, latest.orElse(null), surveys::verdicts, now);
            List<AgentResource.AgentView> siteAgents = agents.list(r.id, maxPage, 0);
            String decision = report == null ? null : report.decision();
            List<Count> counts = report == null ? List.of() : Count.of(report);
            int rank = decision == null ? 3 : switch (decision) {
                case Report.NO_GO -> 0;
                case Report.INCOMPLETE -> 1;
                default -> 2;
            };
            rows.add(new SiteRow(r.id, r.name, r.catalog, r.version,
                    decision == null ? "no survey of all requirements" : decision,
                    Cells.icon(decision), Cells.css(decision),
                    latest.map(s -> "/console/surveys/" + s.id()).orElse(null),
                    latest.map(s -> Cells.age(s.createdAt(), now) + " ago").orElse(""),
                    latest.map(s -> s.createdAt().toString()).orElse(""), then, counts,
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

    /**
     * What the site page reads: the same queries as the REST resources. {@code verdicts}: the newest verdict of each
     * requirement, from the last completed survey of all requirements ({@code ofAll}, whose own verdicts give the
     * decision) and the surveys of chosen requirements completed since (each judged only its requirements).
     */
    record Loaded(SiteRegistry.Versioned site, Catalog catalog, List<StatusQueries.Cell> cells,
                  List<AgentResource.AgentView> agents, List<SurveyQueries.SurveyView> surveys,
                  SurveyQueries.SurveyView ofAll, List<VerdictRow> verdictsOfAll, List<VerdictRow> verdicts) {
    }

    Loaded load(String id) {
        SiteRegistry.Versioned site = registry.current(id).orElseThrow(() -> ApiProblem.notFound("site", id));
        List<StatusQueries.Cell> cells = status.latest(id).orElseThrow(() -> ApiProblem.notFound("site", id));
        SurveyQueries.SurveyView ofAll = surveys.lastCompletedOfAll(id).orElse(null);
        List<VerdictRow> verdictsOfAll = ofAll == null ? List.of() : surveys.verdicts(ofAll.id());
        Map<String, VerdictRow> newest = new LinkedHashMap<>();
        for (SurveyQueries.SurveyView s : surveys.completedOfChosenSince(id, ofAll == null ? null : ofAll.createdAt(),
                MAX_CHOSEN)) {
            surveys.verdicts(s.id()).forEach(v -> newest.putIfAbsent(v.requirementId(), v));
        }
        verdictsOfAll.forEach(v -> newest.putIfAbsent(v.requirementId(), v));
        return new Loaded(site, Catalogs.bundled(site.site().catalog()), cells, agents.list(id, maxPage, 0),
                surveys.ofSite(id, 10, 0), ofAll, verdictsOfAll, List.copyOf(newest.values()));
    }

    private SiteHead head(Loaded l, Instant now) {
        var s = l.site().site();
        SurveyQueries.SurveyView ofAll = l.ofAll();
        String decision = ofAll == null ? null : Report.of(ofAll, l.verdictsOfAll()).decision();
        return new SiteHead(s.id(), s.name(), s.catalog(), l.site().version(), s.fqdn(), s.topology().wireName(),
                String.join(", ", s.modules()),
                schedules.find(s.id()).map(x -> x.cron() + " UTC (" + x.mode() + "), next " + x.nextRunAt()).orElse("none"),
                decision == null ? "no survey of all requirements" : decision, Cells.icon(decision), Cells.css(decision),
                ofAll == null ? null : "/console/surveys/" + ofAll.id(),
                ofAll == null ? "" : Cells.age(ofAll.createdAt(), now) + " ago",
                Then.of(l.surveys().isEmpty() ? null : l.surveys().get(0), ofAll, surveys::verdicts, now), l.surveys());
    }
}
