package dev.vantage.coordinator.survey;

import dev.vantage.coordinator.api.ApiProblem;
import dev.vantage.coordinator.auth.Allowed;
import dev.vantage.coordinator.auth.Caller;
import dev.vantage.coordinator.auth.Role;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;

/** A site's survey schedule. */
@Path("/sites/{id}/schedule")
@Produces(MediaType.APPLICATION_JSON)
public class SiteScheduleResource {

    /**
     * {@code cron}: five-field UNIX cron in UTC, e.g. {@code 0 6 * * 1-5}; {@code mode}: pre-install or post-install;
     * {@code mediaResponder}: the media option of the post-install surveys it starts (default true; off for a
     * schedule that runs during business hours).
     */
    public record ScheduleRequest(String cron, String mode, Boolean mediaResponder) {
    }

    private final SurveySchedules schedules;
    private final Caller caller;

    public SiteScheduleResource(SurveySchedules schedules, Caller caller) {
        this.schedules = schedules;
        this.caller = caller;
    }

    @GET
    @Allowed(Role.VIEWER)
    @Operation(summary = "The site's survey schedule")
    public SurveySchedules.Schedule get(@PathParam("id") String siteId) {
        caller.requireSite(siteId);
        return schedules.find(siteId).orElseThrow(() -> ApiProblem.notFound("schedule of site", siteId));
    }

    @PUT
    @Consumes(MediaType.APPLICATION_JSON)
    @Allowed(Role.OPERATOR)
    @Operation(summary = "Survey the site on a schedule (replaces any previous one)")
    public SurveySchedules.Schedule put(@PathParam("id") String siteId, ScheduleRequest request) {
        caller.requireSite(siteId);
        return schedules.put(siteId, request, caller.name());
    }

    @DELETE
    @Allowed(Role.OPERATOR)
    @Operation(summary = "Stop surveying the site on a schedule")
    public Response delete(@PathParam("id") String siteId) {
        caller.requireSite(siteId);
        if (!schedules.delete(siteId)) {
            throw ApiProblem.notFound("schedule of site", siteId);
        }
        return Response.noContent().build();
    }
}
