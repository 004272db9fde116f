package dev.vantage.agent.probe;

import dev.vantage.wire.ProbeTask;

import java.io.Closeable;
import java.io.InterruptedIOException;
import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The time one probe run has left, from its task's budget ({@link TaskBudget}), and the run's
 * {@link ProbeProgress}. Every blocking step waits at most {@link #cap} of its own timeout, so a run ends by its
 * deadline whatever the network does; where a timeout per read cannot bound a step (a TLS record trickled one
 * byte a second satisfies every read), the step puts its socket under a {@link #guard}, which closes it when the
 * step's time is up.
 */
final class Deadline {
    private final long end;
    private final Duration budget;
    private final ProbeProgress progress;

    private Deadline(Duration budget, ProbeProgress progress) {
        this.budget = budget;
        this.end = System.nanoTime() + budget.toNanos();
        this.progress = progress;
    }

    /** The deadline of a run of {@code task} starting now. */
    static Deadline of(ProbeTask task, ProbeContext context) {
        return new Deadline(TaskBudget.of(task), context.progress());
    }

    /** A deadline {@code budget} from now, for a run nobody watches (tests). */
    static Deadline after(Duration budget) {
        return new Deadline(budget, ProbeProgress.UNWATCHED);
    }

    Duration budget() {
        return budget;
    }

    boolean passed() {
        return System.nanoTime() - end >= 0;
    }

    long nanosLeft() {
        return Math.max(0, end - System.nanoTime());
    }

    /** The deadline as a {@link System#nanoTime()} value. */
    long at() {
        return end;
    }

    /** {@code step}, or the time left when that is shorter; never below 1 ms (a socket timeout of 0 waits for ever). */
    Duration cap(Duration step) {
        return Duration.ofNanos(Math.max(1_000_000, Math.min(step.toNanos(), nanosLeft())));
    }

    /** {@link #cap} in whole milliseconds, for socket timeouts. */
    int capMillis(Duration step) {
        return (int) Math.max(1, Math.min(Integer.MAX_VALUE, cap(step).toMillis()));
    }

    /** Records the phase the run enters. */
    void phase(String name) {
        progress.phase(name);
    }

    /** Hands {@code resource} to the watchdog to close should the run overrun. */
    <T extends Closeable> T hold(T resource) {
        return progress.hold(resource);
    }

    /** Ends a loop that a watchdog has interrupted: the run's result is no longer wanted. */
    static void checkInterrupted() throws InterruptedIOException {
        if (Thread.currentThread().isInterrupted()) {
            throw new InterruptedIOException("interrupted: the run overran its deadline");
        }
    }

    /**
     * Closes {@code resource} once {@link #cap cap(step)} has passed, unless the guard is closed first: for a step
     * no timeout per read can bound. {@link Guard#fired()} then tells the step's failure from the network's.
     */
    Guard guard(Closeable resource, Duration step) {
        Duration wait = cap(step);
        Guard guard = new Guard(resource, wait);
        guard.alarm = Alarms.TIMER.schedule(guard::fire, wait.toNanos(), TimeUnit.NANOSECONDS);
        return guard;
    }

    /** A pending close of one socket; closing the guard cancels it. */
    static final class Guard implements AutoCloseable {
        private final Closeable resource;
        private final Duration wait;
        private volatile ScheduledFuture<?> alarm;
        private volatile boolean fired;

        private Guard(Closeable resource, Duration wait) {
            this.resource = resource;
            this.wait = wait;
        }

        /** How long the step was given. */
        Duration waited() {
            return wait;
        }

        private void fire() {
            fired = true;
            TcpConnect.closeQuietly(resource);
        }

        /** True when the step's time ran out and the socket was closed under it. */
        boolean fired() {
            return fired;
        }

        @Override
        public void close() {
            alarm.cancel(false);
        }
    }

    /** One timer thread for every guard of the process, started on first use. */
    private static final class Alarms {
        static final ScheduledThreadPoolExecutor TIMER = timer();

        private static ScheduledThreadPoolExecutor timer() {
            ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1, r -> {
                Thread t = new Thread(r, "vantage-deadline");
                t.setDaemon(true);
                return t;
            });
            timer.setRemoveOnCancelPolicy(true);
            return timer;
        }
    }
}
