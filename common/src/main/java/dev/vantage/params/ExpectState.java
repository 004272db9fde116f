package dev.vantage.params;

import java.util.Locale;

/**
 * Parameter {@code expectState} of the port kinds: whether the requirement wants the port reachable from the
 * vantage (the default, not written) or blocked.
 */
public enum ExpectState implements Choice {
    REACHABLE, BLOCKED;

    @Override
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
