package dev.vantage.agent.sip;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The header fields of one SIP message, in order, read as RFC 3261 section 7.3 writes them: names
 * case-insensitive and compact forms ({@code v}, {@code f}, {@code i}, ...) expanded, continuation
 * lines (starting with a space or tab) folded into the field before them, values trimmed. A field
 * that lists several values with commas stays one field, as it arrived.
 */
public final class SipHeaders {
    private static final Map<String, String> COMPACT = Map.ofEntries(
            Map.entry("a", "accept-contact"), Map.entry("b", "referred-by"), Map.entry("c", "content-type"),
            Map.entry("e", "content-encoding"), Map.entry("f", "from"), Map.entry("i", "call-id"),
            Map.entry("k", "supported"), Map.entry("l", "content-length"), Map.entry("m", "contact"),
            Map.entry("o", "event"), Map.entry("r", "refer-to"), Map.entry("s", "subject"), Map.entry("t", "to"),
            Map.entry("u", "allow-events"), Map.entry("v", "via"), Map.entry("x", "session-expires"));

    /** One field: the name lower-case and in full, the value as sent (unfolded, trimmed). */
    public record Field(String name, String value) {
    }

    private final List<Field> fields;

    private SipHeaders(List<Field> fields) {
        this.fields = List.copyOf(fields);
    }

    /**
     * Reads header lines (without line ends) from {@code lines[from]} to the end.
     *
     * @throws SipFormatException naming the line that is not a header field
     */
    static SipHeaders parse(List<String> lines, int from) throws SipFormatException {
        List<String> names = new ArrayList<>();
        List<StringBuilder> values = new ArrayList<>();
        for (int i = from; i < lines.size(); i++) {
            String line = lines.get(i);
            if (!line.isEmpty() && (line.charAt(0) == ' ' || line.charAt(0) == '\t')) {
                if (values.isEmpty()) {
                    throw new SipFormatException("line " + (i + 1)
                            + " continues a header field but none came before it");
                }
                values.get(values.size() - 1).append(' ').append(line.strip());
                continue;
            }
            int colon = line.indexOf(':');
            String name = colon < 0 ? "" : line.substring(0, colon).strip();
            if (!isToken(name)) {
                throw new SipFormatException("line " + (i + 1) + " is not a header field (name: value)");
            }
            names.add(name(name));
            values.add(new StringBuilder(line.substring(colon + 1).strip()));
        }
        List<Field> fields = new ArrayList<>(names.size());
        for (int i = 0; i < names.size(); i++) {
            fields.add(new Field(names.get(i), values.get(i).toString().strip()));
        }
        return new SipHeaders(fields);
    }

    private static boolean isToken(String s) {
        if (s.isEmpty()) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || "-.!%*_+`'~".indexOf(c) >= 0;
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    /** A header name as this class keys it: lower-case, compact forms in full. */
    public static String name(String name) {
        String lower = name.strip().toLowerCase(Locale.ROOT);
        return COMPACT.getOrDefault(lower, lower);
    }

    /** All fields in order. */
    public List<Field> fields() {
        return fields;
    }

    /** The first value of the field (any case, compact or full name), or null. */
    public String first(String name) {
        String key = name(name);
        for (Field f : fields) {
            if (f.name().equals(key)) {
                return f.value();
            }
        }
        return null;
    }

    /** Every value of the field in order, one per field line. */
    public List<String> all(String name) {
        String key = name(name);
        List<String> out = new ArrayList<>();
        for (Field f : fields) {
            if (f.name().equals(key)) {
                out.add(f.value());
            }
        }
        return out;
    }

    /**
     * The value of the header parameter {@code ;name=value} of a field value (the first of a comma
     * list), or null. Parameters inside a quoted display name or inside {@code <...>} belong to
     * the name or URI, not the field, and are skipped; a quoted value is returned without quotes.
     * A parameter without a value gives the empty string.
     */
    public static String param(String value, String name) {
        if (value == null) {
            return null;
        }
        int i = nextSeparator(value, 0, true);
        // parameters follow one another with ';' up to the end or the ',' of the next value
        while (i < value.length() && value.charAt(i) == ';') {
            int end = nextSeparator(value, i + 1, false);
            String part = value.substring(i + 1, end);
            int eq = part.indexOf('=');
            if ((eq < 0 ? part : part.substring(0, eq)).strip().equalsIgnoreCase(name)) {
                String v = eq < 0 ? "" : part.substring(eq + 1).strip();
                return v.length() >= 2 && v.startsWith("\"") && v.endsWith("\"") ? v.substring(1, v.length() - 1) : v;
            }
            i = end;
        }
        return null;
    }

    /**
     * Index of the first ';' or ',' from {@code from} on that is outside quoted strings (and, with
     * {@code brackets}, outside {@code <...>}); the length when there is none.
     */
    private static int nextSeparator(String value, int from, boolean brackets) {
        boolean quoted = false;
        boolean bracketed = false;
        for (int i = from; i < value.length(); i++) {
            char c = value.charAt(i);
            if (quoted) {
                if (c == '\\') {
                    i++;
                } else if (c == '"') {
                    quoted = false;
                }
            } else if (c == '"') {
                quoted = true;
            } else if (brackets && c == '<') {
                bracketed = true;
            } else if (brackets && c == '>') {
                bracketed = false;
            } else if (!bracketed && (c == ';' || c == ',')) {
                return i;
            }
        }
        return value.length();
    }
}
