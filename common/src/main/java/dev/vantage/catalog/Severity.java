package dev.vantage.catalog;

import java.util.Locale;

/** How much a failing requirement matters for go-live. */
public enum Severity {
    /** The stack cannot start, update, take calls, or is exposed. */
    CRITICAL,
    /** A documented function is lost (a module, a fallback, support access). */
    MAJOR,
    /** Degraded or optional. */
    MINOR;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
