package dev.vantage.trust;

import dev.vantage.wire.ProbeTask;
import dev.vantage.wire.SignedTask;
import dev.vantage.wire.TaskGrant;
import dev.vantage.wire.Wire;

import java.security.PrivateKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/** The coordinator's side: signs each task with its Ed25519 key and a short validity window. */
public final class TaskSigner {
    private final String keyId;
    private final PrivateKey key;
    private final Duration validity;
    private final Clock clock;

    public TaskSigner(String keyId, PrivateKey key, Duration validity, Clock clock) {
        this.keyId = keyId;
        this.key = key;
        this.validity = validity;
        this.clock = clock;
    }

    public SignedTask sign(ProbeTask task) {
        Instant now = clock.instant();
        String grant = Wire.encodeToString(new TaskGrant(task, now, now.plus(validity)));
        return new SignedTask(Wire.SCHEMA_VERSION, keyId, grant, sign(grant));
    }

    String sign(String grant) {
        return Signatures.sign(key, grant, "key " + keyId);
    }
}
