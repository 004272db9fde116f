package dev.vantage.agent.probe;

import dev.vantage.wire.Outcome;
import dev.vantage.wire.ProbeResult;
import dev.vantage.wire.ProbeTask;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Guards the runs of probes, for {@code run} and {@code check} alike. A run goes on a thread of its own while the
 * caller waits at most the task's {@link TaskBudget budget} plus a grace. A run that has not ended by then becomes
 * an {@code ERROR} result naming the probe kind and the phase it was in; its sockets are closed and its thread
 * interrupted, and whatever it returns later is dropped. So the caller gets exactly one result per task, the
 * probe's or the watchdog's, and a probe that hangs (a bug: every probe ends by its deadline on its own) does not
 * hold up the tasks after it.
 */
public final class TaskWatchdog {
    /** Added to every budget: the probe's own ending (results, closing sockets) must not race the watchdog. */
    private static final Duration GRACE = Duration.ofSeconds(2);

    /** One run of a probe, handed the context that carries the run's {@link ProbeProgress}. */
    public interface Run {
        ProbeResult run(ProbeContext context);
    }

    /** Runs {@code probe} on {@code task} under the watchdog. */
    public ProbeResult run(Probe probe, ProbeTask task, ProbeContext context) throws InterruptedException {
        return run(task, context, watched -> probe.run(task, watched));
    }

    /**
     * Runs {@code body} for {@code task} under the watchdog and returns its result, or the watchdog's {@code ERROR}
     * when it overran. A bug in the probe (an exception) is thrown here as it was thrown there.
     *
     * @throws InterruptedException when the caller is interrupted while it waits; the run is stopped as on an
     *                              overrun and no result is given
     */
    public ProbeResult run(ProbeTask task, ProbeContext context, Run body) throws InterruptedException {
        Instant started = context.clock().instant();
        Duration budget = TaskBudget.of(task);
        Duration limit = limit(budget);
        ProbeProgress progress = new ProbeProgress();
        CompletableFuture<ProbeResult> result = new CompletableFuture<>();
        Thread thread = new Thread(() -> {
            try {
                result.complete(body.run(context.watchedBy(progress)));
            } catch (RuntimeException | Error e) {
                result.completeExceptionally(e);
            }
        }, "vantage-probe " + (task.kind() == null ? "?" : task.kind().wireName()) + " " + task.taskId());
        thread.setDaemon(true);
        thread.start();
        try {
            return result.get(limit.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            ProbeResult overrun = overrun(task, context, started, budget, progress.phase());
            if (!result.complete(overrun)) {
                return join(result); // the probe's result came in the same instant: it is the one
            }
            stop(thread, progress);
            return overrun;
        } catch (InterruptedException e) {
            stop(thread, progress);
            throw e;
        } catch (ExecutionException e) {
            throw rethrow(e.getCause());
        }
    }

    /** How long the watchdog waits for a run with this budget. */
    static Duration limit(Duration budget) {
        return budget.plus(GRACE).plus(budget.dividedBy(10));
    }

    private static void stop(Thread thread, ProbeProgress progress) {
        progress.abort();
        thread.interrupt();
    }

    private static ProbeResult overrun(ProbeTask task, ProbeContext context, Instant started, Duration budget,
                                       String phase) {
        String kind = task.kind() == null ? "?" : task.kind().wireName();
        String where = task.target() + (task.ports() == null ? "" : ":" + task.ports());
        return context.result(task, started).outcome(Outcome.ERROR)
                .summary(kind + " probe of " + where + " overran its deadline of " + budget.toMillis()
                        + " ms in phase '" + phase + "': stopped by the watchdog (its sockets closed, its thread"
                        + " interrupted); this is a bug of the agent, please report it with this line")
                .build();
    }

    private static ProbeResult join(CompletableFuture<ProbeResult> result) {
        try {
            return result.get();
        } catch (ExecutionException e) {
            throw rethrow(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while reading a completed result", e);
        }
    }

    private static RuntimeException rethrow(Throwable cause) {
        if (cause instanceof RuntimeException r) {
            throw r;
        }
        if (cause instanceof Error err) {
            throw err;
        }
        throw new IllegalStateException(cause);
    }
}
