package dev.vantage.coordinator.survey;

import dev.vantage.catalog.Mode;
import dev.vantage.coordinator.api.ApiProblem;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Starts a survey as asked by a person, over the API ({@code POST /sites/{id}/surveys}) or from the console's form:
 * the same checks and the same refusals naming the field, then {@link Surveys#start}.
 */
@ApplicationScoped
public class SurveyStarter {
    /** More than any catalog has requirements. */
    static final int MAX_CHOSEN = 500;

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
     * @throws ApiProblem naming the field ({@code mode}, {@code deadline}, {@code responderWindow},
     *                    {@code requirements}) it refuses
     */
    public SurveyQueries.SurveyView start(String siteId, SiteSurveyResource.SurveyRequest request, String actor) {
        Mode mode = SiteSurveyResource.mode(request == null ? null : request.mode());
        Duration deadline = duration("deadline", request == null ? null : request.deadline(), "PT20M");
        Duration window = duration("responderWindow", request == null ? null : request.responderWindow(), "PT3M");
        // the media option is on unless switched off (it matters to post-install surveys only)
        boolean media = request == null || request.mediaResponder() == null || request.mediaResponder();
        Surveys.Started started = surveys.start(siteId, mode, deadline, window, media, chosen(request), actor);
        if (started.taskCount() == 0) {
            completion.completeIfAllAnswered(started.id()); // nothing to wait for
        }
        return queries.find(started.id()).orElseThrow();
    }

    /** The chosen requirements of a request (none: all), at most {@value #MAX_CHOSEN}, each named once. */
    private static Set<String> chosen(SiteSurveyResource.SurveyRequest request) {
        List<String> ids = request == null || request.requirements() == null ? List.of() : request.requirements();
        if (ids.size() > MAX_CHOSEN) {
            throw ApiProblem.badRequest("requirements", ids.size(), "requirements may name at most " + MAX_CHOSEN
                    + " requirements (leave it out to survey all), was " + ids.size());
        }
        Set<String> chosen = new LinkedHashSet<>();
        for (String id : ids) {
            if (id == null || id.isBlank()) {
                throw ApiProblem.badRequest("requirements", id, "requirements must be requirement ids, not empty");
            }
            chosen.add(id.strip());
        }
        return chosen;
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
