package dev.vantage.analysis;

import dev.vantage.net.IpAddress;
import dev.vantage.site.Address;
import dev.vantage.site.Site;
import dev.vantage.site.SiteRole;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The hosts that are the site itself, for one of its roles: the site's FQDN and the names below it
 * ({@code vscode.<FQDN>}), the role's internal and public addresses (names too), and the addresses the FQDN
 * resolves to inside and outside. A redirect there is the site sending a client on to itself (port 80 to
 * HTTPS, as the requirements document says it must), not a proxy or a captive portal.
 */
final class SiteHosts {
    private final Site site;

    SiteHosts(Site site) {
        this.site = site;
    }

    /**
     * Where a redirect leads when that is the site itself: the Location resolved against the URL asked for,
     * or null when it leads elsewhere or does not read as a URL.
     */
    String ownRedirect(String role, String url, String location) {
        if (location == null || location.isBlank()) {
            return null;
        }
        try {
            URI target = url == null ? new URI(location.strip()) : new URI(url).resolve(location.strip());
            return target.getHost() != null && isOwn(role, target.getHost()) ? target.toString() : null;
        } catch (URISyntaxException | IllegalArgumentException e) {
            return null;
        }
    }

    /** The host (a name, or an address, bracketed or not) is the site's FQDN, a name below it, or an address of the role. */
    boolean isOwn(String role, String host) {
        String h = host.strip().toLowerCase(Locale.ROOT);
        h = h.startsWith("[") && h.endsWith("]") ? h.substring(1, h.length() - 1) : h;
        h = h.endsWith(".") ? h.substring(0, h.length() - 1) : h;
        String fqdn = site.fqdn() == null ? null : site.fqdn().toLowerCase(Locale.ROOT).replaceAll("\\.$", "");
        if (fqdn != null && (h.equals(fqdn) || h.endsWith("." + fqdn))) {
            return true;
        }
        IpAddress ip = IpAddress.tryParse(h).orElse(null);
        for (String own : addresses(role)) {
            IpAddress o = IpAddress.tryParse(own).orElse(null);
            if (ip != null ? ip.equals(o) : own.equalsIgnoreCase(h)) {
                return true;
            }
        }
        return false;
    }

    private List<String> addresses(String role) {
        List<String> out = new ArrayList<>(site.dnsInternal());
        out.addAll(site.dnsExternal());
        SiteRole sr = role == null ? null : site.roles().get(role);
        if (sr != null) {
            sr.addresses().stream().filter(Address::isTarget).map(Address::text).forEach(out::add);
            sr.public_().stream().filter(Address::isTarget).map(Address::text).forEach(out::add);
        }
        return out;
    }
}
