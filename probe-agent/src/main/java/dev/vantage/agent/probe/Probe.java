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
 *   <li>It returns within its task's budget ({@link TaskBudget}: the task's timeout times the waits it makes,
 *       ranges from their size, rate and concurrency) whatever the network does — no route, a firewall refusing
 *       to send, a peer that accepts and never speaks or trickles a byte at a time, a resolver that never
 *       answers: every blocking step waits at most what its {@link Deadline} has left. It records the phase it
 *       is in and hands its sockets to the deadline, so that a {@link TaskWatchdog} can name the phase and
 *       close them should it overrun anyway. It releases every socket it opened.</li>
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
