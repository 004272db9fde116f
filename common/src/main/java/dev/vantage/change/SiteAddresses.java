package dev.vantage.change;

import dev.vantage.catalog.Catalog;
import dev.vantage.catalog.Zone;
import dev.vantage.net.Endpoint;
import dev.vantage.net.IpAddress;
import dev.vantage.site.Address;
import dev.vantage.site.Site;
import dev.vantage.site.SiteRole;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Where the site's roles are, as a change needs them: their zone, internal and public address, and the sources a
 * list of roles stands for. The catalog role {@value #ANY} is "a host on the general internet": as a source it
 * means every source.
 */
final class SiteAddresses {
    /** The catalog role that stands for any host on the internet. */
    static final String ANY = "internet";

    private final Site site;
    private final Catalog catalog;

    SiteAddresses(Site site, Catalog catalog) {
        this.site = site;
        this.catalog = catalog;
    }

    Site site() {
        return site;
    }

    /** The site may place a role in another zone than the catalog does; unknown roles are inside (as the analysis reads them). */
    Zone zone(String role) {
        SiteRole sr = site.roles().get(role);
        if (sr != null && sr.zone() != null) {
            return sr.zone();
        }
        return catalog.roles().containsKey(role) ? catalog.roles().get(role).zone() : Zone.INSIDE;
    }

    /** Whether the target is one of the role's public addresses. */
    boolean isPublic(String role, String target) {
        SiteRole sr = role == null ? null : site.roles().get(role);
        return sr != null && sr.public_().stream().map(Address::text).anyMatch(a -> a.equalsIgnoreCase(target));
    }

    /** The role's first internal address a probe can aim at, null when the site gives none. */
    String internal(String role) {
        SiteRole sr = site.roles().get(role);
        return sr == null ? null : sr.addresses().stream().filter(Address::isTarget).map(Address::text).findFirst().orElse(null);
    }

    /** The role's first public address, null when it has none. */
    String publicOf(String role) {
        SiteRole sr = site.roles().get(role);
        return sr == null ? null : sr.public_().stream().filter(Address::isTarget).map(Address::text).findFirst().orElse(null);
    }

    /** The role's addresses and blocks inside the customer network (or, for an outside role, where it is). */
    List<String> addresses(String role) {
        SiteRole sr = site.roles().get(role);
        return sr == null ? List.of() : sr.addresses().stream().map(Address::text).toList();
    }

    /** The sources these roles stand for: every source when one of them is {@value #ANY}. */
    Sources sources(Collection<String> roles) {
        Set<String> addresses = new LinkedHashSet<>();
        roles.forEach(r -> addresses.addAll(addresses(r)));
        return new Sources(roles.contains(ANY), new ArrayList<>(new LinkedHashSet<>(roles)), new ArrayList<>(addresses));
    }

    /** The address of an {@code ip}, {@code ip:port} or {@code [v6]:port} as a result gives it; null when it is none. */
    static String host(String endpoint) {
        if (endpoint == null) {
            return null;
        }
        return Endpoint.tryParse(endpoint).flatMap(Endpoint::ip).map(IpAddress::toString).orElse(null);
    }
}
