package dev.vantage.wire;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;

/**
 * What reached a responder window, reported when the window closes (respond tasks only).
 *
 * @param listened   ports the window held for its whole time (what it was asked minus skipped)
 * @param skipped    ports it did not take, and why
 * @param receipts   what arrived, per source, kind and task tag; bounded
 * @param summarised true when receipts were cut to stay within the bound (see note)
 * @param note       e.g. "412 sources summarised per kind: more than 256 entries"
 */
public record ReceiptEvidence(
        List<PortRange> listened,
        List<Skipped> skipped,
        List<Receipt> receipts,
        boolean summarised,
        String note) implements Evidence {

    /** Ports the window did not take, e.g. {@code "in use by another process"}. */
    public record Skipped(PortRange ports, String reason) {
    }

    public enum Kind { TCP_ACCEPT, UDP_NONCE, SIP_REQUEST, RTP }

    /**
     * @param source ip address the packets came from (as the responder saw it, after any NAT; no port)
     * @param tag    the task tag carried in the nonce (the first 12 hex digits of SHA-256 of the task id:
     *               see TaskInput.nonce in probe-agent), null for kinds without a nonce (TCP accept)
     * @param ports  the ports that received, as maximal sub-ranges (bounded: at most 64 ranges; beyond
     *               that the entry keeps the 64 and {@code fragments} says how many there were)
     */
    public record Receipt(Kind kind, String source, String tag, List<PortRange> ports, int fragments,
                          long count, Instant first, Instant last) {
    }

    /** The tag a task's nonce carries: the first 12 hex digits (lower case) of SHA-256 of the task id. */
    public static String tagOf(String taskId) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(taskId.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest).substring(0, 12);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
