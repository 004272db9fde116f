package dev.vantage.params;

import dev.vantage.wire.ProbeKind;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Reads the parameters of one task for the record of its kind: each accessor names a parameter the kind
 * takes and checks its value; {@link #rejectOthers()} then refuses every name the kind does not take.
 */
final class ParamReader {
    /** The nonce a responder echoes: 8 to 32 characters a datagram can carry as they are. */
    private static final Pattern NONCE = Pattern.compile("[0-9A-Za-z._-]{8,32}");

    private final ProbeKind kind;
    private final Map<String, String> params;
    private final Set<String> known = new LinkedHashSet<>();

    ParamReader(ProbeKind kind, Map<String, String> params) {
        this.kind = kind;
        this.params = params == null ? Map.of() : params;
    }

    /** The stripped value, or null when absent. */
    String text(String name) {
        known.add(name);
        String value = params.get(name);
        if (value == null) {
            return null;
        }
        if (value.isBlank()) {
            throw bad(name, value, "is empty; leave the parameter out for the default");
        }
        return value.strip();
    }

    /** {@code true} or {@code false} (any case); absent is false. */
    boolean flag(String name) {
        Boolean value = optionalFlag(name);
        return value != null && value;
    }

    /** {@code true} or {@code false} (any case), or null when absent. */
    Boolean optionalFlag(String name) {
        String text = text(name);
        if (text == null) {
            return null;
        }
        if (text.equalsIgnoreCase("true") || text.equalsIgnoreCase("false")) {
            return Boolean.valueOf(text);
        }
        throw bad(name, text, "expected true or false");
    }

    Integer integer(String name, int min, int max) {
        String text = text(name);
        if (text == null) {
            return null;
        }
        int value;
        try {
            value = Integer.parseInt(text);
        } catch (NumberFormatException e) {
            throw bad(name, text, "is not a whole number");
        }
        if (value < min || value > max) {
            throw bad(name, text, "is out of range " + min + "-" + max);
        }
        return value;
    }

    Double number(String name, double min, double max) {
        String text = text(name);
        if (text == null) {
            return null;
        }
        double value;
        try {
            value = new BigDecimal(text).doubleValue();
        } catch (NumberFormatException e) {
            throw bad(name, text, "is not a number");
        }
        if (value < min || value > max) {
            throw bad(name, text, "must be a number from " + ParamWriter.number(min) + " to " + ParamWriter.number(max));
        }
        return value;
    }

    /** A positive duration ({@link Durations#parse}) of at most {@code max}, or null when absent. */
    Duration duration(String name, Duration max, String why) {
        String text = text(name);
        if (text == null) {
            return null;
        }
        Duration value;
        try {
            value = Durations.parse(text);
        } catch (IllegalArgumentException e) {
            throw bad(name, text, e.getMessage());
        }
        if (value.compareTo(max) > 0) {
            throw bad(name, text, "is longer than " + why);
        }
        return value;
    }

    /** One of {@code allowed}, compared ignoring case, or null when absent. */
    @SafeVarargs
    final <E extends Enum<E> & Choice> E choice(String name, E... allowed) {
        String text = text(name);
        if (text == null) {
            return null;
        }
        for (E e : allowed) {
            if (e.wireName().equalsIgnoreCase(text)) {
                return e;
            }
        }
        throw bad(name, text, "expected one of " + Arrays.stream(allowed).map(Choice::wireName).sorted()
                .collect(Collectors.joining(", ")) + ", not '" + text + "'");
    }

    /** Comma-separated values, stripped; empty when absent. */
    List<String> list(String name) {
        String text = text(name);
        if (text == null) {
            return List.of();
        }
        List<String> values = new ArrayList<>();
        for (String part : text.split(",")) {
            if (part.isBlank()) {
                throw bad(name, text, "has an empty item; write the values separated by single commas");
            }
            values.add(part.strip());
        }
        return List.copyOf(values);
    }

    String nonce(String name) {
        String text = text(name);
        if (text != null && !NONCE.matcher(text).matches()) {
            throw bad(name, text, "must be 8-32 characters of [0-9A-Za-z._-]");
        }
        return text;
    }

    /** The task's timeout, or the kind's default ({@link DefaultTimeouts}) when it has none. */
    Duration timeout(Duration given) {
        Duration timeout = given == null ? DefaultTimeouts.of(kind) : given;
        if (timeout.isNegative() || timeout.isZero()) {
            throw bad("timeout", timeout.toString(), "must be positive");
        }
        return timeout;
    }

    /** Refuses the parameters the kind does not take: a misspelt or misplaced one would be ignored silently. */
    void rejectOthers() {
        for (Map.Entry<String, String> e : params.entrySet()) {
            if (!known.contains(e.getKey())) {
                throw bad(e.getKey(), e.getValue(), "is not a parameter of " + kind.wireName() + " tasks"
                        + (known.isEmpty() ? ", which take none" : ", which take " + String.join(", ", known)));
            }
        }
    }

    MalformedParamException bad(String name, String value, String problem) {
        return new MalformedParamException(kind, name, value, problem);
    }
}
