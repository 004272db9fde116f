package dev.vantage.analysis;

import java.util.Locale;

/** Which address of a role destination a task probes. */
enum AddressKind {
    /** The role's address inside the customer network. */
    INTERNAL,
    /** The role's public address (from inside: the hairpin case). */
    PUBLIC,
    /** Not a role's address: an external host or a name. */
    NONE;

    /** {@code internal}, {@code public}, as the diagnoses write it. */
    String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
