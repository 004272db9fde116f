package dev.vantage.catalog;

import java.util.Locale;

/** For a destination with several host names: must every one answer, or is one enough ("A or B" in the document)? */
public enum HostMatch {
    ALL, ANY;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
