package dev.vantage.agent.probe;

import dev.vantage.wire.ProbeKind;
import dev.vantage.wire.ProbeResult;
import dev.vantage.wire.ProbeTask;

/**
 * One kind of probe. Implementations are CDI beans, one class per {@link ProbeKind}, found by the
 * {@link ProbeRegistry}.
 *
 * <p>Contract:
 * <ul>
 *   <li>{@link #run} never throws because of the network or the target: a refused connection, a
 *       timeout, a hostile or malformed answer are all outcomes with evidence in the returned
 *       result. Only a bug in our own code may throw.</li>
 *   <li>It returns within roughly the task's timeout times the attempts it makes (ranges: bounded by
 *       their own rate and concurrency caps), and it releases every socket it opened.</li>
 *   <li>It fills the common envelope through {@link ProbeContext#result}, including the source and
 *       destination address actually used and the timing of each phase.</li>
 *   <li>It is thread-safe: one instance serves concurrent tasks.</li>
 * </ul>
 */
public interface Probe {

    /** The kind this probe runs; unique across all probes. */
    ProbeKind kind();

    /** Runs the task and reports what was observed. */
    ProbeResult run(ProbeTask task, ProbeContext context);
}
