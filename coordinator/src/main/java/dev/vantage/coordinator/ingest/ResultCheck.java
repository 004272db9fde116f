package dev.vantage.coordinator.ingest;

import dev.vantage.wire.MalformedMessageException;
import dev.vantage.wire.ProbeResult;
import dev.vantage.wire.Wire;

import java.util.UUID;
import java.util.regex.Pattern;

/**
 * The checks a result must pass before it touches the database: results come from agents at customer
 * sites and are untrusted input. What needs the database (known survey and task, the right agent) is
 * checked by {@link ResultIngest} against the dispatched task.
 */
final class ResultCheck {
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9._-]{1,200}");
    static final int MAX_SUMMARY_CHARS = 2000;
    static final int MAX_TARGET_CHARS = 255;

    /** A decoded result with its ids parsed. */
    record Checked(ProbeResult result, UUID resultId, UUID surveyId, UUID taskId) {
    }

    private ResultCheck() {
    }

    /** @throws MalformedMessageException naming the field and value */
    static Checked decode(byte[] bytes) {
        ProbeResult r = Wire.decode(bytes, ProbeResult.class);
        Wire.requireSchema(r.schemaVersion(), "result");
        UUID resultId = uuid("resultId", r.resultId());
        UUID surveyId = uuid("surveyId", r.surveyId());
        UUID taskId = uuid("taskId", r.taskId());
        id("agentId", r.agentId());
        id("siteId", r.siteId());
        id("vantage", r.vantage());
        required("requirementId", r.requirementId());
        required("kind", r.kind());
        required("outcome", r.outcome());
        required("startedAt", r.startedAt());
        required("target", r.target());
        if (r.target().length() > MAX_TARGET_CHARS) {
            throw new MalformedMessageException("result " + r.resultId() + ": target has " + r.target().length()
                    + " characters, at most " + MAX_TARGET_CHARS + " allowed");
        }
        if (r.summary() != null && r.summary().length() > MAX_SUMMARY_CHARS) {
            throw new MalformedMessageException("result " + r.resultId() + ": summary has " + r.summary().length()
                    + " characters, at most " + MAX_SUMMARY_CHARS + " allowed");
        }
        return new Checked(r, resultId, surveyId, taskId);
    }

    private static UUID uuid(String field, String value) {
        if (value == null) {
            throw new MalformedMessageException("result field " + field + " is missing");
        }
        try {
            return UUID.fromString(value);
        } catch (IllegalArgumentException e) {
            throw new MalformedMessageException("result field " + field + " is '" + abbreviate(value)
                    + "', expected a UUID");
        }
    }

    private static void id(String field, String value) {
        if (value == null || !ID.matcher(value).matches()) {
            throw new MalformedMessageException("result field " + field + " is '" + abbreviate(value)
                    + "', expected 1-200 letters, digits, '.', '_' or '-'");
        }
    }

    private static void required(String field, Object value) {
        if (value == null) {
            throw new MalformedMessageException("result field " + field + " is missing");
        }
    }

    static String abbreviate(String s) {
        return s == null ? "null" : s.length() <= 60 ? s : s.substring(0, 60) + "…";
    }
}
