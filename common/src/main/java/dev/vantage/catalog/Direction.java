package dev.vantage.catalog;

import java.util.Locale;

/** Which way a flow crosses the stack's boundary. */
public enum Direction {
    /** Towards the stack (or a cluster member) from users, trunks, support. */
    INBOUND,
    /** From the stack to an external destination. */
    OUTBOUND,
    /** Between members of a multi-VM installation. */
    INTERNAL;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
