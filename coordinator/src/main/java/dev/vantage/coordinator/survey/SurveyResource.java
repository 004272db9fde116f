package dev.vantage.coordinator.survey;

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
    private final Caller caller;

    public SurveyResource(SurveyQueries queries, Caller caller) {
        this.queries = queries;
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
        Report report = Report.of(survey, queries.verdicts(survey.id()));
        String f = format != null ? format
                : accept != null && accept.contains(CSV) ? "csv"
                : accept != null && accept.contains(MARKDOWN) ? "markdown" : "json";
        return switch (f) {
            case "json" -> Response.ok(report, MediaType.APPLICATION_JSON).build();
            case "csv" -> Response.ok(report.csv(), CSV + "; charset=utf-8")
                    .header("Content-Disposition", "attachment; filename=\"survey-" + survey.id() + ".csv\"").build();
            case "markdown" -> Response.ok(report.markdown(), MARKDOWN + "; charset=utf-8").build();
            default -> throw ApiProblem.badRequest("format", format, "format must be json, csv or markdown, was '"
                    + format + "'");
        };
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
        return Changes.between(from.id(), queries.verdicts(from.id()), to.id(), queries.verdicts(to.id()));
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
