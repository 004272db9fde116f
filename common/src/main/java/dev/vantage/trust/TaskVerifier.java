package dev.vantage.trust;

import dev.vantage.wire.MalformedMessageException;
import dev.vantage.wire.ProbeTask;
import dev.vantage.wire.SignedTask;
import dev.vantage.wire.TaskGrant;
import dev.vantage.wire.Wire;

import java.security.PublicKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The agent's side: accepts a task only when it is signed by a trusted coordinator key, is inside its
 * validity window (with a small allowance for clock skew), and has not been seen before.
 *
 * <p>The replay cache remembers every accepted task id until its grant expires; a grant cannot be
 * valid for longer than {@code maxValidity}, so the cache is bounded by the task rate times that.
 * Not thread-safe: one verifier per consumer thread.
 */
public final class TaskVerifier {

    /**
     * The outcome of a verification: the task to run, or why it was refused; {@code replay} when the refusal is that
     * this verifier accepted the task already (its accepted copy answers it).
     */
    public record Verification(ProbeTask task, String refusal, boolean replay) {
        public boolean accepted() {
            return refusal == null;
        }

        static Verification refuse(ProbeTask task, String reason) {
            return new Verification(task, reason, false);
        }
    }

    private final Map<String, PublicKey> trustedKeys;
    private final Duration maxValidity;
    private final Duration clockSkew;
    private final Clock clock;
    private final int maxRemembered;
    private final LinkedHashMap<String, Instant> seen = new LinkedHashMap<>();

    /**
     * @param trustedKeys   key id → public key of every coordinator key the agent trusts
     * @param maxValidity   longest validity window accepted (longer grants are refused)
     * @param clockSkew     tolerated difference between the coordinator's and the agent's clock
     * @param maxRemembered upper bound of the replay cache; beyond it new tasks are refused (fail closed)
     */
    public TaskVerifier(Map<String, PublicKey> trustedKeys, Duration maxValidity, Duration clockSkew, Clock clock,
                        int maxRemembered) {
        this.trustedKeys = Map.copyOf(trustedKeys);
        this.maxValidity = maxValidity;
        this.clockSkew = clockSkew;
        this.clock = clock;
        this.maxRemembered = maxRemembered;
    }

    public Verification verify(SignedTask signed) {
        if (signed == null || signed.grant() == null) {
            return Verification.refuse(null, "unsigned: no grant in the message");
        }
        if (signed.signature() == null || signed.signature().isBlank()) {
            return Verification.refuse(peek(signed), "unsigned: the task carries no signature");
        }
        PublicKey key = trustedKeys.get(signed.keyId());
        if (key == null) {
            return Verification.refuse(peek(signed), "signed with key '" + signed.keyId()
                    + "', which this agent does not trust (trusted: " + trustedKeys.keySet() + ")");
        }
        if (!Signatures.verifies(key, signed.grant(), signed.signature())) {
            return Verification.refuse(peek(signed), "bad signature: the task was altered or signed with another key");
        }
        TaskGrant grant;
        try {
            grant = Wire.decode(signed.grant(), TaskGrant.class);
        } catch (MalformedMessageException e) {
            return Verification.refuse(null, "signed but malformed: " + e.reason());
        }
        ProbeTask task = grant.task();
        if (task == null || task.taskId() == null || grant.issuedAt() == null || grant.expiresAt() == null) {
            return Verification.refuse(task, "signed but incomplete: task, task id, issuedAt and expiresAt are required");
        }
        Instant now = clock.instant();
        if (Duration.between(grant.issuedAt(), grant.expiresAt()).compareTo(maxValidity) > 0) {
            return Verification.refuse(task, "validity window " + grant.issuedAt() + " to " + grant.expiresAt()
                    + " is longer than the " + maxValidity + " this agent accepts");
        }
        if (now.isAfter(grant.expiresAt().plus(clockSkew))) {
            return Verification.refuse(task, "expired at " + grant.expiresAt() + " (agent clock " + now + ")");
        }
        if (now.isBefore(grant.issuedAt().minus(clockSkew))) {
            return Verification.refuse(task, "issued in the future at " + grant.issuedAt() + " (agent clock " + now
                    + "): check the clocks");
        }
        forgetExpired(now);
        if (seen.containsKey(task.taskId())) {
            return new Verification(task, "replayed: task " + task.taskId() + " was already accepted", true);
        }
        if (seen.size() >= maxRemembered) {
            return Verification.refuse(task, "replay cache full (" + maxRemembered + " tasks in flight): refusing "
                    + "rather than risking a replay");
        }
        seen.put(task.taskId(), grant.expiresAt().plus(clockSkew));
        return new Verification(task, null, false);
    }

    private void forgetExpired(Instant now) {
        for (Iterator<Map.Entry<String, Instant>> it = seen.entrySet().iterator(); it.hasNext(); ) {
            if (it.next().getValue().isBefore(now)) {
                it.remove();
            }
        }
    }

    /** Best-effort read of an unverified grant, only to name the task in a refusal. */
    private static ProbeTask peek(SignedTask signed) {
        try {
            return Wire.decode(signed.grant(), TaskGrant.class).task();
        } catch (RuntimeException e) {
            return null;
        }
    }
}
