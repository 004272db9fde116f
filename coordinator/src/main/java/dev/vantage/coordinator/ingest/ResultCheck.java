package dev.vantage.coordinator.ingest;

import dev.vantage.wire.MalformedMessageException;
import dev.vantage.wire.ProbeResult;
import dev.vantage.wire.Wire;

import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * The checks a result must pass: results come from agents at customer sites and are untrusted input. Its
 * shape and ids are checked before it touches the database ({@link #decode}); that it answers a dispatched
 * task, from the agent the task was sent to, within the survey's time, is checked against the task as stored
 * ({@link #againstTask}, by {@link ResultStore}).
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

    /**
     * Why the result does not answer the task, or null when it does: the task must exist (a deleted survey's do
     * not), have been sent to the agent the result names, for the same site, vantage and requirement, and the
     * result must have started within its survey, give or take {@code clockSkew}.
     */
    static String againstTask(ProbeResult r, TaskDirectory.Task task, Duration clockSkew, Instant now) {
        if (task == null) {
            return "unknown task " + r.taskId() + " of survey " + r.surveyId();
        }
        if (!task.agentId().equals(r.agentId())) {
            return "task " + r.taskId() + " was sent to agent " + task.agentId() + ", but the result names agent "
                    + r.agentId();
        }
        if (!task.siteId().equals(r.siteId()) || !task.vantage().equals(r.vantage())
                || !task.requirementId().equals(r.requirementId())) {
            return "result " + r.resultId() + " claims site/vantage/requirement " + r.siteId() + "/" + r.vantage() + "/"
                    + r.requirementId() + ", task " + r.taskId() + " is " + task.siteId() + "/" + task.vantage() + "/"
                    + task.requirementId();
        }
        Instant earliest = task.surveyCreatedAt().minus(clockSkew);
        Instant latest = now.plus(clockSkew);
        if (r.startedAt().isBefore(earliest) || r.startedAt().isAfter(latest)) {
            return "result " + r.resultId() + " started at " + r.startedAt() + ", outside its survey (" + earliest
                    + " to " + latest + "): check the agent's clock";
        }
        return null;
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
