package dev.vantage.params;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Writes a record's parameters in their one wire spelling; an absent value (null, false, empty) is left out. */
final class ParamWriter {
    private final Map<String, String> params = new TreeMap<>();

    ParamWriter text(String name, String value) {
        if (value != null) {
            params.put(name, value);
        }
        return this;
    }

    /** Writes {@code true}; false is the absent default. */
    ParamWriter flag(String name, boolean value) {
        return value ? text(name, "true") : this;
    }

    ParamWriter flag(String name, Boolean value) {
        return value == null ? this : text(name, value.toString());
    }

    ParamWriter integer(String name, Integer value) {
        return value == null ? this : text(name, value.toString());
    }

    ParamWriter number(String name, Double value) {
        return value == null ? this : text(name, number(value));
    }

    ParamWriter duration(String name, Duration value) {
        return value == null ? this : text(name, value.toString());
    }

    ParamWriter choice(String name, Choice value) {
        return value == null ? this : text(name, value.wireName());
    }

    /** Writes {@code blocked}; reachable is the absent default. */
    ParamWriter expectState(String name, ExpectState value) {
        return value == ExpectState.BLOCKED ? choice(name, value) : this;
    }

    ParamWriter list(String name, List<String> values) {
        return values.isEmpty() ? this : text(name, String.join(",", values));
    }

    Map<String, String> map() {
        return Collections.unmodifiableMap(params);
    }

    /** {@code 1}, {@code 3.6}, {@code 30}: no trailing zeros, never an exponent. */
    static String number(double value) {
        return BigDecimal.valueOf(value).stripTrailingZeros().toPlainString();
    }
}
