package dev.vantage.catalog;

import java.util.Locale;

/** Whether an installation runs redundant (clustered) or not; the legacy table has a column for each. */
public enum Topology {
    REDUNDANT, NON_REDUNDANT;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
