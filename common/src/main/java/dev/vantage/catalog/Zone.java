package dev.vantage.catalog;

import java.util.Locale;

/**
 * Where a role sits relative to the customer's perimeter firewall. It decides which address of a
 * destination a probe uses: the internal address from {@code inside}, the public one from {@code outside}.
 */
public enum Zone {
    INSIDE, OUTSIDE;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
