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
import java.util.List;

/** Starting the surveys of a site and listing them. */
@Path("/sites/{id}/surveys")
@Produces(MediaType.APPLICATION_JSON)
public class SiteSurveyResource {

    /**
     * What to start: {@code mode} pre-install or post-install; {@code deadline} and {@code responderWindow}
     * ISO-8601 durations (optional; the configured defaults otherwise); {@code mediaResponder} (post-install, default
     * true): the stack's responder takes the free ports of the media ranges (RTP) for the window so that the media
     * forward can be proven; switch it off during business hours; {@code requirements} (optional): the ids of the
     * requirements to check, for a survey of those only (after a change request was applied, say); all when absent.
     */
    public record SurveyRequest(String mode, String deadline, String responderWindow, Boolean mediaResponder,
                                List<String> requirements) {
    }

    private final SurveyStarter starter;
    private final SurveyQueries queries;
    private final Caller caller;
    private final Paging paging;

    public SiteSurveyResource(SurveyStarter starter, SurveyQueries queries, Caller caller, Paging paging) {
        this.starter = starter;
        this.queries = queries;
        this.caller = caller;
        this.paging = paging;
    }

    /** The {@code mode} field of a request, or a problem response naming it. */
    public static Mode mode(String text) {
        if (text == null) {
            throw ApiProblem.badRequest("mode", null, "mode is required: pre-install or post-install");
        }
        return switch (text) {
            case "pre-install" -> Mode.PRE_INSTALL;
            case "post-install" -> Mode.POST_INSTALL;
            default -> throw ApiProblem.badRequest("mode", text, "mode must be pre-install or post-install, "
                    + "was '" + text + "'");
        };
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Allowed(Role.OPERATOR)
    @Operation(summary = "Start a survey of the site's current version from all its vantages, of all requirements or of chosen ones")
    public Response start(@PathParam("id") String siteId, SurveyRequest request) {
        caller.requireSite(siteId);
        SurveyQueries.SurveyView started = starter.start(siteId, request, caller.name());
        return Response.created(URI.create("/surveys/" + started.id())).entity(started).build();
    }

    @GET
    @Allowed(Role.VIEWER)
    @Operation(summary = "Surveys of a site, newest first")
    public List<SurveyQueries.SurveyView> ofSite(@PathParam("id") String siteId, @QueryParam("limit") Integer limit,
                                                 @QueryParam("offset") Integer offset) {
        caller.requireSite(siteId);
        Paging.Page page = paging.page(limit, offset);
        return queries.ofSite(siteId, page.limit(), page.offset());
    }

}
