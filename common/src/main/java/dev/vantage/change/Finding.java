package dev.vantage.change;

import dev.vantage.analysis.Check;
import dev.vantage.analysis.CheckFacts;
import dev.vantage.analysis.DiagnosisCode;
import dev.vantage.analysis.Verdict;
import dev.vantage.catalog.Direction;
import dev.vantage.catalog.Protocol;
import dev.vantage.catalog.Requirement;
import dev.vantage.catalog.Zone;
import dev.vantage.wire.PortRange;
import dev.vantage.wire.ProbeKind;

import java.util.List;

/**
 * One check of a verdict that a change or a question to verify is made of, with what the site says about its path:
 * the zone of its vantage and whether it aimed at the destination role's public address.
 */
record Finding(Verdict verdict, Requirement requirement, Check check, CheckFacts facts, Zone zone, boolean onPublic) {
    private static final CheckFacts NONE = new CheckFacts(null, null, null, List.of(), List.of(), List.of(), null,
            List.of(), List.of(), null);

    Finding {
        facts = facts == null ? NONE : facts;
    }

    DiagnosisCode code() {
        return check.diagnosis() == null ? null : check.diagnosis().code();
    }

    String vantage() {
        return check.vantage();
    }

    /** The destination role, null for hosts and names. */
    String role() {
        return requirement.destination().role();
    }

    /** Traffic leaving the site: to external hosts, or an outbound requirement (as the analysis reads it). */
    boolean outbound() {
        return !requirement.destination().isRole() || requirement.direction() == Direction.OUTBOUND;
    }

    /** From inside to the role's public address: through the firewall and back. */
    boolean hairpin() {
        return zone == Zone.INSIDE && onPublic;
    }

    /** The check's port or range, empty for DNS. */
    List<PortRange> ports() {
        return check.ports() == null ? List.of() : List.of(check.ports());
    }

    /** The failing ports the analysis placed on the path, or the check's ports when it names none. */
    List<PortRange> blocked() {
        return facts.blocked().isEmpty() ? ports() : facts.blocked();
    }

    /** {@code tcp} or {@code udp}: the transport of the check (a SIP or NAT probe's own), else the requirement's. */
    String transport() {
        ProbeKind k = check.kind();
        return switch (k) {
            case TCP, TCP_RANGE, TLS, HTTP, SSH -> "tcp";
            case UDP, UDP_RANGE, RTP -> "udp";
            default -> requirement.protocol() == Protocol.UDP ? "udp" : "tcp";
        };
    }

    /** The check's result id as a list (empty when no result arrived). */
    List<String> resultIds() {
        return check.resultId() == null ? List.of() : List.of(check.resultId());
    }
}
