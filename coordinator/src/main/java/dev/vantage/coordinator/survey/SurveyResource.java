package dev.vantage.coordinator.survey;

import dev.vantage.catalog.Mode;
import dev.vantage.coordinator.api.ApiProblem;
import dev.vantage.coordinator.api.Paging;
import dev.vantage.coordinator.auth.Allowed;
import dev.vantage.coordinator.auth.Caller;
import dev.vantage.coordinator.auth.Role;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;

import java.net.URI;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.UUID;

/** A survey's status and verdicts. */
@Path("/surveys")
@Produces(MediaType.APPLICATION_JSON)
public class SurveyResource {
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

    /** The survey, or 404 when it does not exist or belongs to a site the token may not see. */
    SurveyQueries.SurveyView visible(String id) {
        UUID surveyId = SurveyQueries.surveyId("id", id);
        SurveyQueries.SurveyView s = queries.find(surveyId).orElseThrow(() -> ApiProblem.notFound("survey", id));
        if (!caller.maySee(s.siteId())) {
            throw ApiProblem.notFound("survey", id);
        }
        return s;
    }
}
