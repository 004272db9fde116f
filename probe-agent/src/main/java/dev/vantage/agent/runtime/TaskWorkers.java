package dev.vantage.agent.runtime;

import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The agent's probe workers: a fixed number of threads that start tasks no faster than the rate cap and in the order
 * they were submitted (the survey's order: a vantage's sweeps before its streams, see {@link MeasurementTurns}), and
 * a count of the tasks handed to them and not finished yet, so the poller can stop fetching while every worker is
 * busy and wake up as soon as one is free.
 */
final class TaskWorkers {
    private static final Logger LOG = Logger.getLogger(TaskWorkers.class);

    /** One task's work: true when it was handed on (its result is in the outbox), false when it stopped unfinished. */
    interface Work {
        boolean run();
    }

    private final int concurrency;
    private final RateLimiter rateLimiter;
    private final ExecutorService pool;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final Object freed = new Object();
    /** The hand-ons of the tasks on the workers, by their record: more than one when it was read again meanwhile. */
    private final Map<String, List<Runnable>> running = new HashMap<>();

    TaskWorkers(int concurrency, double maxTasksPerSecond) {
        this.concurrency = concurrency;
        this.rateLimiter = new RateLimiter(maxTasksPerSecond);
        this.pool = Executors.newFixedThreadPool(concurrency, r -> {
            Thread t = new Thread(r, "vantage-probe");
            t.setDaemon(true);
            return t;
        });
    }

    /** True while every worker has a task (more may wait for one): time to stop fetching. */
    boolean busy() {
        return inFlight.get() >= concurrency;
    }

    /**
     * Runs {@code work} (the task of {@code record}, see {@code TaskInbox.Delivery#position}) on the next free
     * worker, once the rate cap allows, and then {@code handedOn} (and those of the record's further deliveries, see
     * {@link #joinRunning}) when the work says so. A bug in the work (an exception) is logged and counts as handed
     * on: running it again would only fail again, and it must not hold up the commits behind it.
     */
    void submit(String record, Work work, Runnable handedOn) {
        inFlight.incrementAndGet();
        long turn = rateLimiter.take();
        synchronized (running) {
            running.put(record, new ArrayList<>(List.of(handedOn)));
        }
        pool.submit(() -> {
            boolean done = false;
            try {
                rateLimiter.acquire(turn);
                done = work.run();
            } catch (RuntimeException | Error e) {
                LOG.error("a probe failed with a bug instead of an outcome", e);
                done = true;
            } finally {
                List<Runnable> copies;
                synchronized (running) {
                    copies = running.remove(record);
                }
                if (done) {
                    copies.forEach(Runnable::run);
                }
                inFlight.decrementAndGet();
                synchronized (freed) {
                    freed.notifyAll();
                }
            }
        });
    }

    /**
     * When the task of this record is on a worker (queued or running), the record's further delivery is handed on
     * together with it and true is returned; false when it is not.
     */
    boolean joinRunning(String record, Runnable handedOn) {
        synchronized (running) {
            List<Runnable> copies = running.get(record);
            if (copies == null) {
                return false;
            }
            copies.add(handedOn);
            return true;
        }
    }

    /** Waits up to {@code timeout} for a worker to become free; returns at once when one is. */
    void awaitFree(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (freed) {
            long left;
            while (busy() && (left = deadline - System.nanoTime()) > 0) {
                try {
                    TimeUnit.NANOSECONDS.timedWait(freed, left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    /**
     * Takes no more tasks and gives the running ones {@code grace} to finish; then interrupts them, and they end
     * without being handed on (delivered again). Safe to call more than once, from any thread.
     */
    void drain(Duration grace) {
        pool.shutdown();
        try {
            if (!pool.awaitTermination(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                LOG.warnf("tasks still running after %s: handing them back (not committed, delivered again)", grace);
                pool.shutdownNow();
                pool.awaitTermination(grace.toMillis(), TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            pool.shutdownNow();
        }
    }

    /**
     * Spaces task starts evenly so that a burst of tasks does not become a burst of probes, and starts them in the
     * order of their turns ({@link #take}, in submission order): workers that wait for the cap at the same time would
     * otherwise start in whatever order the scheduler wakes them.
     */
    static final class RateLimiter {
        private final long intervalNanos;
        private long next = System.nanoTime();
        private long taken;
        private long serving;

        RateLimiter(double perSecond) {
            this.intervalNanos = perSecond <= 0 ? 0 : (long) (1_000_000_000L / perSecond);
        }

        /**
         * The next turn, to be passed to {@link #acquire}. Every turn taken must be acquired, or the later ones wait
         * for ever: only stopping the workers (which interrupts those waiting) ends a turn otherwise.
         */
        synchronized long take() {
            return taken++;
        }

        /**
         * Waits until the turns before this one have their start, then until this one's start is due. Interrupted
         * (the workers are stopping), it returns at once and passes its turn on.
         */
        void acquire(long turn) {
            long start;
            synchronized (this) {
                try {
                    while (serving < turn) {
                        wait();
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                long now = System.nanoTime();
                start = Math.max(now, next);
                next = start + intervalNanos;
                serving = Math.max(serving, turn + 1);
                notifyAll();
            }
            long wait = start - System.nanoTime();
            if (wait > 0 && !Thread.currentThread().isInterrupted()) {
                try {
                    TimeUnit.NANOSECONDS.sleep(wait);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
    }
}
