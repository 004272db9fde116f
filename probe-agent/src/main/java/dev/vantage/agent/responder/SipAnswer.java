package dev.vantage.agent.responder;

import dev.vantage.agent.sip.SipMessage;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * What the responder's SIP UAS answers to one request: {@code 200 OK} to OPTIONS with the request as
 * it arrived in the body ({@code message/sip}), {@code 405} to other methods, {@code 513} without
 * an echo to a request larger than {@link SipUas#MAX_REQUEST_BYTES}; nothing to ACK, to responses
 * or to a request that lacks what the sender needs to match the answer (Via, From, To, Call-ID,
 * CSeq).
 */
final class SipAnswer {
    private SipAnswer() {
    }

    /**
     * The reply to a request, or null when nothing is to be sent.
     *
     * @param request   the parsed message
     * @param raw       the bytes it arrived as, echoed back unchanged
     * @param transport UDP or TCP, named in {@code X-Vantage-Transport}
     */
    static byte[] to(SipMessage request, byte[] raw, String transport) {
        if (request.isResponse() || request.method().equals("ACK")) {
            return null;
        }
        List<String> via = request.all("via");
        String from = request.header("from");
        String to = request.header("to");
        String callId = request.header("call-id");
        String cseq = request.header("cseq");
        if (via.isEmpty() || from == null || to == null || callId == null || cseq == null) {
            return null; // cannot be answered so that the sender matches it
        }
        if (!to.contains(";tag=")) {
            to = to + ";tag=vantage" + Long.toHexString(ThreadLocalRandom.current().nextLong() & 0xffffffffL);
        }
        StringBuilder head = new StringBuilder();
        byte[] body = new byte[0];
        if (raw.length > SipUas.MAX_REQUEST_BYTES) {
            head.append("SIP/2.0 513 Message Too Large\r\n");
        } else if (!request.method().equals("OPTIONS")) {
            head.append("SIP/2.0 405 Method Not Allowed\r\n");
        } else {
            head.append("SIP/2.0 200 OK\r\n");
            body = raw;
        }
        for (String v : via) {
            head.append("Via: ").append(v).append("\r\n");
        }
        head.append("From: ").append(from).append("\r\n")
                .append("To: ").append(to).append("\r\n")
                .append("Call-ID: ").append(callId).append("\r\n")
                .append("CSeq: ").append(cseq).append("\r\n")
                .append("Server: ").append(SipUas.SERVER).append("\r\n")
                .append("Allow: OPTIONS\r\n")
                .append("X-Vantage-Transport: ").append(transport).append("\r\n");
        if (body.length > 0) {
            head.append("Content-Type: message/sip\r\n");
        }
        head.append("Content-Length: ").append(body.length).append("\r\n\r\n");
        byte[] h = head.toString().getBytes(StandardCharsets.ISO_8859_1);
        byte[] reply = Arrays.copyOf(h, h.length + body.length);
        System.arraycopy(body, 0, reply, h.length, body.length);
        return reply;
    }
}
