package dev.vantage.coordinator.console;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vantage.catalog.Catalogs;
import dev.vantage.catalog.Requirement;
import dev.vantage.catalog.Expectation;
import dev.vantage.coordinator.auth.Allowed;
import dev.vantage.coordinator.auth.Caller;
import dev.vantage.coordinator.auth.Page;
import dev.vantage.coordinator.auth.Role;
import dev.vantage.coordinator.registry.SiteRegistry;
import dev.vantage.coordinator.survey.ChangeRequestRows;
import dev.vantage.coordinator.survey.Changes;
import dev.vantage.coordinator.survey.Report;
import dev.vantage.coordinator.survey.SurveyQueries;
import dev.vantage.coordinator.survey.Verdict;
import dev.vantage.coordinator.survey.VerdictRow;
import dev.vantage.wire.ProbeResult;
import dev.vantage.wire.RangeEvidence;
import dev.vantage.wire.Wire;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The Survey page (decision with its blockers, progress while it runs, the change request, changes since the survey
 * before, verdicts),
 * the evidence of one requirement's results, and the print-ready report: from the same survey queries as
 * {@code GET /surveys/{id}}, {@code .../verdicts}, {@code .../changes}, {@code .../evidence} and {@code .../report}.
 */
@Path("/console")
@Page
@Produces(MediaType.TEXT_HTML)
public class SurveyPage {
    /** Every fact a survey page shows beside its verdicts. */
    public record Head(SurveyQueries.SurveyView survey, String siteName, String decision, String icon, String css,
                       List<VerdictView> blockers, List<SitesPage.Count> counts, Progress progress,
                       List<String> excluded) {
    }

    /**
     * The link to a survey of the requirements this one found failing, partial or inconclusive again (after a change
     * request was applied, say): the start form filled in with them, the mode and the media option.
     */
    public record Again(int count, String href) {
        static Again of(SurveyQueries.SurveyView s, List<VerdictRow> verdicts) {
            List<String> ids = verdicts.stream()
                    .filter(v -> v.verdict() == Verdict.FAIL || v.verdict() == Verdict.PARTIAL
                            || v.verdict() == Verdict.INCONCLUSIVE)
                    .map(VerdictRow::requirementId).toList();
            if (!"completed".equals(s.state()) || ids.isEmpty()) {
                return null;
            }
            return new Again(ids.size(), "/console/sites/" + encode(s.siteId()) + "/surveys/new?mode=" + encode(s.mode())
                    + "&mediaResponder=" + (s.mediaResponder() ? "on" : "off") + "&requirements="
                    + encode(String.join(",", ids)));
        }

        private static String encode(String value) {
            return URLEncoder.encode(value, StandardCharsets.UTF_8);
        }
    }

    /** A running survey's progress: tasks answered of all, agents still waited for. */
    public record Progress(String state, int answered, int tasks, List<String> waitingFor, String deadline) {
    }

    /** A verdict as the pages show it. */
    public record VerdictView(String requirementId, String title, String verdict, String icon, String css,
                              String severity, String code, String diagnosis, String href) {
    }

    /** A change since the survey before. */
    public record ChangeView(String requirementId, String kind, String before, String after, String diagnosis) {
    }

    /** The results of one vantage for one requirement. */
    public record VantageEvidence(String vantage, List<ResultView> results) {
    }

    /** One result with its check and its evidence. */
    public record ResultView(String resultId, String agent, String agentVersion, String what, String outcome,
                             String startedAt, String source, String destination, String protocol, String summary,
                             String verdict, String icon, String css, String code, String diagnosis,
                             List<Fact> timings, Cells.Strip strip, List<Fact> evidence) {
    }

    /** A name and a value. */
    public record Fact(String name, String value) {
    }

    @CheckedTemplate(basePath = "console")
    static class Templates {
        static native TemplateInstance survey(Frame frame, Head head, List<ChangeView> changes, String changesFrom,
                                              List<VerdictView> verdicts, ChangeRequestView changeRequest, Again again);

        static native TemplateInstance progress(Progress progress);

        static native TemplateInstance evidence(Frame frame, Head head, VerdictView verdict,
                                                List<VantageEvidence> vantages);

        static native TemplateInstance report(Frame frame, Head head, List<VerdictView> verdicts,
                                              List<VantageEvidence> appendix, String printedAt);
    }

    private static final int MAX_FACTS = 80;

    private final Caller caller;
    private final SurveyQueries queries;
    private final SiteRegistry sites;
    private final ChangeRequestRows changeRequests;

    public SurveyPage(Caller caller, SurveyQueries queries, SiteRegistry sites, ChangeRequestRows changeRequests) {
        this.caller = caller;
        this.queries = queries;
        this.sites = sites;
        this.changeRequests = changeRequests;
    }

    @GET
    @Path("/surveys/{id}")
    @Allowed(Role.VIEWER)
    public TemplateInstance survey(@PathParam("id") String id) {
        SurveyQueries.SurveyView s = queries.visible(id, caller);
        List<VerdictRow> verdicts = queries.verdicts(s.id());
        Optional<Changes> changes = "completed".equals(s.state()) ? queries.changesSincePrevious(s) : Optional.empty();
        List<ChangeView> changeViews = changes.map(c -> c.changes().stream()
                .sorted(Comparator.comparingInt(x -> switch (x.kind()) {
                    case "regressed" -> 0;
                    case "fixed" -> 1;
                    default -> 2;
                }))
                .map(x -> new ChangeView(x.requirementId(), x.kind(), x.before() == null ? "—" : Cells.word(x.before().name()),
                        x.after() == null ? "—" : Cells.word(x.after().name()), x.diagnosis()))
                .toList()).orElse(List.of());
        return Templates.survey(Frame.of(caller, "/surveys/" + s.id()), head(s, verdicts), changeViews,
                changes.map(c -> c.from().toString()).orElse(null), views(s, verdicts),
                changeRequests.find(s.id()).map(r -> ChangeRequestView.of(r, s.id().toString())).orElse(null),
                caller.may(Role.OPERATOR) ? Again.of(s, verdicts) : null);
    }

    @GET
    @Path("/surveys/{id}/progress")
    @Allowed(Role.VIEWER)
    public TemplateInstance progress(@PathParam("id") String id) {
        return Templates.progress(progress(queries.visible(id, caller)));
    }

    @GET
    @Path("/surveys/{id}/requirements/{requirement}")
    @Allowed(Role.VIEWER)
    public TemplateInstance evidence(@PathParam("id") String id, @PathParam("requirement") String requirement) {
        SurveyQueries.SurveyView s = queries.visible(id, caller);
        List<VerdictRow> verdicts = queries.verdicts(s.id());
        VerdictView verdict = views(s, verdicts).stream().filter(v -> v.requirementId().equals(requirement)).findFirst()
                .orElse(new VerdictView(requirement, title(s, requirement), "pending", Cells.icon(null),
                        Cells.css(null), "", "", "the survey has not completed", null));
        return Templates.evidence(Frame.of(caller, "/surveys/" + s.id() + "/evidence?requirement=" + requirement),
                head(s, verdicts), verdict, evidence(s, requirement));
    }

    @GET
    @Path("/surveys/{id}/report")
    @Allowed(Role.VIEWER)
    public TemplateInstance report(@PathParam("id") String id) {
        SurveyQueries.SurveyView s = queries.visible(id, caller);
        List<VerdictRow> verdicts = queries.verdicts(s.id());
        return Templates.report(Frame.of(caller, "/surveys/" + s.id() + "/report"), head(s, verdicts),
                views(s, verdicts), evidence(s, null), Instant.now().toString());
    }

    private Head head(SurveyQueries.SurveyView s, List<VerdictRow> verdicts) {
        Report report = Report.of(s, verdicts);
        List<SitesPage.Count> counts = SitesPage.Count.of(report);
        List<String> excluded = new ArrayList<>();
        s.excludedAgents().forEach((agent, why) -> excluded.add(agent + ": " + why));
        String name = sites.find(s.siteId()).map(r -> r.name).orElse(s.siteId());
        return new Head(s, name, report.decision(), Cells.icon(report.decision()), Cells.css(report.decision()),
                views(s, report.blockers()), counts, progress(s), excluded);
    }

    private static Progress progress(SurveyQueries.SurveyView s) {
        return new Progress(s.state(), s.answered(), s.taskCount(), s.waitingFor(), String.valueOf(s.deadlineAt()));
    }

    private List<VerdictView> views(SurveyQueries.SurveyView s, List<VerdictRow> verdicts) {
        List<VerdictView> out = new ArrayList<>(verdicts.size());
        for (VerdictRow v : verdicts) {
            String word = v.verdict().name();
            out.add(new VerdictView(v.requirementId(), title(s, v.requirementId()), Cells.word(word), Cells.icon(word),
                    Cells.css(word), v.severity().wireName(), v.diagnosisCode(), v.diagnosis(),
                    "/console/surveys/" + s.id() + "/requirements/" + v.requirementId()));
        }
        return out;
    }

    private static String title(SurveyQueries.SurveyView s, String requirementId) {
        return Catalogs.bundled(s.catalog()).requirement(requirementId).map(Requirement::title).orElse("");
    }

    private List<VantageEvidence> evidence(SurveyQueries.SurveyView s, String requirementId) {
        Map<String, List<ResultView>> byVantage = new LinkedHashMap<>();
        var catalog = Catalogs.bundled(s.catalog());
        for (SurveyQueries.EvidenceItem item : queries.evidence(s.id(), requirementId)) {
            ProbeResult r = item.result();
            String verdict = item.check() == null ? null : item.check().verdict().name();
            List<Fact> timings = new ArrayList<>();
            r.timingsMicros().forEach((phase, us) -> timings.add(new Fact(phase, String.format("%.1f ms", us / 1000.0))));
            Cells.Strip strip = null;
            if (r.evidence() instanceof RangeEvidence e && r.ports() != null) {
                boolean blocked = catalog.requirement(r.requirementId()).map(q -> q.expect() == Expectation.BLOCKED)
                        .orElse(false);
                strip = Cells.strip(r.ports(), e, "PASS".equals(verdict), blocked);
            }
            String key = (requirementId == null ? r.requirementId() + " · " : "") + r.vantage();
            byVantage.computeIfAbsent(key, k -> new ArrayList<>()).add(new ResultView(r.resultId(), r.agentId(),
                    r.agentVersion(), r.kind().wireName() + " " + r.target() + (r.ports() == null ? "" : ":" + r.ports()),
                    r.outcome().name(), String.valueOf(r.startedAt()), r.sourceAddress(), r.destinationAddress(),
                    r.protocol(), r.summary(), Cells.word(verdict), Cells.icon(verdict), Cells.css(verdict),
                    item.check() == null ? null : item.check().diagnosisCode(),
                    item.check() == null ? null : item.check().diagnosis(), timings, strip, facts(r)));
        }
        List<VantageEvidence> out = new ArrayList<>();
        byVantage.forEach((v, results) -> out.add(new VantageEvidence(v, results)));
        return out;
    }

    /** The evidence of a result as names and values (certificate chains, DNS answers, SIP and RTP figures, ...). */
    static List<Fact> facts(ProbeResult r) {
        List<Fact> out = new ArrayList<>();
        if (r.evidence() != null) {
            flatten("", Wire.mapper().valueToTree(r.evidence()), out);
        }
        return out;
    }

    private static void flatten(String path, JsonNode node, List<Fact> out) {
        if (out.size() >= MAX_FACTS) {
            return;
        }
        if (node.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                if (!(path.isEmpty() && e.getKey().equals("type"))) {
                    flatten(path.isEmpty() ? e.getKey() : path + "." + e.getKey(), e.getValue(), out);
                }
            }
        } else if (node.isArray()) {
            if (node.isEmpty()) {
                out.add(new Fact(path, "none"));
            }
            for (int i = 0; i < node.size(); i++) {
                flatten(path + "[" + i + "]", node.get(i), out);
            }
        } else if (!node.isNull()) {
            out.add(new Fact(path, node.asText()));
        }
        if (out.size() == MAX_FACTS) {
            out.add(new Fact("…", "more in the JSON of this page"));
        }
    }
}
