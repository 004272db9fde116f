package dev.vantage.config;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The range a numeric or duration setting must lie in, checked when the configuration is read: a value that
 * would hang or flood (a batch size of 0 loops for ever, a back-off of 0 retries without pause) stops the start
 * instead. A violation reads {@code is 0, allowed 1 to 10000}; the caller puts the key in front of it, so the
 * person who set it reads the key, the value and what to set instead. Durations are written the way the
 * configuration takes them ({@code 500ms}, {@code 30s}, {@code 5m}, {@code 2h}, {@code 7d}).
 */
public final class ConfigRange {
    private static final Pattern SHORT = Pattern.compile("(\\d+)(ms|s|m|h|d)?");

    private ConfigRange() {
    }

    /** Why the value lies outside {@code [min, max]}, or null when it does not. */
    public static String violation(long value, long min, long max) {
        return value >= min && value <= max ? null : "is " + value + ", allowed " + min + " to " + max;
    }

    /** Why the value lies outside {@code [min, max]} (or is not a number), or null when it does not. */
    public static String violation(double value, double min, double max) {
        return value >= min && value <= max ? null
                : "is " + text(value) + ", allowed " + text(min) + " to " + text(max);
    }

    /** Why the duration lies outside {@code [min, max]}, or null when it does not. */
    public static String violation(Duration value, Duration min, Duration max) {
        return value.compareTo(min) >= 0 && value.compareTo(max) <= 0 ? null
                : "is " + text(value) + ", allowed " + text(min) + " to " + text(max);
    }

    /**
     * A duration in the configuration's short form: digits followed by {@code ms}, {@code s}, {@code m},
     * {@code h} or {@code d} (no unit: seconds).
     *
     * @throws IllegalArgumentException naming the text when it is not of that form
     */
    public static Duration duration(String text) {
        Matcher m = SHORT.matcher(text);
        if (!m.matches()) {
            throw new IllegalArgumentException("'" + text + "' is not a duration such as 500ms, 30s, 5m, 2h or 7d");
        }
        long n = Long.parseLong(m.group(1));
        String unit = m.group(2) == null ? "s" : m.group(2);
        return switch (unit) {
            case "ms" -> Duration.ofMillis(n);
            case "m" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            case "d" -> Duration.ofDays(n);
            default -> Duration.ofSeconds(n);
        };
    }

    /** The duration in the short form where it has one ({@code 0s}, {@code 500ms}, {@code 2h}), else ISO-8601. */
    public static String text(Duration d) {
        if (d.isZero()) {
            return "0s";
        }
        if (d.isNegative() || d.getNano() % 1_000_000 != 0) {
            return d.toString();
        }
        long ms = d.toMillis();
        long[] units = {86_400_000, 3_600_000, 60_000, 1000, 1};
        String[] names = {"d", "h", "m", "s", "ms"};
        for (int i = 0; i < units.length; i++) {
            if (ms % units[i] == 0) {
                return ms / units[i] + names[i];
            }
        }
        return d.toString(); // not reached: every whole number of milliseconds is a multiple of 1 ms
    }

    private static String text(double v) {
        return Double.isFinite(v) ? BigDecimal.valueOf(v).stripTrailingZeros().toPlainString() : String.valueOf(v);
    }
}
