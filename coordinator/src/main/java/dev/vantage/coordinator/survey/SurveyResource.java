package dev.vantage.coordinator.survey;

import dev.vantage.change.ChangeRequest;
import dev.vantage.change.ChangeRequestCsv;
import dev.vantage.change.ChangeRequestMarkdown;
import dev.vantage.coordinator.api.ApiProblem;
import dev.vantage.coordinator.auth.Allowed;
import dev.vantage.coordinator.auth.Caller;
import dev.vantage.coordinator.auth.Role;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;

import java.util.List;

/** A survey's status and verdicts. */
@Path("/surveys")
@Produces(MediaType.APPLICATION_JSON)
public class SurveyResource {
    static final String CSV = "text/csv";
    static final String MARKDOWN = "text/markdown";

    private final SurveyQueries queries;
    private final ChangeRequestRows changeRequests;
    private final Caller caller;

    public SurveyResource(SurveyQueries queries, ChangeRequestRows changeRequests, Caller caller) {
        this.queries = queries;
        this.changeRequests = changeRequests;
        this.caller = caller;
    }

    @GET
    @Path("/{id}")
    @Allowed(Role.VIEWER)
    @Operation(summary = "A survey's status: tasks answered, agents still waited for, completion")
    public SurveyQueries.SurveyView get(@PathParam("id") String id) {
        return visible(id);
    }

    @GET
    @Path("/{id}/verdicts")
    @Allowed(Role.VIEWER)
    @Operation(summary = "The verdicts of a completed survey (empty while it runs)")
    public List<VerdictRow> verdicts(@PathParam("id") String id) {
        return queries.verdicts(visible(id).id());
    }

    @GET
    @Path("/{id}/report")
    @Produces({MediaType.APPLICATION_JSON, CSV, MARKDOWN})
    @Allowed(Role.VIEWER)
    @Operation(summary = "The survey's report as JSON, CSV or Markdown (format=json|csv|markdown, or the Accept header)")
    public Response report(@PathParam("id") String id, @QueryParam("format") String format,
                           @HeaderParam("Accept") String accept) {
        SurveyQueries.SurveyView survey = visible(id);
        Report report = Report.of(survey, queries.verdicts(survey.id()), changeRequests.find(survey.id()).orElse(null));
        return switch (format(format, accept)) {
            case "json" -> Response.ok(report, MediaType.APPLICATION_JSON).build();
            case "csv" -> Response.ok(report.csv(), CSV + "; charset=utf-8")
                    .header("Content-Disposition", "attachment; filename=\"survey-" + survey.id() + ".csv\"").build();
            default -> Response.ok(report.markdown(), MARKDOWN + "; charset=utf-8").build();
        };
    }

    @GET
    @Path("/{id}/change-request")
    @Produces({MediaType.APPLICATION_JSON, CSV, MARKDOWN})
    @Allowed(Role.VIEWER)
    @Operation(summary = "The change request of a completed survey: per device, the exact changes its verdicts ask for, "
            + "and what is left to verify; as JSON, CSV or Markdown (format=json|csv|markdown, or the Accept header)")
    public Response changeRequest(@PathParam("id") String id, @QueryParam("format") String format,
                                  @HeaderParam("Accept") String accept) {
        SurveyQueries.SurveyView survey = visible(id);
        String f = format(format, accept);
        ChangeRequest request = changeRequests.find(survey.id()).orElseThrow(() -> ApiProblem.conflict("id", id,
                "completed".equals(survey.state()) ? "survey " + id + " completed before change requests were written:"
                        + " run a new survey of site " + survey.siteId()
                        : "survey " + id + " is " + survey.state() + ": its change request is written when it completes"));
        return switch (f) {
            case "json" -> Response.ok(request, MediaType.APPLICATION_JSON).build();
            case "csv" -> Response.ok(ChangeRequestCsv.render(request), CSV + "; charset=utf-8")
                    .header("Content-Disposition", "attachment; filename=\"change-request-" + survey.id() + ".csv\"")
                    .build();
            default -> Response.ok(ChangeRequestMarkdown.render(request), MARKDOWN + "; charset=utf-8").build();
        };
    }

    /** {@code json}, {@code csv} or {@code markdown}: the query parameter, else the Accept header, else JSON. */
    private static String format(String format, String accept) {
        String f = format != null ? format
                : accept != null && accept.contains(CSV) ? "csv"
                : accept != null && accept.contains(MARKDOWN) ? "markdown" : "json";
        if (!f.equals("json") && !f.equals("csv") && !f.equals("markdown")) {
            throw ApiProblem.badRequest("format", format, "format must be json, csv or markdown, was '" + format + "'");
        }
        return f;
    }

    @GET
    @Path("/{id}/changes")
    @Allowed(Role.VIEWER)
    @Operation(summary = "Verdicts that changed since another survey of the same site (default: the one before)")
    public Changes changes(@PathParam("id") String id, @QueryParam("since") String since) {
        SurveyQueries.SurveyView to = visible(id);
        if (since == null) {
            return queries.changesSincePrevious(to).orElseThrow(() -> ApiProblem.badRequest("since", null, "survey "
                    + id + " is the first completed survey of site " + to.siteId() + ": name one to compare with"));
        }
        SurveyQueries.SurveyView from = queries.find(SurveyQueries.surveyId("since", since))
                .filter(s -> s.siteId().equals(to.siteId()))
                .orElseThrow(() -> ApiProblem.badRequest("since", since, "since must be a survey of site "
                        + to.siteId() + ", '" + since + "' is not"));
        return Changes.between(from, queries.verdicts(from.id()), to, queries.verdicts(to.id()));
    }

    @GET
    @Path("/{id}/evidence")
    @Allowed(Role.VIEWER)
    @Operation(summary = "The results of a survey (optionally of one requirement) with their evidence and what the "
            + "analysis said about each")
    public List<SurveyQueries.EvidenceItem> evidence(@PathParam("id") String id,
                                                     @QueryParam("requirement") String requirement) {
        return queries.evidence(visible(id).id(), requirement);
    }

    /** The survey, or 404 when it does not exist or belongs to a site the token may not see. */
    SurveyQueries.SurveyView visible(String id) {
        return queries.visible(id, caller);
    }
}
