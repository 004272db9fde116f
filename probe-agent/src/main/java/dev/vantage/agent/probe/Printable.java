package dev.vantage.agent.probe;

/** Bytes from the network made safe to put into evidence and summaries: bounded and printable. */
final class Printable {
    private Printable() {
    }

    /** At most {@code max} bytes as text; CR, LF and tab escaped, other non-printables as {@code \xNN}. */
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
        byte[] b = text.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        return of(b, 0, b.length, max);
    }
}
