package dev.vantage.agent.probe;

import java.nio.charset.StandardCharsets;

/** Bytes from the network as text that is safe to log and store: control bytes become {@code \xNN}. */
final class Printable {
    private Printable() {
    }

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
