package dev.vantage.agent.probe;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A SIP message as read off the wire, leniently: the start line, the headers in order (compact
 * names expanded), and the body. Returns null rather than throwing for bytes that are not SIP.
 */
record SipMessage(String startLine, List<Map.Entry<String, String>> headers, String body) {
    private static final Map<String, String> COMPACT = Map.of("v", "via", "f", "from", "t", "to", "i", "call-id",
            "m", "contact", "l", "content-length", "c", "content-type");

    static SipMessage parse(byte[] data, int length) {
        String text = new String(data, 0, length, StandardCharsets.ISO_8859_1);
        int split = text.indexOf("\r\n\r\n");
        int skip = 4;
        if (split < 0) {
            split = text.indexOf("\n\n");
            skip = 2;
        }
        String head = split < 0 ? text : text.substring(0, split);
        String body = split < 0 ? "" : text.substring(split + skip);
        String[] lines = head.split("\r?\n");
        if (lines.length == 0 || !(lines[0].startsWith("SIP/2.0 ") || lines[0].endsWith(" SIP/2.0"))) {
            return null;
        }
        List<Map.Entry<String, String>> headers = new ArrayList<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            if (colon <= 0) {
                return null;
            }
            String name = lines[i].substring(0, colon).strip().toLowerCase(Locale.ROOT);
            headers.add(Map.entry(COMPACT.getOrDefault(name, name), lines[i].substring(colon + 1).strip()));
        }
        return new SipMessage(lines[0], headers, body);
    }

    boolean isResponse() {
        return startLine.startsWith("SIP/2.0 ");
    }

    /** Status code of a response, or -1. */
    int status() {
        if (!isResponse()) {
            return -1;
        }
        String[] p = startLine.split(" ", 3);
        try {
            return p.length >= 2 ? Integer.parseInt(p[1]) : -1;
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    String reason() {
        String[] p = startLine.split(" ", 3);
        return p.length == 3 ? p[2] : "";
    }

    String header(String name) {
        for (Map.Entry<String, String> h : headers) {
            if (h.getKey().equals(name)) {
                return h.getValue();
            }
        }
        return null;
    }

    List<String> all(String name) {
        List<String> out = new ArrayList<>();
        for (Map.Entry<String, String> h : headers) {
            if (h.getKey().equals(name)) {
                out.add(h.getValue());
            }
        }
        return out;
    }

    /** The value of {@code ;name=value} in a header value, or null. */
    static String param(String headerValue, String name) {
        if (headerValue == null) {
            return null;
        }
        for (String part : headerValue.split(";")) {
            int eq = part.indexOf('=');
            if (eq > 0 && part.substring(0, eq).strip().equalsIgnoreCase(name)) {
                String v = part.substring(eq + 1).strip();
                int end = v.indexOf(',');
                return end < 0 ? v : v.substring(0, end);
            }
        }
        return null;
    }

    /** Headers by name in order, for the fields a diff looks at. */
    Map<String, List<String>> fields(List<String> names) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        for (String n : names) {
            out.put(n, all(n));
        }
        return out;
    }
}
