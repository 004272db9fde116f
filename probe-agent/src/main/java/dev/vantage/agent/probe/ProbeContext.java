package dev.vantage.agent.probe;

import dev.vantage.wire.Evidence;
import dev.vantage.wire.Outcome;
import dev.vantage.wire.ProbeResult;
import dev.vantage.wire.ProbeTask;
import dev.vantage.wire.Wire;

import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/**
 * Who is probing: the agent's identity and clock, and the factory for results that carry the
 * common envelope. A context {@linkplain #watchedBy watched} by a {@link TaskWatchdog} also carries the
 * {@link ProbeProgress} of the one run it is handed to.
 */
public record ProbeContext(String agentId, String agentVersion, Clock clock, ProbeProgress progress) {

    public ProbeContext {
        progress = progress == null ? ProbeProgress.UNWATCHED : progress;
    }

    /** A context for runs nobody watches. */
    public ProbeContext(String agentId, String agentVersion, Clock clock) {
        this(agentId, agentVersion, clock, ProbeProgress.UNWATCHED);
    }

    public static ProbeContext standalone(String agentVersion) {
        return new ProbeContext("standalone", agentVersion, Clock.systemUTC());
    }

    /** The same identity and clock for one run whose phase and sockets {@code runProgress} follows. */
    public ProbeContext watchedBy(ProbeProgress runProgress) {
        return new ProbeContext(agentId, agentVersion, clock, runProgress);
    }

    /** Starts a result for a task; the probe adds what it saw and calls {@link ResultBuilder#build()}. */
    public ResultBuilder result(ProbeTask task, Instant startedAt) {
        return new ResultBuilder(this, task, startedAt);
    }

    /** Collects the envelope fields of one result. */
    public static final class ResultBuilder {
        private final ProbeContext context;
        private final ProbeTask task;
        private final Instant startedAt;
        private Outcome outcome = Outcome.ERROR;
        private String source;
        private String destination;
        private String family;
        private String protocol;
        private final Map<String, Long> timings = new java.util.LinkedHashMap<>();
        private String summary = "";
        private Evidence evidence;

        private ResultBuilder(ProbeContext context, ProbeTask task, Instant startedAt) {
            this.context = context;
            this.task = task;
            this.startedAt = startedAt;
        }

        public ResultBuilder outcome(Outcome value) {
            this.outcome = value;
            return this;
        }

        public ResultBuilder source(String value) {
            this.source = value;
            return this;
        }

        public ResultBuilder destination(String value) {
            this.destination = value;
            return this;
        }

        public ResultBuilder addressFamily(String value) {
            this.family = value;
            return this;
        }

        public ResultBuilder protocol(String value) {
            this.protocol = value;
            return this;
        }

        /** Records one phase ({@code resolve}, {@code connect}, {@code handshake}, {@code request}, ...). */
        public ResultBuilder timing(String phase, long nanos) {
            timings.put(phase, nanos / 1_000);
            return this;
        }

        public ResultBuilder summary(String value) {
            this.summary = value;
            return this;
        }

        public ResultBuilder evidence(Evidence value) {
            this.evidence = value;
            return this;
        }

        public ProbeResult build() {
            timings.putIfAbsent("total", java.time.Duration.between(startedAt, context.clock().instant()).toNanos() / 1_000);
            return new ProbeResult(Wire.SCHEMA_VERSION, UUID.randomUUID().toString(), task.taskId(), task.surveyId(),
                    task.siteId(), task.vantage(), context.agentId(), context.agentVersion(), task.requirementId(),
                    task.kind(), task.target(), task.ports(), outcome, source, destination, family, protocol,
                    startedAt, timings, summary, evidence);
        }
    }
}
