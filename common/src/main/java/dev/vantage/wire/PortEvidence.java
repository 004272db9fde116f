package dev.vantage.wire;

/**
 * What one port probe (tcp, udp) saw.
 *
 * @param attempts    how many attempts (SYNs started, datagrams sent) were made
 * @param error       the socket error the kernel reported, as its errno name ({@code ECONNREFUSED},
 *                    {@code EHOSTUNREACH}, ...), or null when none
 * @param icmp        the ICMP messages that produce that error on Linux ({@code port-unreachable},
 *                    {@code host-unreachable or admin-prohibited}, ...), or null when no ICMP was implied;
 *                    the kernel does not tell the two apart for an unprivileged socket
 * @param reply       the first bytes of the answer (banner, echo, protocol reply) as printable text,
 *                    or null when nothing arrived
 * @param nonce       the nonce the probe sent, or null when the payload carried none
 * @param nonceEchoed true when the answer carried that nonce back (a Vantage responder answered)
 * @param seenSource  the source {@code ip:port} the far side reported it saw, or null
 */
public record PortEvidence(
        int attempts,
        String error,
        String icmp,
        String reply,
        String nonce,
        boolean nonceEchoed,
        String seenSource) implements Evidence {
}
