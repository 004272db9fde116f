package dev.vantage.site;

import dev.vantage.catalog.Zone;

import java.util.List;

/**
 * Where one catalog role is at a site.
 *
 * @param id        the catalog role
 * @param addresses where it is inside the customer network (IPs, CIDRs, host names); for an outside
 *                  role simply where it is
 * @param public_   how it is reached from outside the perimeter (IPs or host names), empty if not at all
 * @param zone      the site's override of the catalog's zone, or null
 */
public record SiteRole(String id, List<Address> addresses, List<Address> public_, Zone zone) {
    public SiteRole {
        addresses = List.copyOf(addresses);
        public_ = List.copyOf(public_);
    }
}
