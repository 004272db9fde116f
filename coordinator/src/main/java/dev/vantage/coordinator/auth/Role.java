package dev.vantage.coordinator.auth;

import java.util.Locale;

/** What a token may do; each role can do everything the ones before it can. */
public enum Role {
    /** Reads sites, agents, surveys, verdicts, matrix, history and reports. */
    VIEWER,
    /** Also starts surveys and creates or changes sites. */
    OPERATOR,
    /** Also deletes sites and agents and manages tokens. */
    ADMIN;

    public boolean covers(Role needed) {
        return compareTo(needed) >= 0;
    }

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** @throws IllegalArgumentException naming the value and the roles */
    public static Role fromWireName(String text) {
        for (Role r : values()) {
            if (r.wireName().equals(text)) {
                return r;
            }
        }
        throw new IllegalArgumentException("unknown role '" + text + "', expected viewer, operator or admin");
    }
}
