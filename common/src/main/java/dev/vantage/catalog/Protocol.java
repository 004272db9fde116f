package dev.vantage.catalog;

import java.util.Locale;

/** The transport a requirement is about; {@code dns} requirements are about name resolution and have no port. */
public enum Protocol {
    TCP, UDP, DNS;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
