package dev.vantage.coordinator.ingest;

import org.jboss.logging.Logger;

import java.sql.SQLException;
import java.time.Duration;

/**
 * Waits out an unavailable PostgreSQL (or broker, for dead letters): retries the work with doubling
 * back-off, up to 30 s between attempts, for as long as it takes. Only errors that say "the database is
 * not there right now" are retried; anything else is the caller's to handle.
 */
public final class Retry {
    private static final Logger LOG = Logger.getLogger(Retry.class);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(30);

    private Retry() {
    }

    /** Work that may fail because the database (or broker) is not there right now. */
    public interface Work<T> {
        T run() throws Exception;
    }

    /**
     * Runs the work, retrying while it fails because the database is unavailable (or, with
     * {@code everyErrorIsTransient}, on any error); other errors are thrown at once.
     */
    public static <T> T whileUnavailable(String what, Duration firstBackoff, Work<T> work, boolean everyErrorIsTransient)
            throws Exception {
        return whileUnavailable(what, firstBackoff, work, everyErrorIsTransient, () -> {
        });
    }

    /** The same, telling {@code onRetry} before each wait (a metric that shows an outage). */
    public static <T> T whileUnavailable(String what, Duration firstBackoff, Work<T> work, boolean everyErrorIsTransient,
                                         Runnable onRetry) throws Exception {
        Duration backoff = firstBackoff;
        int attempt = 0;
        while (true) {
            try {
                T value = work.run();
                if (attempt > 0) {
                    LOG.infof("%s succeeded after %d retries", what, attempt);
                }
                return value;
            } catch (Exception e) {
                if (!everyErrorIsTransient && !isUnavailable(e)) {
                    throw e;
                }
                attempt++;
                onRetry.run();
                LOG.warnf("%s failed (%s); retrying in %d ms (attempt %d)", what, rootMessage(e), backoff.toMillis(),
                        attempt);
                Thread.sleep(backoff.toMillis());
                backoff = backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : backoff.multipliedBy(2);
            }
        }
    }

    /**
     * True for connection failures (SQLSTATE class 08), a server shutting down or out of resources (57P,
     * 53), serialization failures and deadlocks (40), and pool errors without a SQLSTATE (acquisition
     * timeout while the server is down).
     */
    public static boolean isUnavailable(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql) {
                String state = sql.getSQLState();
                return state == null || state.startsWith("08") || state.startsWith("57") || state.startsWith("53")
                        || state.startsWith("40");
            }
            if (t instanceof java.net.ConnectException) {
                return true;
            }
        }
        return false;
    }

    static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getClass().getSimpleName() + ": " + t.getMessage();
    }
}
