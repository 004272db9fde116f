package dev.vantage.analysis;

import dev.vantage.wire.DnsEvidence;
import dev.vantage.wire.Outcome;
import dev.vantage.wire.PortRange;
import dev.vantage.wire.ProbeResult;
import dev.vantage.wire.TlsEvidence;

import java.util.List;

/**
 * The facts of one check that its diagnosis text states in words, as data: what a change request
 * ({@code dev.vantage.change}) needs to name the exact rule or record. Additive to {@link Check}; the verdicts,
 * codes and texts do not depend on it.
 *
 * @param source       the local address the probe used, as its result gives it ({@code ip} or {@code ip:port}), null
 *                     when unknown
 * @param destination  the remote address the probe used ({@code ip:port}), null when unknown (e.g. a name that did
 *                     not resolve)
 * @param location     where the cross-vantage rules placed the failing ports, as a code of the group "where a path is
 *                     blocked" ({@code PERIMETER_FORWARD_MISSING}, {@code HAIRPIN_NAT_MISSING}, ...,
 *                     {@code RETURN_PATH_BLOCKED}); for {@code RANGE_PARTIAL} and {@code EXPLICIT_REJECT} the place
 *                     their text names. Null when the check was not located
 * @param passing      the ports where the destination was reached (a handshake, an answer, the responder; for a UDP
 *                     range swept without a responder also ICMP port unreachable)
 * @param blocked      the failing ports read as blocked on the path (silent, rejected, or refused by the path in the
 *                     destination's place): what {@code location} places
 * @param notListening the failing ports whose refusal is read as the destination's own (nothing listens there)
 * @param answeredWith how the path answered on {@code blocked} ({@code "reset"}, {@code "ICMP port unreachable"},
 *                     {@code "ICMP admin-prohibited"}, ...), null when it stayed silent
 * @param reachedFrom  the other vantages whose results located the failure: they reached the destination on those ports
 * @param observed     a DNS answer's addresses, empty for other kinds or when the name did not resolve
 * @param issuer       the issuer of a TLS chain that leads to no public root, null otherwise
 */
public record CheckFacts(String source, String destination, DiagnosisCode location, List<PortRange> passing,
                         List<PortRange> blocked, List<PortRange> notListening, String answeredWith,
                         List<String> reachedFrom, List<String> observed, String issuer) {
    public CheckFacts {
        passing = List.copyOf(passing);
        blocked = List.copyOf(blocked);
        notListening = List.copyOf(notListening);
        reachedFrom = List.copyOf(reachedFrom);
        observed = List.copyOf(observed);
    }

    /** The facts of a judged check, once every rule has run. */
    static CheckFacts of(Judged j) {
        ProbeResult r = j.result;
        String answered = null;
        if (!PortSets.intersect(j.refused, j.blocked).isEmpty()) {
            answered = Phrasing.refusal(j).replaceFirst("^a ", "");
        } else if (!PortSets.intersect(j.rejected, j.blocked).isEmpty()) {
            answered = Phrasing.reject(j);
        }
        List<String> observed = r != null && r.evidence() instanceof DnsEvidence d ? d.observed() : List.of();
        String issuer = null;
        if (r != null && r.evidence() instanceof TlsEvidence t && !t.chainTrusted()
                && (r.outcome() == Outcome.INTERCEPTED || r.outcome() == Outcome.UNTRUSTED)) {
            issuer = t.interceptedBy() != null ? t.interceptedBy() : TlsRules.topIssuer(t);
        }
        return new CheckFacts(r == null ? null : r.sourceAddress(), r == null ? null : r.destinationAddress(),
                j.location, PortSets.merge(j.reached), PortSets.merge(j.blocked), PortSets.merge(j.hostRefusals), answered,
                j.reachedFrom, observed.stream().filter(java.util.Objects::nonNull).toList(), issuer);
    }
}
