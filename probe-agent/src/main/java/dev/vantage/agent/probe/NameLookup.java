package dev.vantage.agent.probe;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Looks a name up in the system resolver within a bounded time. The C library waits its own
 * {@code resolv.conf} timeouts (up to 5 x 30 s per name) for a resolver that never answers, and the thread
 * asking cannot be interrupted; so the lookup runs on a thread of its own, and a probe that stops waiting for it
 * leaves it to end in its own time. Address literals are parsed without a lookup.
 */
final class NameLookup {
    private NameLookup() {
    }

    /**
     * @throws UnknownHostException when the name does not resolve, or no answer came within
     *                              {@code deadline.cap(step)} (the message says which)
     */
    static InetAddress address(String host, Deadline deadline, Duration step) throws UnknownHostException {
        if (TlsProbe.isAddressLiteral(host)) {
            return InetAddress.getByName(host);
        }
        deadline.phase("resolve");
        CompletableFuture<InetAddress> answer = new CompletableFuture<>();
        Thread lookup = new Thread(() -> {
            try {
                answer.complete(InetAddress.getByName(host));
            } catch (UnknownHostException | RuntimeException e) {
                answer.completeExceptionally(e);
            }
        }, "vantage-resolve " + host);
        lookup.setDaemon(true);
        lookup.start();
        Duration wait = deadline.cap(step);
        try {
            return answer.get(wait.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            throw new UnknownHostException(host + ": the system resolver gave no answer within " + wait.toMillis() + " ms");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof UnknownHostException u) {
                throw u;
            }
            throw new UnknownHostException(host + ": " + e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UnknownHostException(host + ": the lookup was interrupted");
        }
    }
}
