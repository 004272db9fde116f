package dev.vantage.site;

import dev.vantage.catalog.Topology;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * One customer installation, as read from a site file (format: {@code docs/site-format.md}). Loaded
 * and checked against its catalog by {@link Sites}: every role, module and override key is one the
 * catalog knows.
 *
 * @param id           topic-safe id (letters, digits, {@code .}, {@code _}, {@code -})
 * @param name         display name
 * @param catalog      the catalog's name
 * @param fqdn         the stack's fully qualified domain name
 * @param topology     redundant or non-redundant
 * @param modules      enabled modules
 * @param roles        where each role is, by role id
 * @param dnsInternal  addresses the FQDN must resolve to from inside
 * @param dnsExternal  addresses the FQDN must resolve to from outside
 * @param destinations overrides of external destinations by key
 * @param vantages     the agents and the roles they play
 */
public record Site(String id, String name, String catalog, String fqdn, Topology topology, Set<String> modules,
                   Map<String, SiteRole> roles, List<String> dnsInternal, List<String> dnsExternal,
                   Map<String, DestinationOverride> destinations, List<Vantage> vantages) {

    public Site {
        modules = Set.copyOf(modules);
        roles = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(roles));
        dnsInternal = List.copyOf(dnsInternal);
        dnsExternal = List.copyOf(dnsExternal);
        destinations = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(destinations));
        vantages = List.copyOf(vantages);
    }

    public Optional<SiteRole> role(String id) {
        return Optional.ofNullable(roles.get(id));
    }

    /** Whether some agent at the site plays this role. */
    public boolean hasVantage(String role) {
        return vantages.stream().anyMatch(v -> v.roles().contains(role));
    }
}
