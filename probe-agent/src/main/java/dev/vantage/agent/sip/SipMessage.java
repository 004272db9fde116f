package dev.vantage.agent.sip;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * One SIP request or response: the start line, the header fields ({@link SipHeaders}) and the body
 * as ISO-8859-1 text (one char per byte, so it can be given back byte for byte). Made by
 * {@link SipReader}, which also decides where a message ends.
 */
public record SipMessage(String startLine, SipHeaders headers, String body) {
    private static final String VERSION = "SIP/2.0";

    /**
     * Parses the head (start line and header lines, without the blank line) of a message.
     *
     * @throws SipFormatException naming what is wrong
     */
    static SipMessage parse(String head, String body) throws SipFormatException {
        List<String> lines = new ArrayList<>(List.of(head.split("\r?\n", -1)));
        while (!lines.isEmpty() && lines.get(lines.size() - 1).isEmpty()) {
            lines.remove(lines.size() - 1);
        }
        if (lines.isEmpty()) {
            throw new SipFormatException("no start line");
        }
        String start = lines.get(0);
        if (!isStatusLine(start) && !isRequestLine(start)) {
            throw new SipFormatException("the first line is neither a SIP request line (METHOD uri SIP/2.0) nor a"
                    + " status line (SIP/2.0 code reason)");
        }
        return new SipMessage(start, SipHeaders.parse(lines, 1), body);
    }

    private static boolean isStatusLine(String line) {
        if (!line.startsWith(VERSION + " ")) {
            return false;
        }
        String rest = line.substring(VERSION.length() + 1);
        if (rest.length() < 3 || (rest.length() > 3 && rest.charAt(3) != ' ')) {
            return false;
        }
        for (int i = 0; i < 3; i++) {
            if (rest.charAt(i) < '0' || rest.charAt(i) > '9') {
                return false;
            }
        }
        return true;
    }

    private static boolean isRequestLine(String line) {
        String[] parts = line.split(" ", -1);
        return parts.length == 3 && !parts[0].isEmpty() && !parts[1].isEmpty() && parts[2].equals(VERSION)
                && !parts[0].startsWith("SIP/") && parts[0].chars().allMatch(c -> c > ' ' && c < 0x7f);
    }

    public boolean isResponse() {
        return startLine.startsWith(VERSION + " ");
    }

    /** Status code of a response, -1 for a request. */
    public int status() {
        return isResponse() ? Integer.parseInt(startLine.substring(VERSION.length() + 1, VERSION.length() + 4)) : -1;
    }

    /** Reason phrase of a response (may be empty), empty for a request. */
    public String reason() {
        int start = VERSION.length() + 5;
        return isResponse() && startLine.length() > start ? startLine.substring(start) : "";
    }

    /** Method of a request, null for a response. */
    public String method() {
        return isResponse() ? null : startLine.substring(0, startLine.indexOf(' '));
    }

    /** The first value of a header field (any case, compact or full name), or null. */
    public String header(String name) {
        return headers.first(name);
    }

    /** Every value of a header field, in order. */
    public List<String> all(String name) {
        return headers.all(name);
    }

    /** The body's bytes as they arrived. */
    public byte[] bodyBytes() {
        return body.getBytes(StandardCharsets.ISO_8859_1);
    }
}
