package dev.vantage.coordinator.console;

import dev.vantage.coordinator.api.ApiProblem;
import dev.vantage.coordinator.auth.Allowed;
import dev.vantage.coordinator.auth.Caller;
import dev.vantage.coordinator.auth.Page;
import dev.vantage.coordinator.auth.Role;
import dev.vantage.coordinator.registry.SiteRegistry;
import dev.vantage.coordinator.survey.SiteScheduleResource;
import dev.vantage.coordinator.survey.SiteSurveyResource;
import dev.vantage.coordinator.survey.SurveyQueries;
import dev.vantage.coordinator.survey.SurveySchedules;
import dev.vantage.coordinator.survey.SurveyStarter;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.RestForm;

import java.net.URI;
import java.util.Arrays;
import java.util.List;

/**
 * Start a survey and Set the schedule, for operators: the forms send what {@code POST /sites/{id}/surveys} and
 * {@code PUT /sites/{id}/schedule} take to the same services, and a refusal comes back as the API's message beside
 * the field it names.
 */
@Path("/console")
@Page
@Produces(MediaType.TEXT_HTML)
public class SurveyForms {
    /** What the form holds, and the refusal to show beside its field. */
    public record Form(String siteId, String siteName, String mode, String deadline, String responderWindow,
                       String cron, boolean mediaResponder, String requirements, String field, String error) {
        public boolean invalid(String name) {
            return name.equals(field);
        }
    }

    @CheckedTemplate(basePath = "console")
    static class Templates {
        static native TemplateInstance startSurvey(Frame frame, Form form);

        static native TemplateInstance schedule(Frame frame, Form form, SurveySchedules.Schedule current);
    }

    private final Caller caller;
    private final SiteRegistry sites;
    private final SurveyStarter starter;
    private final SurveySchedules schedules;

    public SurveyForms(Caller caller, SiteRegistry sites, SurveyStarter starter, SurveySchedules schedules) {
        this.caller = caller;
        this.sites = sites;
        this.starter = starter;
        this.schedules = schedules;
    }

    @GET
    @Path("/sites/{id}/surveys/new")
    @Allowed(Role.OPERATOR)
    public TemplateInstance startForm(@PathParam("id") String siteId, @QueryParam("mode") String mode,
                                      @QueryParam("mediaResponder") String mediaResponder,
                                      @QueryParam("requirements") String requirements) {
        // the query fills the form in (the survey page's "survey the failing requirements again"); nothing starts
        // before the operator submits it, and the submission is checked as any other
        return Templates.startSurvey(frame(siteId), new Form(siteId, name(siteId), mode == null ? "post-install" : mode,
                "", "", null, !"off".equals(mediaResponder), requirements == null ? "" : requirements, null, null));
    }

    @POST
    @Path("/sites/{id}/surveys")
    @Allowed(Role.OPERATOR)
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response start(@PathParam("id") String siteId, @RestForm String csrf, @RestForm String mode,
                          @RestForm String deadline, @RestForm String responderWindow,
                          @RestForm String mediaResponder, @RestForm String requirements) {
        caller.requireFormToken(csrf);
        String name = name(siteId);
        try {
            SurveyQueries.SurveyView started = starter.start(siteId, new SiteSurveyResource.SurveyRequest(mode,
                    blankToNull(deadline), blankToNull(responderWindow), mediaResponder != null, ids(requirements)),
                    caller.name());
            return Response.seeOther(URI.create("/console/surveys/" + started.id())).build();
        } catch (ApiProblem p) {
            if (p.status() != 400 || p.field() == null) {
                throw p;
            }
            return Response.status(400).entity(Templates.startSurvey(frame(siteId), new Form(siteId, name, mode,
                    deadline, responderWindow, null, mediaResponder != null, requirements, p.field(), p.getMessage())))
                    .build();
        }
    }

    @GET
    @Path("/sites/{id}/schedule")
    @Allowed(Role.OPERATOR)
    public TemplateInstance scheduleForm(@PathParam("id") String siteId) {
        String name = name(siteId);
        SurveySchedules.Schedule current = schedules.find(siteId).orElse(null);
        return Templates.schedule(frame(siteId), new Form(siteId, name, current == null ? "post-install" : current.mode(),
                null, null, current == null ? "" : current.cron(), current == null || current.mediaResponder(), null,
                null, null), current);
    }

    @POST
    @Path("/sites/{id}/schedule")
    @Allowed(Role.OPERATOR)
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response schedule(@PathParam("id") String siteId, @RestForm String csrf, @RestForm String cron,
                             @RestForm String mode, @RestForm String mediaResponder, @RestForm String remove) {
        caller.requireFormToken(csrf);
        String name = name(siteId);
        if (remove != null) {
            schedules.delete(siteId);
            return Response.seeOther(URI.create("/console/sites/" + siteId)).build();
        }
        try {
            schedules.put(siteId, new SiteScheduleResource.ScheduleRequest(cron, mode, mediaResponder != null),
                    caller.name());
            return Response.seeOther(URI.create("/console/sites/" + siteId)).build();
        } catch (ApiProblem p) {
            if (p.status() != 400 || p.field() == null) {
                throw p;
            }
            return Response.status(400).entity(Templates.schedule(frame(siteId), new Form(siteId, name, mode, null,
                    null, cron, mediaResponder != null, null, p.field(), p.getMessage()), schedules.find(siteId).orElse(null)))
                    .build();
        }
    }

    private Frame frame(String siteId) {
        return Frame.of(caller, "/sites/" + siteId + "/surveys");
    }

    private String name(String siteId) {
        caller.requireSite(siteId);
        return sites.find(siteId).map(r -> r.name).orElseThrow(() -> ApiProblem.notFound("site", siteId));
    }

    /** The requirement ids of the form's field, separated by commas or white space; null (all) when it is blank. */
    static List<String> ids(String field) {
        if (field == null || field.isBlank()) {
            return null;
        }
        return Arrays.stream(field.split("[,\\s]+")).filter(id -> !id.isEmpty()).toList();
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}
