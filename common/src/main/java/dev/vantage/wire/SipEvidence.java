package dev.vantage.wire;

import java.util.List;

/**
 * What a SIP OPTIONS probe saw: the response matched to the request, and, when the far side is a
 * Vantage responder that echoes what it received, what the path changed in the request.
 *
 * @param transport        {@code udp}, {@code tcp} or {@code tls}
 * @param requestUri       the Request-URI sent
 * @param callId           Call-ID of the request
 * @param branch           Via branch of the request
 * @param fromTag          From tag of the request
 * @param statusCode       status of the matched response, null when none matched
 * @param reason           its reason phrase
 * @param server           its {@code Server} header
 * @param userAgent        its {@code User-Agent} header
 * @param rttMicros        request sent to response received
 * @param echoed           the response body carried the request as the far side received it
 * @param rewritten        the echoed request differs from the sent one in Via, Contact, From, To,
 *                         Call-ID, CSeq or SDP lines: a SIP ALG or similar rewrote it
 * @param diff             the differing lines
 * @param unmatchedReplies SIP responses that did not match the request (other branch, Call-ID or tag)
 * @param malformed        the start of each reply that was not SIP, printable and bounded
 * @param error            the connection failure or silence, null when a response matched
 */
public record SipEvidence(
        String transport,
        String requestUri,
        String callId,
        String branch,
        String fromTag,
        Integer statusCode,
        String reason,
        String server,
        String userAgent,
        Long rttMicros,
        boolean echoed,
        boolean rewritten,
        List<Change> diff,
        int unmatchedReplies,
        List<String> malformed,
        String error) implements Evidence {

    public SipEvidence {
        diff = diff == null ? List.of() : List.copyOf(diff);
        malformed = malformed == null ? List.of() : List.copyOf(malformed);
    }

    /**
     * One line the path changed: {@code field} is the header name or {@code sdp}; {@code sent} is
     * null for a line the far side received but we did not send, {@code received} null for one
     * that was dropped.
     */
    public record Change(String field, String sent, String received) {
    }
}
