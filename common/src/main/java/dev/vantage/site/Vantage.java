package dev.vantage.site;

import java.util.List;

/**
 * An agent at a site and the catalog roles it plays (where it probes from).
 *
 * @param agent agent id, unique across all sites
 * @param roles catalog roles
 */
public record Vantage(String agent, List<String> roles) {
    public Vantage {
        roles = List.copyOf(roles);
    }
}
