package dev.vantage.agent.probe;

import dev.vantage.wire.Outcome;

import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.PortUnreachableException;
import java.net.SocketTimeoutException;

/**
 * What a socket error says about the path, as Linux reports it to an unprivileged socket. Measured
 * with nftables {@code reject} rules on kernel 6.x (see ProbeLabTest):
 *
 * <pre>
 * far side                                  TCP connect            UDP (connected socket)
 * nothing listening / reject with tcp reset ECONNREFUSED           -
 * icmp port-unreachable (reject, default)   ECONNREFUSED           ECONNREFUSED (PortUnreachableException)
 * icmp host-unreachable                     EHOSTUNREACH           silence (not a hard error for UDP)
 * icmp admin-prohibited / host-prohibited   EHOSTUNREACH           EHOSTUNREACH
 * icmp net-unreachable                      ENETUNREACH            silence (not a hard error for UDP)
 * icmp net-prohibited                       ENETUNREACH            ENETUNREACH
 * icmp prot-unreachable                     ENOPROTOOPT            ENOPROTOOPT
 * drop                                      timeout                silence
 * </pre>
 *
 * The JDK turns these into {@link ConnectException}, {@link NoRouteToHostException},
 * {@link PortUnreachableException} or a plain {@link java.net.SocketException}/{@link IOException}
 * with the C library's message, so the message decides. This is the one place that maps socket
 * errors to outcomes: the port probes, the sweeps and the connect of the application probes
 * ({@link TcpConnect}) all use it.
 *
 * @param outcome what it means for the port
 * @param error   errno name, null for a timeout
 * @param icmp    the ICMP messages that produce it, null when none is implied
 */
record SocketFailure(Outcome outcome, String error, String icmp) {

    static final SocketFailure TIMEOUT = new SocketFailure(Outcome.FILTERED, null, null);
    /** No datagram and no error came back: UDP's silence. */
    static final SocketFailure SILENCE = new SocketFailure(Outcome.OPEN_OR_FILTERED, null, null);

    /** Classifies an error of a TCP connect or of a UDP exchange; {@code udp} changes the meaning of silence only. */
    static SocketFailure of(IOException e, boolean udp) {
        if (e instanceof SocketTimeoutException) {
            return udp ? SILENCE : TIMEOUT;
        }
        if (e instanceof PortUnreachableException) {
            return new SocketFailure(Outcome.CLOSED, "ECONNREFUSED", "port-unreachable");
        }
        // an exception without a message (ClosedChannelException, ...) is named by its class, not as "null"
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        if (e instanceof ConnectException && message.contains("refused") || message.contains("Connection refused")) {
            return new SocketFailure(Outcome.CLOSED, "ECONNREFUSED", udp ? "port-unreachable" : "tcp reset or port-unreachable");
        }
        if (e instanceof NoRouteToHostException || message.contains("No route to host")) {
            return new SocketFailure(Outcome.UNREACHABLE, "EHOSTUNREACH",
                    udp ? "admin-prohibited or host-prohibited" : "host-unreachable, host-prohibited or admin-prohibited");
        }
        if (message.contains("Network is unreachable")) {
            return new SocketFailure(Outcome.UNREACHABLE, "ENETUNREACH",
                    "net-unreachable or net-prohibited, or no local route");
        }
        if (message.contains("Protocol not available")) {
            return new SocketFailure(Outcome.UNREACHABLE, "ENOPROTOOPT", "prot-unreachable");
        }
        if (message.contains("Host is down")) {
            return new SocketFailure(Outcome.UNREACHABLE, "EHOSTDOWN", null);
        }
        if (message.contains("Operation not permitted")) {
            // this host's own firewall refused to send: the path is closed from this vantage
            return new SocketFailure(Outcome.UNREACHABLE, "EPERM", null);
        }
        if (message.contains("No buffer space available")) {
            // ENOBUFS: this host's own queues were full and it dropped the packet; nothing about the path
            return new SocketFailure(Outcome.ERROR, "ENOBUFS", null);
        }
        if (message.contains("timed out")) {
            // ETIMEDOUT: the kernel gave up on the handshake before our own timeout did
            return udp ? SILENCE : TIMEOUT;
        }
        return new SocketFailure(Outcome.ERROR, message, null);
    }

    /** A phrase for the summary: {@code "(EHOSTUNREACH: host-unreachable ...)"}. */
    String explain() {
        if (error == null) {
            return "";
        }
        if (error.equals("EPERM")) {
            return " (EPERM: this host's own firewall refused to send)";
        }
        if (error.equals("ENOBUFS")) {
            return " (ENOBUFS: this host's send queues were full; probe again at a lower rate)";
        }
        return " (" + error + (icmp == null ? "" : ": " + icmp) + ")";
    }
}
