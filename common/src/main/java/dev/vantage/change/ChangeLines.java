package dev.vantage.change;

import dev.vantage.wire.PortRange;

import java.util.ArrayList;
import java.util.List;

/**
 * The plain-language line of each change kind, for the ticket: what to do on which device, on exactly which traffic
 * or record, and in a few words why. Written from the merged facts of a {@link Draft}.
 */
final class ChangeLines {
    private ChangeLines() {
    }

    static String line(Draft d) {
        String ports = Ports.text(d.protocol, d.ports);
        String to = d.internalAddress == null ? "" : " to " + d.internalAddress;
        return switch (d.kind) {
            case ADD_PORT_FORWARD -> "Forward " + ports + " on " + d.publicAddress + to + " (same ports) for "
                    + sources(d) + "." + widen(d) + answered(d);
            case ADMIT_SOURCE -> "Admit " + refused(d) + " to " + ports + " on " + d.publicAddress + " (forwarded" + to
                    + "): the rule admits " + join(reached(d)) + " but refused " + String.join(", ", d.vantages) + "."
                    + answered(d);
            case ENABLE_HAIRPIN_NAT -> "Enable hairpin NAT (NAT loopback) on " + d.publicAddress + " for " + ports + " from "
                    + sources(d) + to + ": from inside, the public address must lead to the stack as it does from outside"
                    + (d.reachedFrom.isEmpty() ? "" : " (" + join(reached(d)) + ")") + "." + answered(d);
            case CLOSE_EXPOSURE -> "Close " + ports + " on " + d.publicAddress + " for everyone"
                    + (d.sourceAddresses.isEmpty() ? "" : " but " + sources(d)) + ": it answered from " + join(new ArrayList<>(d.vantages))
                    + ", and it must not be reachable from the internet.";
            case CLOSE_PORT -> "Block " + ports + " on " + d.internalAddress + " for everyone"
                    + (d.sourceAddresses.isEmpty() ? "" : " but " + sources(d)) + ": it answered from "
                    + join(new ArrayList<>(d.vantages)) + ".";
            case DISABLE_SIP_ALG -> "Switch the SIP ALG (SIP helper, SIP inspection or fixup) off for " + sipPorts(d)
                    + (d.publicAddress == null ? "" : " to " + d.publicAddress) + ": it rewrote the SIP requests of "
                    + join(new ArrayList<>(d.vantages)) + " (Via, Contact or SDP).";
            case FIX_FORWARD_TARGET -> "Point " + ports + " on " + d.publicAddress + to + ": from "
                    + join(new ArrayList<>(d.vantages)) + " another host answers there.";
            case OPEN_PORT -> "Open " + ports + " on " + d.internalAddress + " for " + sources(d) + ": no vantage that"
                    + " probed it got through" + answered(d, " (a reject rule answered with ", ")") + ".";
            case ALLOW_FLOW -> "Allow " + ports + " from " + sources(d) + to + (d.reachedFrom.isEmpty() ? "" : ": "
                    + join(reached(d)) + " reach it there") + "." + answered(d);
            case ALLOW_OUTBOUND -> "Allow " + ports + " from " + sources(d) + " to " + hosts(d) + "." + answered(d);
            case BYPASS_TLS_INSPECTION -> "Exempt " + ports + " from " + sources(d) + " to " + hosts(d) + " from TLS"
                    + " inspection" + (d.issuer == null ? "" : ": it presents a chain issued by " + d.issuer
                    + ", which no public root trusts") + ". The stack does not support TLS inspection.";
            case BYPASS_PROXY -> "Let " + ports + " from " + sources(d) + " to " + hosts(d) + " go out directly, past the"
                    + " proxy, captive portal or DPI device that answers or holds it. The stack does not support proxies.";
            case ADD_RECORD -> "In the " + view(d) + ", add " + d.dns.name() + " " + d.dns.type() + " "
                    + String.join(", ", d.dns.wanted()) + " (it answers " + now(d) + " now)"
                    + (d.dns.name().contains(".") && d.codes.contains(dev.vantage.analysis.DiagnosisCode.DNS_SUBDOMAIN_MISSING)
                    ? ", or a wildcard *." + d.dns.name().substring(d.dns.name().indexOf('.') + 1) : "") + ".";
            case CORRECT_RECORD -> "In the " + view(d) + ", change " + d.dns.name() + " " + d.dns.type() + " from "
                    + now(d) + " to " + String.join(", ", d.dns.wanted()) + ".";
            case FIX_RESOLVER -> "Fix the resolver " + join(new ArrayList<>(d.vantages)) + " use: resolving "
                    + d.dns.name() + " failed (" + d.dns.answer() + ").";
            case START_SERVICE -> "Start the service that must listen on " + ports + " of " + d.internalAddress
                    + " (or bind it to that address): the path is open, nothing listens there.";
            case FIX_SERVICE -> "Check the service on " + ports + " of " + d.internalAddress + ", or the device in front"
                    + " of it: from " + join(new ArrayList<>(d.vantages)) + " the connection opens, the expected answer"
                    + " does not come.";
            case FIX_RETURN_ROUTE -> "Send the answers of " + d.internalAddress + " on " + ports + " back the way the"
                    + " traffic came (its default gateway, or a route back through the firewall), or allow the return"
                    + " traffic: the probes from " + join(new ArrayList<>(d.vantages)) + " arrived, the answers did not.";
            case IMPROVE_MEDIA_PATH -> "Improve the media path for " + ports + " between " + join(new ArrayList<>(d.vantages))
                    + " and " + d.internalAddress + ": the RTP stream was below the thresholds; prioritise RTP (DSCP EF),"
                    + " check capacity and loss on the way.";
        };
    }

    /** {@code "any source"}, or {@code "198.51.100.40 (trunk)"}. */
    static String sources(Draft d) {
        if (d.anySource) {
            return "any source";
        }
        String roles = String.join(", ", d.sourceRoles);
        return d.sourceAddresses.isEmpty() ? roles : String.join(", ", d.sourceAddresses) + " (" + roles + ")";
    }

    private static String widen(Draft d) {
        if (!Ports.properPart(d.ports, d.documented)) {
            return "";
        }
        List<PortRange> forwarded = dev.vantage.analysis.PortSets.minus(d.documented, d.ports);
        return " Only this part of the documented " + Ports.text(d.documented) + " is missing"
                + (forwarded.isEmpty() ? "" : " (" + Ports.text(forwarded) + " passes)") + ": widen the existing forward.";
    }

    private static String answered(Draft d) {
        return answered(d, " The firewall answers there itself (" , "): remove the reject rule, or put this rule before it.");
    }

    private static String answered(Draft d, String before, String after) {
        return d.answeredWith == null ? "" : before + d.answeredWith + after;
    }

    /** The refused sources as the probes used them; every source when the requirement admits any host. */
    private static String refused(Draft d) {
        List<String> refused = d.refusedSources.stream().filter(a -> SiteAddresses.host(a) != null).toList();
        if (d.anySource) {
            return "every source" + (refused.isEmpty() ? "" : " (" + String.join(", ", refused) + " was refused)");
        }
        return refused.isEmpty() ? sources(d) : String.join(", ", refused) + " (" + String.join(", ", d.sourceRoles) + ")";
    }

    private static List<String> reached(Draft d) {
        List<String> out = new ArrayList<>(d.reachedFrom);
        out.removeAll(d.vantages);
        return out.isEmpty() ? new ArrayList<>(d.reachedFrom) : out;
    }

    private static String hosts(Draft d) {
        String hosts = String.join(", ", d.hosts);
        return d.hostAddresses.isEmpty() ? hosts : hosts + " (" + String.join(", ", d.hostAddresses) + ")";
    }

    private static String sipPorts(Draft d) {
        return "SIP on " + String.join(" and ", d.protocols.stream().map(p -> p.toUpperCase(java.util.Locale.ROOT)).toList())
                + " " + Ports.text(d.ports);
    }

    private static String view(Draft d) {
        return "external".equals(d.dns.view()) ? "public DNS" : "internal DNS view";
    }

    private static String now(Draft d) {
        return d.dns.now().isEmpty() ? (d.dns.answer() == null ? "no record" : d.dns.answer()) : String.join(", ", d.dns.now());
    }

    private static String join(List<String> names) {
        return String.join(", ", names);
    }
}
