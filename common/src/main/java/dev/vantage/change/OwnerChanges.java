package dev.vantage.change;

import dev.vantage.catalog.Zone;

import java.util.List;

import static dev.vantage.change.ChangeKind.*;

/**
 * What an owner must do that is not a firewall rule or a DNS record, in words: TLS inspection or a proxy to bypass, a
 * SIP ALG to switch off, a forward that leads to another host, a service down or not answering, answers that do not
 * come back, media below the thresholds. Each is addressed to the device or service that does it.
 */
final class OwnerChanges {
    private final SiteAddresses site;
    private final Devices devices;

    OwnerChanges(SiteAddresses site, Devices devices) {
        this.site = site;
        this.devices = devices;
    }

    /** The change in words for a failing check's diagnosis; empty when the diagnosis is none of these. */
    List<Draft> draft(Finding f) {
        String role = f.role();
        return switch (f.code()) {
            case TLS_INSPECTION -> List.of(egress(f, BYPASS_TLS_INSPECTION));
            case TRANSPARENT_PROXY -> List.of(egress(f, BYPASS_PROXY));
            case SILENT_AFTER_CONNECT, WRONG_PROTOCOL_ANSWER, TLS_HANDSHAKE_FAILED -> f.outbound()
                    ? List.of(egress(f, BYPASS_PROXY))
                    : List.of(atRole(f, new Draft(devices.service(role), FIX_SERVICE, f)));
            case SIP_ALG -> List.of(atRole(f, new Draft(f.zone() == Zone.OUTSIDE || f.hairpin() ? devices.perimeter()
                    : devices.internalFirewall(f.vantage()), DISABLE_SIP_ALG, f)));
            case RTP_QUALITY -> List.of(atRole(f, new Draft(devices.network(f.vantage(), role), IMPROVE_MEDIA_PATH, f)));
            case WRONG_DESTINATION -> List.of(atRole(f, new Draft(devices.perimeter(), FIX_FORWARD_TARGET, f)));
            case SERVICE_NOT_LISTENING -> notListening(f);
            default -> List.of();
        };
    }

    /** After installation nothing listens where the service must: start it (the ports read as its own refusal). */
    List<Draft> notListening(Finding f) {
        List<dev.vantage.wire.PortRange> ports = f.facts().notListening().isEmpty() ? f.ports() : f.facts().notListening();
        return List.of(atRole(f, new Draft(devices.service(f.role()), START_SERVICE, f)).ports(ports));
    }

    /** The destination received the probe, its answers did not come back. */
    List<Draft> returnRoute(Finding f) {
        return List.of(atRole(f, new Draft(devices.network(f.vantage(), f.role()), FIX_RETURN_ROUTE, f)).ports(f.blocked()));
    }

    /** At the vantage's egress, towards the check's destination host. */
    private Draft egress(Finding f, ChangeKind kind) {
        Draft d = new Draft(devices.egress(f.vantage()), kind, f).ports(f.ports()).sources(site.sources(List.of(f.vantage())));
        d.hosts.add(f.check().target());
        return d;
    }

    /** The destination role's public and internal address and the check's ports. */
    private Draft atRole(Finding f, Draft d) {
        String role = f.role();
        if (role == null) {
            return d.ports(f.ports());
        }
        return d.ports(f.ports()).addresses(f.onPublic() ? f.check().target() : site.publicOf(role), site.internal(role));
    }
}
