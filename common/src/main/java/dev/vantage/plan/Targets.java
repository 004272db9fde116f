package dev.vantage.plan;

import dev.vantage.catalog.Catalog;
import dev.vantage.catalog.Destination;
import dev.vantage.catalog.Requirement;
import dev.vantage.catalog.Zone;
import dev.vantage.site.Address;
import dev.vantage.site.DestinationOverride;
import dev.vantage.site.Site;
import dev.vantage.site.SiteRole;

import java.util.List;

/**
 * Where a source sends a requirement's probes at one site: a role destination at its internal address from
 * an {@code inside} source and at its public address from an {@code outside} one (or always at the one the
 * catalog names); a host destination at each concrete host, or at the site's override; a name destination
 * at the name with {@code {fqdn}} replaced.
 */
final class Targets {
    private final Catalog catalog;
    private final Site site;

    Targets(Catalog catalog, Site site) {
        this.catalog = catalog;
        this.site = site;
    }

    /**
     * The targets of one source, or why it has none.
     *
     * @param names   host names or addresses to probe; empty when there is a problem
     * @param port    the site override's port replacing the requirement's ports, or null
     * @param problem why the source has no target (naming the site field to fill in), or null
     */
    record Aim(List<String> names, Integer port, String problem) {
        static Aim problem(String why) {
            return new Aim(List.of(), null, why);
        }
    }

    Aim of(Requirement r, String source) {
        Destination d = r.destination();
        if (d.isName()) {
            return new Aim(List.of(d.name().replace("{fqdn}", site.fqdn())), null, null);
        }
        if (d.isHosts()) {
            if (d.override() != null && site.destinations().containsKey(d.override())) {
                DestinationOverride o = site.destinations().get(d.override());
                return new Aim(List.of(o.host()), o.port(), null);
            }
            List<String> concrete = d.hosts().stream().filter(h -> !h.startsWith("*.")).toList();
            if (concrete.isEmpty()) {
                return Aim.problem("the site names no host for " + String.join(", ", d.hosts())
                        + " (destinations." + d.override() + ".host)");
            }
            return new Aim(concrete, null, null);
        }
        SiteRole role = site.roles().get(d.role());
        boolean usePublic = switch (d.address()) {
            case PUBLIC -> true;
            case INTERNAL -> false;
            case AUTO -> zone(d.role()) == Zone.INSIDE && zone(source) == Zone.OUTSIDE;
        };
        String field = "roles." + d.role() + (usePublic ? ".public" : ".addresses");
        List<Address> addresses = role == null ? List.of() : usePublic ? role.public_() : role.addresses();
        if (addresses.isEmpty()) {
            return Aim.problem("the site gives no " + (usePublic ? "public " : "") + "address for "
                    + d.role() + " (" + field + "), needed from " + source);
        }
        List<String> names = addresses.stream().filter(Address::isTarget).map(Address::text).toList();
        if (names.isEmpty()) {
            return Aim.problem(field + " has only CIDR blocks, no single address to probe from " + source);
        }
        return new Aim(names, null, null);
    }

    /** The role's own IP address, so a listener is on the interface the forwarded traffic reaches. */
    String bindAddress(String role) {
        SiteRole sr = site.roles().get(role);
        return sr == null ? "0.0.0.0" : sr.addresses().stream().filter(Address::isIp).map(Address::text)
                .findFirst().orElse("0.0.0.0");
    }

    private Zone zone(String role) {
        SiteRole sr = site.roles().get(role);
        return sr != null && sr.zone() != null ? sr.zone() : catalog.roles().get(role).zone();
    }
}
