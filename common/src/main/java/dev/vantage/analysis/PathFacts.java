package dev.vantage.analysis;

import dev.vantage.catalog.Catalog;
import dev.vantage.catalog.Protocol;
import dev.vantage.catalog.Requirement;
import dev.vantage.catalog.Zone;
import dev.vantage.site.Address;
import dev.vantage.site.Site;
import dev.vantage.site.SiteRole;
import dev.vantage.wire.ProbeResult;
import dev.vantage.wire.ProbeTask;

import java.util.List;

/**
 * What the site and catalog say about a task's path, before any result is read: the zone of the
 * vantage, which address of the destination role it aims at, the transport, and the ports a planned
 * responder said it did not hold.
 */
final class PathFacts {
    private final Catalog catalog;
    private final Site site;
    private final ResponderAccount responders;

    PathFacts(Catalog catalog, Site site, ResponderAccount responders) {
        this.catalog = catalog;
        this.site = site;
        this.responders = responders;
    }

    /** A check to judge: the task's result from one agent (null when none arrived). */
    Judged judged(ProbeTask t, Requirement req, ProbeResult r, String agent) {
        Protocol transport = transport(t, req);
        boolean responder = req.destination().isRole() && PlannedParams.responder(t);
        return new Judged(t, req, r, agent, zone(t.vantage()), addressKind(t, req), transport,
                responder ? responders.notHeld(t, req.destination().role(), transport) : List.of());
    }

    /** The site may place a role in another zone than the catalog does; unknown roles are inside. */
    private Zone zone(String role) {
        SiteRole sr = site.roles().get(role);
        if (sr != null && sr.zone() != null) {
            return sr.zone();
        }
        return catalog.roles().containsKey(role) ? catalog.roles().get(role).zone() : Zone.INSIDE;
    }

    private AddressKind addressKind(ProbeTask t, Requirement req) {
        if (!req.destination().isRole()) {
            return AddressKind.NONE;
        }
        SiteRole sr = site.roles().get(req.destination().role());
        boolean isPublic = sr != null && sr.public_().stream().map(Address::text).anyMatch(a -> a.equalsIgnoreCase(t.target()));
        return isPublic ? AddressKind.PUBLIC : AddressKind.INTERNAL;
    }

    private static Protocol transport(ProbeTask t, Requirement req) {
        return switch (t.kind()) {
            case TCP, TCP_RANGE, TLS, HTTP, SSH -> Protocol.TCP;
            case UDP, UDP_RANGE, RTP -> Protocol.UDP;
            case SIP, NAT -> PlannedParams.transport(t) == Protocol.TCP ? Protocol.TCP : Protocol.UDP;
            default -> req.protocol();
        };
    }
}
