package dev.vantage.agent.responder;

import java.io.IOException;
import java.net.BindException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Why the operating system refuses the {@link Responder} its sockets, in words an operator can act
 * on: the open-file limit checked before a window binds anything, and each bind failure explained.
 */
final class ListenRefusal {
    /** Descriptors kept free beyond one per port: selector, accepted connections, the agent itself. */
    private static final int RESERVED_DESCRIPTORS = 64;

    private ListenRefusal() {
    }

    /** Refuses up front a window that needs more sockets than the open-file limit leaves (Linux /proc). */
    static void checkOpenFileLimit(int sockets) throws ResponderException {
        long limit = -1;
        long inUse;
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/limits"))) {
                if (line.startsWith("Max open files")) {
                    String soft = line.substring("Max open files".length()).strip().split("\\s+")[0];
                    limit = soft.equals("unlimited") ? Long.MAX_VALUE : Long.parseLong(soft);
                }
            }
            try (var fds = Files.list(Path.of("/proc/self/fd"))) {
                inUse = fds.count();
            }
        } catch (IOException | RuntimeException e) {
            return; // not Linux or no /proc: binding will say it when it fails
        }
        long needed = sockets + RESERVED_DESCRIPTORS;
        if (limit >= 0 && inUse + needed > limit) {
            throw new ResponderException("this window needs " + sockets + " sockets but the open-file"
                    + " limit is " + limit + " (" + inUse + " already in use): raise it"
                    + " (ulimit -n, or LimitNOFILE= in the systemd unit) to at least "
                    + (sockets + inUse + RESERVED_DESCRIPTORS), null);
        }
    }

    /** Why binding {@code protocol} {@code port} on {@code bind} (null: all addresses) failed, and what to do. */
    static ResponderException of(String protocol, int port, InetAddress bind, int sockets, IOException e) {
        String where = protocol + " port " + port + " on " + (bind == null ? "all addresses" : bind.getHostAddress());
        String reason = String.valueOf(e.getMessage());
        String message;
        if (reason.contains("Permission denied") || reason.contains("Operation not permitted")) {
            message = "cannot listen on " + where + ": permission denied"
                    + (port < 1024 ? "; ports below 1024 need CAP_NET_BIND_SERVICE (setcap cap_net_bind_service=+ep on the"
                    + " agent binary, or AmbientCapabilities=CAP_NET_BIND_SERVICE in its systemd unit)" : "");
        } else if (e instanceof BindException && reason.contains("in use")) {
            message = "cannot listen on " + where + ": another process already uses it";
        } else if (reason.contains("Too many open files")) {
            message = "cannot listen on " + where + ": the open-file limit is reached; this window needs "
                    + sockets + " sockets, raise the limit (ulimit -n, or LimitNOFILE= in the systemd unit)"
                    + " to at least " + (sockets + 4 * RESERVED_DESCRIPTORS);
        } else if (reason.contains("Cannot assign requested address")) {
            message = "cannot listen on " + where + ": that address is not configured on this host";
        } else {
            message = "cannot listen on " + where + ": " + reason;
        }
        return new ResponderException(message, e);
    }
}
