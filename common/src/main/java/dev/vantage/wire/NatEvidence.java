package dev.vantage.wire;

/**
 * What a NAT check saw: the agent's own source address against the one the responder reported.
 *
 * @param check              {@code nat} (is there address translation) or {@code hairpin} (can the
 *                           stack be reached through its public address from inside)
 * @param localSource        the agent's own {@code ip:port} for the datagram or connection
 * @param seenSource         the {@code ip:port} the responder saw, or null when no answer arrived
 * @param addressTranslated  true when the seen address differs from the local one
 * @param portPreserved      true when the seen port equals the local one; null when no answer arrived
 * @param publicAddress      the public address used for the hairpin check, otherwise null
 */
public record NatEvidence(
        String check,
        String localSource,
        String seenSource,
        boolean addressTranslated,
        Boolean portPreserved,
        String publicAddress) implements Evidence {
}
