package dev.vantage.coordinator.api;

import dev.vantage.coordinator.CoordinatorConfig;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;

/** Checks page sizes and time ranges against the configured bounds, naming the parameter at fault. */
@ApplicationScoped
public class Paging {
    /** A checked page request. */
    public record Page(int limit, int offset) {
    }

    /** A checked, half-open time range {@code [from, to)}. */
    public record Range(Instant from, Instant to) {
    }

    private final CoordinatorConfig.Api config;

    public Paging(CoordinatorConfig config) {
        this.config = config.api();
    }

    public Page page(Integer limit, Integer offset) {
        int l = limit == null ? config.defaultPageSize() : limit;
        if (l < 1 || l > config.maxPageSize()) {
            throw ApiProblem.badRequest("limit", limit, "limit must be between 1 and " + config.maxPageSize()
                    + ", was " + limit);
        }
        int o = offset == null ? 0 : offset;
        if (o < 0) {
            throw ApiProblem.badRequest("offset", offset, "offset must not be negative, was " + offset);
        }
        return new Page(l, o);
    }

    /** Defaults: the 24 hours before {@code to}, {@code to} = now. */
    public Range range(String from, String to) {
        Instant t = to == null ? Instant.now() : instant("to", to);
        Instant f = from == null ? t.minus(Duration.ofHours(24)) : instant("from", from);
        if (!f.isBefore(t)) {
            throw ApiProblem.badRequest("from", from, "from (" + f + ") must be before to (" + t + ")");
        }
        Duration span = Duration.between(f, t);
        if (span.compareTo(config.maxTimeRange()) > 0) {
            throw ApiProblem.badRequest("from", from, "the range " + f + " to " + t + " spans " + span.toHours()
                    + " hours; at most " + config.maxTimeRange().toHours() + " hours may be asked at once");
        }
        return new Range(f, t);
    }

    private static Instant instant(String field, String text) {
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException e) {
            throw ApiProblem.badRequest(field, text, field + " must be an ISO-8601 instant such as "
                    + "2026-05-01T00:00:00Z, was '" + text + "'");
        }
    }
}
