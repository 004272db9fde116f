package dev.vantage.coordinator.survey;

import dev.vantage.catalog.Mode;
import dev.vantage.coordinator.api.ApiProblem;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Duration;
import java.time.format.DateTimeParseException;

/**
 * Starts a survey as asked by a person, over the API ({@code POST /sites/{id}/surveys}) or from the console's form:
 * the same checks and the same refusals naming the field, then {@link Surveys#start}.
 */
@ApplicationScoped
public class SurveyStarter {
    private final Surveys surveys;
    private final SurveyQueries queries;
    private final SurveyCompletion completion;

    public SurveyStarter(Surveys surveys, SurveyQueries queries, SurveyCompletion completion) {
        this.surveys = surveys;
        this.queries = queries;
        this.completion = completion;
    }

    /**
     * Starts a survey of the site's current version and returns it as started.
     *
     * @throws ApiProblem naming the field ({@code mode}, {@code deadline}, {@code responderWindow}) it refuses
     */
    public SurveyQueries.SurveyView start(String siteId, SiteSurveyResource.SurveyRequest request, String actor) {
        Mode mode = SiteSurveyResource.mode(request == null ? null : request.mode());
        Duration deadline = duration("deadline", request == null ? null : request.deadline(), "PT20M");
        Duration window = duration("responderWindow", request == null ? null : request.responderWindow(), "PT3M");
        // the media option is on unless switched off (it matters to post-install surveys only)
        boolean media = request == null || request.mediaResponder() == null || request.mediaResponder();
        Surveys.Started started = surveys.start(siteId, mode, deadline, window, media, actor);
        if (started.taskCount() == 0) {
            completion.completeIfAllAnswered(started.id()); // nothing to wait for
        }
        return queries.find(started.id()).orElseThrow();
    }

    private static Duration duration(String field, String value, String example) {
        if (value == null) {
            return null;
        }
        try {
            return Duration.parse(value);
        } catch (DateTimeParseException e) {
            throw ApiProblem.badRequest(field, value, field + " must be an ISO-8601 duration such as " + example
                    + ", was '" + value + "'");
        }
    }
}
