package dev.vantage.wire;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;

/**
 * What reached a responder window, reported when the window closes (respond tasks only): the two-sided evidence
 * that tells "the responder never saw the probe" from "the responder saw it and the answer was lost".
 *
 * <p>A respond task has up to two results from its agent: the {@code LISTENED} report when the window opened
 * (no evidence) and the {@code LISTENED} report when it closed, carrying this record. Receipts are extra
 * evidence, never required: a window whose closing report did not arrive is judged as before, except that UDP
 * silence towards it proves nothing (its agent may have been lost while it ran).
 *
 * <p>The record is bounded so that a closing report stays far below {@link Wire#MAX_MESSAGE_BYTES}: at most
 * {@link #MAX_RECEIPTS} receipts, at most {@link #MAX_RANGES_PER_RECEIPT} port ranges per receipt and
 * {@link #MAX_RANGES} in all, at most {@link #MAX_SKIPPED} skipped entries. {@code listened} is always exact (a
 * port the window asked for and did not list there was not held); what was cut to stay within the bound is said
 * by {@code summarised} and {@code note}.
 *
 * @param listened   ports the window held for its whole time: what it was asked for minus {@code skipped}
 * @param skipped    ports it did not take, and why (e.g. "in use by another process"); at most
 *                   {@link #MAX_SKIPPED} entries, the rest said in {@code note}
 * @param receipts   what arrived, per kind, source and task tag; bounded
 * @param summarised true when receipts or skipped ports were cut to stay within the bound (see note)
 * @param note       what was not counted or cut, e.g. "412 sources summarised per kind: more than 256 entries";
 *                   null when nothing was
 */
public record ReceiptEvidence(
        List<PortRange> listened,
        List<Skipped> skipped,
        List<Receipt> receipts,
        boolean summarised,
        String note) implements Evidence {

    /** Receipts in one report at most. */
    public static final int MAX_RECEIPTS = 256;
    /** Port ranges one receipt keeps at most; {@link Receipt#fragments()} says how many there were. */
    public static final int MAX_RANGES_PER_RECEIPT = 64;
    /** Port ranges of all receipts of one report together at most. */
    public static final int MAX_RANGES = 1024;
    /** Skipped entries in one report at most. */
    public static final int MAX_SKIPPED = 256;
    /** Source of a receipt that sums up the sources cut to stay within {@link #MAX_RECEIPTS}. */
    public static final String OTHER_SOURCES = "*";
    /** Hex digits of a task tag. */
    public static final int TAG_LENGTH = 12;

    public ReceiptEvidence {
        listened = listened == null ? List.of() : List.copyOf(listened);
        skipped = skipped == null ? List.of() : List.copyOf(skipped);
        receipts = receipts == null ? List.of() : List.copyOf(receipts);
    }

    /** Ports the window did not take, and why. */
    public record Skipped(PortRange ports, String reason) {
    }

    /** What kind of traffic a receipt counts. */
    public enum Kind {
        /** TCP connections accepted (no nonce: matched by source address). */
        TCP_ACCEPT,
        /** UDP datagrams carrying a survey nonce (echo requests of udp, udp-range and nat probes). */
        UDP_NONCE,
        /** SIP requests sent by a Vantage probe (Call-ID {@code ...@vantage}). */
        SIP_REQUEST,
        /** Vantage RTP packets reflected (rtp probes). */
        RTP
    }

    /**
     * Traffic of one kind from one source with one task tag.
     *
     * @param source    ip address the packets came from (as the responder saw it, after any NAT; no port), or
     *                  {@link #OTHER_SOURCES} for the sum of the sources cut to stay within the bound
     * @param tag       the task tag carried in the nonce ({@link #tagOf}), null for kinds or packets without one
     *                  (TCP accept; a nonce not derived from a task)
     * @param ports     the ports that received, as maximal sub-ranges in port order (bounded: at most
     *                  {@link #MAX_RANGES_PER_RECEIPT}; beyond that the first ones are kept)
     * @param fragments how many sub-ranges there were (more than {@code ports} holds when it was cut)
     * @param count     packets (UDP, RTP, SIP) or connections (TCP) counted
     * @param first     when the first arrived
     * @param last      when the last arrived
     */
    public record Receipt(Kind kind, String source, String tag, List<PortRange> ports, int fragments,
                          long count, Instant first, Instant last) {
        public Receipt {
            ports = ports == null ? List.of() : List.copyOf(ports);
        }

        /** True when the port is among the kept sub-ranges. */
        public boolean received(int port) {
            return ports.stream().anyMatch(r -> r.contains(port));
        }
    }

    /**
     * The tag of a task: the first {@value #TAG_LENGTH} hex digits (lower case) of the SHA-256 of its id. A probe's
     * nonce starts with its task's tag, so a receipt can be matched to the task that sent it without the nonce.
     */
    public static String tagOf(String taskId) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest((taskId == null ? "" : taskId).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, TAG_LENGTH / 2);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every Java runtime", e);
        }
    }

    /** The task tag a nonce starts with, or null when it does not start with {@value #TAG_LENGTH} lower-case hex digits. */
    public static String tagInNonce(String nonce) {
        if (nonce == null || nonce.length() < TAG_LENGTH) {
            return null;
        }
        for (int i = 0; i < TAG_LENGTH; i++) {
            char c = nonce.charAt(i);
            if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
                return null;
            }
        }
        return nonce.substring(0, TAG_LENGTH);
    }

    /** The receipts of one kind. */
    public List<Receipt> of(Kind kind) {
        return receipts.stream().filter(r -> r.kind() == kind).toList();
    }
}
