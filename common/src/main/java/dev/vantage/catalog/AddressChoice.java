package dev.vantage.catalog;

import java.util.Locale;

/** Which address of a destination role a probe targets. */
public enum AddressChoice {
    /** By the source's zone: internal address from inside, public address from outside. */
    AUTO,
    /** Always the internal address. */
    INTERNAL,
    /** Always the public address, also from inside: that is the hairpin case. */
    PUBLIC;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
