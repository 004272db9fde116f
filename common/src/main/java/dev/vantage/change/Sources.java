package dev.vantage.change;

import java.util.List;

/**
 * The sources a change admits (or, for an exposure to close, the sources that may still reach the port).
 *
 * @param any       every source: a role of the requirement stands for any host ({@code internet})
 * @param roles     the catalog roles the sources come from
 * @param addresses their addresses and blocks at the site (IPs, CIDR blocks, or names as the site file writes
 *                  them); empty when {@code any}
 */
public record Sources(boolean any, List<String> roles, List<String> addresses) {
    public Sources {
        roles = List.copyOf(roles);
        addresses = any ? List.of() : List.copyOf(addresses);
    }

    static final Sources NONE = new Sources(false, List.of(), List.of());
}
