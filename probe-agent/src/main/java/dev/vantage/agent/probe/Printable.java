package dev.vantage.agent.probe;

import java.nio.charset.StandardCharsets;

/** Bytes from the network made safe to put into evidence, logs and summaries. */
final class Printable {
    private Printable() {
    }

    /** At most {@code max} bytes as one line of text; CR, LF and tab escaped, other non-printables as {@code \xNN}. */
    static String of(byte[] bytes, int offset, int length, int max) {
        int n = Math.min(length, max);
        StringBuilder out = new StringBuilder(n + 16);
        for (int i = offset; i < offset + n; i++) {
            int b = bytes[i] & 0xff;
            switch (b) {
                case '\r' -> out.append("\\r");
                case '\n' -> out.append("\\n");
                case '\t' -> out.append("\\t");
                case '\\' -> out.append("\\\\");
                default -> {
                    if (b >= 0x20 && b < 0x7f) {
                        out.append((char) b);
                    } else {
                        out.append(String.format("\\x%02x", b));
                    }
                }
            }
        }
        if (length > max) {
            out.append("...");
        }
        return out.toString();
    }

    static String of(String text, int max) {
        byte[] b = text.getBytes(StandardCharsets.UTF_8);
        return of(b, 0, b.length, max);
    }

    /** The bytes as text keeping line structure (CR, LF, tab as they are); other control bytes become {@code \xNN}. */
    static String text(byte[] bytes, int offset, int length) {
        StringBuilder out = new StringBuilder(length);
        String decoded = new String(bytes, offset, length, StandardCharsets.ISO_8859_1);
        for (int i = 0; i < decoded.length(); i++) {
            char c = decoded.charAt(i);
            if (c == '\r' || c == '\n' || c == '\t' || (c >= 0x20 && c < 0x7f)) {
                out.append(c);
            } else {
                out.append(String.format("\\x%02x", (int) c));
            }
        }
        return out.toString();
    }
}
