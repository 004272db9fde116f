package dev.vantage.catalog;

import java.util.Locale;

/**
 * Whether the stack is installed yet. Before installation nothing listens on the destination, so
 * the agent there opens a responder and probes expect it; after installation the real services answer.
 */
public enum Mode {
    PRE_INSTALL, POST_INSTALL;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
