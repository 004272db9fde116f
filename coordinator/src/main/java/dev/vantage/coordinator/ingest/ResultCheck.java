package dev.vantage.coordinator.ingest;

import dev.vantage.wire.MalformedMessageException;
import dev.vantage.wire.ProbeResult;
import dev.vantage.wire.SignedResult;
import dev.vantage.wire.Wire;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * The checks a result must pass: results come from agents at customer sites and are untrusted input. Its
 * envelope, shape and ids are checked before it touches the database ({@link #decode}); that it answers a dispatched
 * task, from the agent the task was sent to, within the survey's time, is checked against the task as stored
 * ({@link #againstTask}, by {@link ResultStore}), and that it is signed with the key bound to that agent after that
 * ({@link #againstKey}): only then is anything in it believed.
 */
final class ResultCheck {
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9._-]{1,200}");
    static final int MAX_SUMMARY_CHARS = 2000;
    static final int MAX_TARGET_CHARS = 255;

    /** Why a result is refused, as the {@code reason} tag of {@code vantage_results_refused_total}. */
    enum Cause {
        /** Not a readable signed result: not JSON, a schema version this build does not read, a missing field. */
        MALFORMED("malformed"),
        /** No signature: a plain result, as agents before schema version 2 sent them. */
        UNSIGNED("unsigned"),
        /** It answers no dispatched task of the agent it names, or not within its survey. */
        TASK("task"),
        /** The task's agent has no bound key yet (not approved, or its first heartbeat not yet in). */
        NO_BOUND_KEY("no-bound-key"),
        /** Signed with another key than the one bound to the task's agent: a sibling's, an old or unapproved one. */
        KEY_NOT_BOUND("key-not-bound"),
        /** The signature does not verify with the bound key: the result was changed after it was signed. */
        BAD_SIGNATURE("bad-signature"),
        /** PostgreSQL refused to store it (not: was unavailable). */
        DATABASE("database");

        private final String tag;

        Cause(String tag) {
            this.tag = tag;
        }

        String tag() {
            return tag;
        }
    }

    /** A refusal: its cause and the sentence for the dead-letter header. */
    record Refusal(Cause cause, String reason) {
    }

    /** A result that is refused for lack of a signature (its cause is {@link Cause#UNSIGNED}). */
    static final class UnsignedException extends MalformedMessageException {
        UnsignedException(String reason) {
            super(reason);
        }
    }

    /**
     * A decoded result with its ids parsed, and what its signature is checked with: the key id the agent names, the
     * bytes it signed and the signature (null when it is no Ed25519 signature at all).
     */
    record Checked(ProbeResult result, UUID resultId, UUID surveyId, UUID taskId, String keyId, byte[] signed,
                   byte[] signature) {
    }

    private ResultCheck() {
    }

    /**
     * @throws UnsignedException        for a record without a signature
     * @throws MalformedMessageException naming the field and value
     */
    static Checked decode(byte[] bytes) {
        SignedResult envelope = Wire.decode(bytes, SignedResult.class);
        if (envelope.schemaVersion() <= Wire.SCHEMA_VERSION && (envelope.result() == null
                || envelope.signature() == null || envelope.signature().isBlank() || envelope.keyId() == null)) {
            throw new UnsignedException("unsigned: the record carries no signed result (schema version "
                    + envelope.schemaVersion() + (envelope.schemaVersion() < Wire.SCHEMA_VERSION
                    ? ": an agent from before signed results, upgrade it)" : ")"));
        }
        Wire.requireSchema(envelope.schemaVersion(), "signed result");
        byte[] signed = envelope.result().getBytes(StandardCharsets.UTF_8);
        ProbeResult r = Wire.decode(signed, ProbeResult.class);
        Wire.requireResultSchema(r.schemaVersion(), "result");
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
        return new Checked(r, resultId, surveyId, taskId, envelope.keyId(), signed, signature(envelope.signature()));
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

    /**
     * Why the result is not proven to come from {@code agentId}, the agent its task was signed for, or null when it
     * is: it must be signed with the key bound to that agent, and the signature must verify over the bytes carried.
     */
    static Refusal againstKey(Checked c, String agentId, BoundKeys.Bound bound) {
        String claimed = abbreviate(c.keyId());
        if (bound == null) {
            return new Refusal(Cause.NO_BOUND_KEY, "result " + c.resultId() + " for a task of agent " + agentId
                    + " is signed with key " + claimed + ", but no key is bound to " + agentId + " yet (it is bound when "
                    + "the agent is approved: by its site file listing it, with its first heartbeat, or by an operator)");
        }
        if (!bound.keyId().equals(c.keyId())) {
            return new Refusal(Cause.KEY_NOT_BOUND, "result " + c.resultId() + " for a task of agent " + agentId
                    + " is signed with key " + claimed + ", not with the key bound to " + agentId + ", " + bound.keyId()
                    + " (another agent's key, an old key, or a new one no operator has approved)");
        }
        if (c.signature() == null || !BoundKeys.verifies(bound, c.signed(), c.signature())) {
            return new Refusal(Cause.BAD_SIGNATURE, "result " + c.resultId() + ": its signature does not verify with "
                    + "key " + bound.keyId() + " of agent " + agentId + " (the result was changed after it was signed)");
        }
        return null;
    }

    /** The 64 bytes of a base64 Ed25519 signature, or null when it is none. */
    private static byte[] signature(String base64) {
        try {
            byte[] bytes = Base64.getDecoder().decode(base64);
            return bytes.length == 64 ? bytes : null;
        } catch (IllegalArgumentException e) {
            return null;
        }
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
