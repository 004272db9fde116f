package dev.vantage.agent.probe;

import dev.vantage.wire.Outcome;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.UnknownHostException;
import java.time.Duration;

/**
 * The TCP connect that the application-level probes start with. A failure is classified into the
 * port outcomes, so a TLS, HTTP, SSH or SIP probe that never reached its protocol still says
 * whether the port was closed, filtered or unreachable ({@link SocketFailure} decides).
 */
final class TcpConnect {
    private TcpConnect() {
    }

    /**
     * One connect attempt: either a connected socket (with the read timeout set) or the failure.
     *
     * @param failure the port outcome when not connected ({@code CLOSED}, {@code FILTERED},
     *                {@code UNREACHABLE}, or {@code ERROR} when the name did not resolve or the socket
     *                error is not one {@link SocketFailure} knows)
     */
    record Attempt(Socket socket, InetSocketAddress remote, Outcome failure, String error,
                   long resolveNanos, long connectNanos) {
        boolean connected() {
            return socket != null;
        }

        void timings(ProbeContext.ResultBuilder result) {
            result.timing("resolve", resolveNanos);
            if (remote != null) {
                result.timing("connect", connectNanos);
                result.destination(Endpoints.text(remote)).addressFamily(Endpoints.family(remote));
            }
            if (socket != null) {
                result.source(Endpoints.text(socket.getLocalSocketAddress()));
            }
        }

        /** A one-line description of the failure for summaries, naming the address. */
        String describe(String host, int port) {
            String where = remote == null ? host + ":" + port : host + " (" + Endpoints.text(remote) + ")";
            return switch (failure) {
                case CLOSED -> "TCP connection to " + where + " refused (closed)";
                case FILTERED -> "no answer to TCP connect to " + where + " (filtered)";
                case UNREACHABLE -> where + " unreachable: " + error;
                default -> "cannot connect to " + where + ": " + error;
            };
        }
    }

    /**
     * Looks {@code host} up and connects, each step within {@code timeout} and the {@code deadline}; the socket is
     * handed to the deadline's watchdog, and its read timeout set to the (capped) timeout.
     */
    static Attempt open(String host, int port, Duration timeout, Deadline deadline) {
        long t0 = System.nanoTime();
        InetAddress address;
        try {
            address = NameLookup.address(host, deadline, timeout);
        } catch (UnknownHostException e) {
            return new Attempt(null, null, Outcome.ERROR, "cannot resolve '" + host + "' (" + e.getMessage() + ")",
                    System.nanoTime() - t0, 0);
        }
        long resolved = System.nanoTime();
        InetSocketAddress remote = new InetSocketAddress(address, port);
        Socket socket = deadline.hold(new Socket());
        deadline.phase("connect");
        try {
            socket.connect(remote, deadline.capMillis(timeout));
            socket.setSoTimeout(deadline.capMillis(timeout));
            socket.setTcpNoDelay(true);
            return new Attempt(socket, remote, null, null, resolved - t0, System.nanoTime() - resolved);
        } catch (IOException e) {
            closeQuietly(socket);
            return new Attempt(null, remote, SocketFailure.of(e, false).outcome(), message(e), resolved - t0, System.nanoTime() - resolved);
        }
    }

    static String message(Throwable e) {
        String m = e.getMessage();
        return e.getClass().getSimpleName() + (m == null ? "" : ": " + m);
    }

    static void closeQuietly(AutoCloseable c) {
        if (c == null) {
            return;
        }
        try {
            c.close();
        } catch (Exception ignored) {
            // closing after a failure: nothing left to report
        }
    }
}
