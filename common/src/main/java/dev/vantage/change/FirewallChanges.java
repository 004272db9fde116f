package dev.vantage.change;

import dev.vantage.analysis.DiagnosisCode;
import dev.vantage.catalog.Catalog;
import dev.vantage.catalog.Expectation;
import dev.vantage.catalog.Requirement;
import dev.vantage.catalog.Zone;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import static dev.vantage.change.ChangeKind.*;

/**
 * The firewall and NAT changes: where the analysis placed a blocked path (its location code), which device must
 * forward, admit, loop back, open or allow what; an exposure to close; an outbound flow to allow. The ports are the
 * failing ones only (the missing sub-range of a range), the sources those the requirement names.
 */
final class FirewallChanges {
    private final SiteAddresses site;
    private final Devices devices;
    private final Catalog catalog;

    FirewallChanges(SiteAddresses site, Devices devices, Catalog catalog) {
        this.site = site;
        this.devices = devices;
        this.catalog = catalog;
    }

    /** The change for a failing check whose blocked ports the analysis placed; empty where no device is named. */
    List<Draft> placed(Finding f, DiagnosisCode location) {
        String role = f.role();
        String internal = f.onPublic() ? site.internal(role) : f.check().target();
        return switch (location) {
            case PERIMETER_FORWARD_MISSING -> forward(f, ADD_PORT_FORWARD, f.hairpin() ? insideSources(f) : outsideSources(f));
            case HAIRPIN_NAT_MISSING -> forward(f, ENABLE_HAIRPIN_NAT, insideSources(f));
            case PERIMETER_SOURCE_RESTRICTED -> {
                List<Draft> admit = forward(f, ADMIT_SOURCE, site.sources(List.of(f.vantage())));
                String refused = SiteAddresses.host(f.facts().source());
                if (refused != null) {
                    admit.forEach(d -> d.refusedSources.add(refused));
                }
                yield admit;
            }
            case STACK_FIREWALL_BLOCKS -> List.of(new Draft(devices.hostFirewall(role), OPEN_PORT, f).ports(f.blocked())
                    .addresses(null, internal).sources(site.sources(f.requirement().sources())));
            case INTERNAL_PATH_BLOCKED -> List.of(new Draft(devices.internalFirewall(f.vantage()), ALLOW_FLOW, f)
                    .ports(f.blocked()).addresses(null, internal).sources(site.sources(List.of(f.vantage()))));
            default -> List.of();
        };
    }

    /** A port forward (or hairpin NAT, or a source admitted to it) on the perimeter, for the failing ports. */
    private List<Draft> forward(Finding f, ChangeKind kind, Sources sources) {
        String publicAddress = f.onPublic() ? f.check().target() : site.publicOf(f.role());
        String internal = site.internal(f.role());
        if (publicAddress == null || internal == null) {
            return List.of(); // the site gives no address to forward from or to: left to verify
        }
        return List.of(new Draft(devices.perimeter(), kind, f).ports(f.blocked()).addresses(publicAddress, internal)
                .sources(sources));
    }

    /** A must-be-blocked port answered: close it, naming who may still reach it. */
    List<Draft> exposure(Finding f, boolean fromOutside) {
        String role = f.role();
        Sources allowed = site.sources(allowedSources(f.requirement()).stream().filter(r -> !r.equals(SiteAddresses.ANY)).toList());
        Draft d = fromOutside
                ? new Draft(devices.perimeter(), CLOSE_EXPOSURE, f).addresses(f.onPublic() ? f.check().target()
                : site.publicOf(role), site.internal(role))
                : new Draft(devices.hostFirewall(role), CLOSE_PORT, f).addresses(null, site.internal(role));
        return List.of(d.ports(f.ports()).sources(allowed));
    }

    /** Outbound traffic that did not get out: allow it at the vantage's egress, to the address the probe used. */
    List<Draft> outbound(Finding f) {
        Draft d = new Draft(devices.egress(f.vantage()), ALLOW_OUTBOUND, f).ports(f.ports())
                .sources(site.sources(List.of(f.vantage())));
        d.hosts.add(f.check().target());
        String address = SiteAddresses.host(f.facts().destination());
        if (address != null) {
            d.hostAddresses.add(address);
        }
        return List.of(d);
    }

    /** The requirement's sources outside the perimeter: who the forward is for. */
    private Sources outsideSources(Finding f) {
        return site.sources(f.requirement().sources().stream().filter(s -> site.zone(s) == Zone.OUTSIDE).toList());
    }

    /** The requirement's sources inside (the destination itself left out): who hairpins. */
    private Sources insideSources(Finding f) {
        List<String> inside = f.requirement().sources().stream()
                .filter(s -> site.zone(s) == Zone.INSIDE && !s.equals(f.role())).toList();
        return site.sources(inside.isEmpty() ? List.of(f.vantage()) : inside);
    }

    /** The sources the catalog allows on a must-be-blocked port: those of the reachable requirements for the same port. */
    private Set<String> allowedSources(Requirement blocked) {
        Set<String> allowed = new LinkedHashSet<>();
        for (Requirement r : catalog.requirements()) {
            if (r.expect() == Expectation.REACHABLE && r.protocol() == blocked.protocol() && r.destination().isRole()
                    && r.destination().role().equals(blocked.destination().role())
                    && Ports.overlap(r.ports(), blocked.ports())) {
                allowed.addAll(r.sources());
            }
        }
        return allowed;
    }
}
