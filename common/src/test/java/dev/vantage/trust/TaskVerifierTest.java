package dev.vantage.trust;

import dev.vantage.wire.PortRange;
import dev.vantage.wire.ProbeKind;
import dev.vantage.wire.ProbeTask;
import dev.vantage.wire.SignedTask;
import dev.vantage.wire.Wire;
import org.junit.jupiter.api.Test;

import java.security.KeyPair;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class TaskVerifierTest {
    private static final Instant T0 = Instant.parse("2026-11-26T06:00:00Z");
    private final KeyPair coordinator = Ed25519Keys.generate();
    private final MutableClock clock = new MutableClock(T0);
    private final TaskSigner signer = new TaskSigner("k1", coordinator.getPrivate(), Duration.ofMinutes(5), clock);
    private final TaskVerifier verifier = new TaskVerifier(Map.of("k1", coordinator.getPublic()),
            Duration.ofMinutes(15), Duration.ofSeconds(30), clock, 1000);

    @Test
    void acceptsATaskSignedByATrustedKey() {
        TaskVerifier.Verification v = verifier.verify(signer.sign(task("t1")));
        assertThat(v.accepted()).isTrue();
        assertThat(v.task()).isEqualTo(task("t1"));
    }

    @Test
    void refusesATamperedTask() {
        SignedTask signed = signer.sign(task("t1"));
        SignedTask tampered = new SignedTask(signed.schemaVersion(), signed.keyId(),
                signed.grant().replace("\"443\"", "\"22\""), signed.signature());
        assertThat(tampered.grant()).isNotEqualTo(signed.grant());
        TaskVerifier.Verification v = verifier.verify(tampered);
        assertThat(v.accepted()).isFalse();
        assertThat(v.refusal()).startsWith("bad signature");
    }

    @Test
    void refusesAnUnsignedTask() {
        SignedTask signed = signer.sign(task("t1"));
        TaskVerifier.Verification v = verifier.verify(new SignedTask(1, "k1", signed.grant(), null));
        assertThat(v.refusal()).startsWith("unsigned");
        assertThat(v.task().taskId()).as("the refusal still names the task").isEqualTo("t1");
    }

    @Test
    void refusesAKeyItDoesNotTrust() {
        KeyPair other = Ed25519Keys.generate();
        SignedTask forged = new TaskSigner("k9", other.getPrivate(), Duration.ofMinutes(5), clock).sign(task("t1"));
        assertThat(verifier.verify(forged).refusal()).contains("key 'k9'").contains("does not trust");
        SignedTask forgedAsK1 = new TaskSigner("k1", other.getPrivate(), Duration.ofMinutes(5), clock).sign(task("t1"));
        assertThat(verifier.verify(forgedAsK1).refusal()).startsWith("bad signature");
    }

    @Test
    void refusesAnExpiredTaskButToleratesSmallSkew() {
        SignedTask first = signer.sign(task("t1"));
        SignedTask second = signer.sign(task("t2"));
        clock.now = T0.plus(Duration.ofMinutes(5)).plusSeconds(20);
        assertThat(verifier.verify(first).accepted()).as("20 s past expiry is within the 30 s skew").isTrue();
        clock.now = T0.plus(Duration.ofMinutes(5)).plusSeconds(31);
        assertThat(verifier.verify(second).refusal())
                .isEqualTo("expired at 2026-11-26T06:05:00Z (agent clock 2026-11-26T06:05:31Z)");
    }

    @Test
    void refusesAReplay() {
        SignedTask signed = signer.sign(task("t1"));
        assertThat(verifier.verify(signed).accepted()).isTrue();
        assertThat(verifier.verify(signed).refusal()).isEqualTo("replayed: task t1 was already accepted");
    }

    @Test
    void refusesAGrantLongerThanAllowedOrFromTheFuture() {
        TaskSigner generous = new TaskSigner("k1", coordinator.getPrivate(), Duration.ofDays(30), clock);
        assertThat(verifier.verify(generous.sign(task("t1"))).refusal()).contains("longer than the PT15M");
        TaskSigner ahead = new TaskSigner("k1", coordinator.getPrivate(), Duration.ofMinutes(5),
                new MutableClock(T0.plus(Duration.ofHours(1))));
        assertThat(verifier.verify(ahead.sign(task("t2"))).refusal()).startsWith("issued in the future");
    }

    @Test
    void replayCacheForgetsExpiredTasksAndFailsClosedWhenFull() {
        TaskVerifier small = new TaskVerifier(Map.of("k1", coordinator.getPublic()), Duration.ofMinutes(15),
                Duration.ZERO, clock, 2);
        assertThat(small.verify(signer.sign(task("a"))).accepted()).isTrue();
        assertThat(small.verify(signer.sign(task("b"))).accepted()).isTrue();
        assertThat(small.verify(signer.sign(task("c"))).refusal()).startsWith("replay cache full");
        clock.now = T0.plus(Duration.ofMinutes(6));
        assertThat(small.verify(signer.sign(task("c"))).accepted()).isTrue();
    }

    @Test
    void refusesGarbageWithoutThrowing() {
        assertThat(verifier.verify(new SignedTask(1, "k1", "{]", "AAAA")).accepted()).isFalse();
        assertThat(verifier.verify(new SignedTask(1, "k1", null, null)).refusal()).startsWith("unsigned");
        assertThat(verifier.verify(new SignedTask(1, "k1", "x", "%%%")).refusal()).startsWith("bad signature");
    }

    private static ProbeTask task(String id) {
        return new ProbeTask(Wire.SCHEMA_VERSION, id, "s1", "acme", "end-users", "agent-a", "inbound.https",
                ProbeKind.TCP, "192.0.2.10", PortRange.of(443), Map.of(), Duration.ofSeconds(2));
    }

    private static final class MutableClock extends Clock {
        Instant now;

        MutableClock(Instant now) {
            this.now = now;
        }

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
