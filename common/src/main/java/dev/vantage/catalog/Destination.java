package dev.vantage.catalog;

import java.util.List;

/**
 * Where a requirement's traffic goes. Exactly one of {@code role}, {@code hosts} or {@code name} is set.
 *
 * @param role     a catalog role (its address comes from the site)
 * @param address  which address of the role to use
 * @param hosts    external host names (may contain a leading {@code *.} wildcard, which a site override must make concrete)
 * @param match    whether all hosts or any one of them must pass
 * @param override key in the site's {@code destinations} that replaces {@code hosts} (e.g. the customer's blob account)
 * @param name     a DNS name to resolve, with {@code {fqdn}} standing for the site's FQDN
 */
public record Destination(String role, AddressChoice address, List<String> hosts, HostMatch match, String override,
                          String name) {
    public Destination {
        hosts = hosts == null ? List.of() : List.copyOf(hosts);
        address = address == null ? AddressChoice.AUTO : address;
        match = match == null ? HostMatch.ALL : match;
    }

    public boolean isRole() {
        return role != null;
    }

    public boolean isHosts() {
        return !hosts.isEmpty();
    }

    public boolean isName() {
        return name != null;
    }

    /** Short form for tables and JSON: the role, the host list, or the name. */
    public String describe() {
        if (isRole()) {
            return address == AddressChoice.AUTO ? role : role + " (" + address.wireName() + ")";
        }
        if (isHosts()) {
            return String.join(match == HostMatch.ANY ? " or " : ", ", hosts);
        }
        return name;
    }
}
