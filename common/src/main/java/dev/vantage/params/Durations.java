package dev.vantage.params;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;

/** How durations are written by people and in task parameters: {@code 500ms}, {@code 5s}, {@code 2m}, {@code 1h} or ISO-8601. */
public final class Durations {
    private Durations() {
    }

    /**
     * Parses {@code 500ms}, {@code 5s}, {@code 1.5s}, {@code 2m}, {@code 1h} or ISO-8601 ({@code PT5S}).
     *
     * @throws IllegalArgumentException naming the text when it is none of these or not positive
     */
    public static Duration parse(String text) {
        String t = text == null ? "" : text.strip().toLowerCase(Locale.ROOT);
        Duration d;
        try {
            if (t.startsWith("p")) {
                d = Duration.parse(t.toUpperCase(Locale.ROOT));
            } else if (t.endsWith("ms")) {
                d = Duration.ofMillis(Long.parseLong(t.substring(0, t.length() - 2)));
            } else if (t.endsWith("s")) {
                d = Duration.ofMillis(Math.round(Double.parseDouble(t.substring(0, t.length() - 1)) * 1000));
            } else if (t.endsWith("m")) {
                d = Duration.ofSeconds(Long.parseLong(t.substring(0, t.length() - 1)) * 60);
            } else if (t.endsWith("h")) {
                d = Duration.ofHours(Long.parseLong(t.substring(0, t.length() - 1)));
            } else {
                throw new IllegalArgumentException("'" + text + "' is not a duration such as 500ms, 5s, 2m or PT5S");
            }
        } catch (NumberFormatException | DateTimeParseException e) {
            throw new IllegalArgumentException("'" + text + "' is not a duration such as 500ms, 5s, 2m or PT5S");
        }
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException("duration '" + text + "' must be positive");
        }
        return d;
    }
}
