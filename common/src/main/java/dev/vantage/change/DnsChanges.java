package dev.vantage.change;

import dev.vantage.catalog.Expectation;
import dev.vantage.catalog.Zone;
import dev.vantage.net.IpAddress;

import java.util.List;

import static dev.vantage.change.ChangeKind.*;

/**
 * The DNS changes: a record to add or correct in the view the requirement is about (internal or external), with the
 * value it must have (the site file's {@code dns} addresses for that view) and the value it has now; a resolver that
 * fails, in words.
 */
final class DnsChanges {
    private final SiteAddresses site;
    private final Devices devices;

    DnsChanges(SiteAddresses site, Devices devices) {
        this.site = site;
        this.devices = devices;
    }

    /** The change for a failing DNS check; empty when its diagnosis is no DNS finding. */
    List<Draft> draft(Finding f) {
        boolean external = f.requirement().expect() == Expectation.RESOLVES_EXTERNAL;
        return switch (f.code()) {
            case DNS_PUBLIC_RECORD_MISSING, DNS_INTERNAL_RECORD_MISSING, DNS_SUBDOMAIN_MISSING ->
                    List.of(record(f, devices.dns(external), ADD_RECORD, external));
            case DNS_PUBLIC_RECORD_WRONG, DNS_SPLIT_HORIZON_WRONG -> List.of(record(f, devices.dns(external), CORRECT_RECORD, external));
            case DNS_RESOLUTION_FAILED -> List.of(record(f, site.zone(f.vantage()) == Zone.INSIDE ? devices.dns(false)
                    : devices.network(f.vantage(), "its resolver"), FIX_RESOLVER, external));
            default -> List.of();
        };
    }

    private Draft record(Finding f, Device device, ChangeKind kind, boolean external) {
        List<String> wanted = external ? site.site().dnsExternal() : site.site().dnsInternal();
        Draft d = new Draft(device, kind, f);
        d.dns = new DnsRecord(f.check().target(), external ? "external" : "internal", type(wanted), wanted,
                f.facts().observed(), f.check().outcome() == null ? null : f.check().outcome().name());
        return d;
    }

    /** {@code A}, {@code AAAA}, or {@code A/AAAA} when the site wants both families. */
    private static String type(List<String> wanted) {
        boolean v4 = wanted.stream().anyMatch(a -> IpAddress.tryParse(a).map(ip -> ip.family() == IpAddress.Family.IPV4).orElse(false));
        boolean v6 = wanted.stream().anyMatch(a -> IpAddress.tryParse(a).map(ip -> ip.family() == IpAddress.Family.IPV6).orElse(false));
        return v4 && v6 ? "A/AAAA" : v6 ? "AAAA" : "A";
    }
}
