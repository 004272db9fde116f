package dev.vantage.analysis;

import dev.vantage.catalog.Expectation;
import dev.vantage.catalog.Zone;
import dev.vantage.net.Endpoint;
import dev.vantage.net.IpAddress;
import dev.vantage.plan.TaskParams;
import dev.vantage.site.Site;
import dev.vantage.wire.DnsEvidence;
import dev.vantage.wire.HttpEvidence;
import dev.vantage.wire.NatEvidence;
import dev.vantage.wire.Outcome;
import dev.vantage.wire.PortEvidence;
import dev.vantage.wire.PortRange;
import dev.vantage.wire.ProbeKind;
import dev.vantage.wire.ProbeResult;
import dev.vantage.wire.ProbeTask;
import dev.vantage.wire.RangeEvidence;
import dev.vantage.wire.RtpEvidence;
import dev.vantage.wire.SipEvidence;
import dev.vantage.wire.SshEvidence;
import dev.vantage.wire.TlsEvidence;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static dev.vantage.analysis.DiagnosisCode.*;
import static dev.vantage.analysis.VerdictStatus.FAIL;
import static dev.vantage.analysis.VerdictStatus.INCONCLUSIVE;
import static dev.vantage.analysis.VerdictStatus.PARTIAL;
import static dev.vantage.analysis.VerdictStatus.PASS;

/**
 * The local rules: what one result says about its requirement, before other vantages are looked at.
 * Silence on a path to one of the site's roles is left for {@link Locator} to place.
 */
final class Judge {
    /** What a port-level observation says about the path. */
    enum PathState {
        /** Something came back from the far side: handshake, protocol answer, reset, ICMP port unreachable. */
        REACHED,
        /** A reset or ICMP port unreachable: the path is open, nothing listens (kept apart from REACHED for the verdict). */
        REFUSED,
        /** Nothing came back although something had to answer. */
        SILENT,
        /** ICMP unreachable / prohibited. */
        REJECTED,
        /** UDP silence where nothing was obliged to answer. */
        UNKNOWN
    }

    private static final int MAX_TEXT = 240;

    private final dev.vantage.catalog.Catalog catalog;
    private final Site site;

    Judge(dev.vantage.catalog.Catalog catalog, Site site) {
        this.catalog = catalog;
        this.site = site;
    }

    void judge(Judged j) {
        ProbeResult r = j.result;
        Outcome o = r.outcome();
        if (o == Outcome.ERROR) {
            j.set(INCONCLUSIVE, PROBE_ERROR, j.from() + " could not run the " + kind(j) + " probe to " + where(j)
                    + ": " + clip(r.summary()) + ". This is a problem of the agent, not a network finding.");
            return;
        }
        if (o == Outcome.TASK_REFUSED) {
            j.set(INCONCLUSIVE, TASK_REFUSED, j.from() + " refused the " + kind(j) + " task to " + where(j) + ": "
                    + clip(r.summary()) + ".");
            return;
        }
        switch (j.task.kind()) {
            case DNS -> dns(j);
            case TLS -> tls(j);
            case HTTP -> http(j);
            case SSH -> ssh(j);
            case SIP -> sip(j);
            case RTP -> rtp(j);
            case NAT -> nat(j);
            case TCP, UDP -> {
                if (isPortOutcome(o)) {
                    ports(j, List.of(new Seg(j.task.ports(), o)));
                    if (o == Outcome.OPEN && r.evidence() instanceof PortEvidence pe) {
                        identity(j, pe.reply() == null ? null : pe.reply().startsWith("VANTAGE-RESPONDER ") || pe.nonceEchoed(),
                                pe.reply());
                        sourceSeen(j, pe.seenSource());
                    }
                } else {
                    notUnderstood(j);
                }
            }
            case TCP_RANGE, UDP_RANGE -> range(j);
            default -> notUnderstood(j);
        }
        if (j.status.isFailure() && softExpectation(j)) {
            // a proxy, interception or NAT check that could not reach its destination proves nothing either way
            j.status = INCONCLUSIVE;
            j.text = "Could not be checked: " + j.text;
            j.locate = false;
        }
    }

    /** The requirement is about a property of a path (proxy, interception, NAT), reachability is proven elsewhere. */
    private static boolean softExpectation(Judged j) {
        Expectation e = j.requirement.expect();
        return (e == Expectation.NO_PROXY && j.code != TRANSPARENT_PROXY)
                || (e == Expectation.NO_INTERCEPTION && j.code != TLS_INSPECTION)
                || e == Expectation.NAT_ALLOWED;
    }

    // --- ports ----------------------------------------------------------------------------------

    record Seg(PortRange ports, Outcome outcome) {
    }

    private static boolean isPortOutcome(Outcome o) {
        return o == Outcome.OPEN || o == Outcome.CLOSED || o == Outcome.FILTERED || o == Outcome.UNREACHABLE
                || o == Outcome.OPEN_OR_FILTERED;
    }

    private void range(Judged j) {
        ProbeResult r = j.result;
        PortRange asked = j.task.ports();
        List<Seg> segs = new ArrayList<>();
        if (r.evidence() instanceof RangeEvidence e && !e.segments().isEmpty()) {
            int next = asked.first();
            Set<Outcome> distinct = new java.util.HashSet<>();
            for (RangeEvidence.Segment s : e.segments()) {
                if (s == null || s.ports() == null || s.outcome() == null || s.ports().first() != next
                        || s.ports().last() > asked.last()) {
                    conflict(j, "the sweep's sub-ranges do not cover " + asked + " exactly once, in order");
                    return;
                }
                if (!isPortOutcome(s.outcome())) {
                    notUnderstood(j);
                    return;
                }
                segs.add(new Seg(s.ports(), s.outcome()));
                distinct.add(s.outcome());
                next = s.ports().last() + 1;
            }
            if (next != asked.last() + 1) {
                conflict(j, "the sweep's sub-ranges end at " + (next - 1) + ", the task asked for " + asked);
                return;
            }
            boolean consistent = distinct.size() == 1 ? distinct.contains(r.outcome()) : r.outcome() == Outcome.MIXED;
            if (!consistent) {
                conflict(j, "the sweep says " + r.outcome() + " overall but its sub-ranges say "
                        + segs.stream().map(s -> s.outcome() + " " + s.ports()).collect(Collectors.joining(", ")));
                return;
            }
        } else if (r.outcome() == Outcome.MIXED) {
            conflict(j, "the sweep says MIXED without naming the sub-ranges");
            return;
        } else if (isPortOutcome(r.outcome())) {
            segs.add(new Seg(asked, r.outcome()));
        } else {
            notUnderstood(j);
            return;
        }
        ports(j, segs);
    }

    /** Whether a silent UDP datagram or stream had something obliged to answer it. */
    private static boolean answerExpected(ProbeTask t) {
        return "true".equals(t.params().get(TaskParams.RESPONDER))
                || t.kind() == ProbeKind.SIP || t.kind() == ProbeKind.RTP || t.kind() == ProbeKind.NAT;
    }

    static boolean responderExpected(ProbeTask t) {
        return "true".equals(t.params().get(TaskParams.RESPONDER));
    }

    private static PathState state(ProbeTask t, Outcome o) {
        return switch (o) {
            case FILTERED -> PathState.SILENT;
            case UNREACHABLE -> PathState.REJECTED;
            case OPEN_OR_FILTERED -> answerExpected(t) ? PathState.SILENT : PathState.UNKNOWN;
            // ICMP port unreachable across a UDP media range without a responder proves the path: media ports
            // are bound per call, so an idle range answers "nothing here" once the packets get through
            case CLOSED -> t.kind() == ProbeKind.UDP_RANGE && !responderExpected(t) ? PathState.REACHED : PathState.REFUSED;
            default -> PathState.REACHED;
        };
    }

    /** The port rules, for a single port or the sub-ranges of a sweep. */
    private void ports(Judged j, List<Seg> segs) {
        Map<PathState, List<PortRange>> by = new EnumMap<>(PathState.class);
        for (Seg s : segs) {
            PathState st = state(j.task, s.outcome());
            by.computeIfAbsent(st, k -> new ArrayList<>()).add(s.ports());
        }
        List<PortRange> reached = by.getOrDefault(PathState.REACHED, List.of());
        List<PortRange> refused = by.getOrDefault(PathState.REFUSED, List.of());
        List<PortRange> silent = by.getOrDefault(PathState.SILENT, List.of());
        List<PortRange> rejected = by.getOrDefault(PathState.REJECTED, List.of());
        List<PortRange> unknown = by.getOrDefault(PathState.UNKNOWN, List.of());
        j.reached.addAll(reached);
        j.reached.addAll(refused);
        j.silent.addAll(silent);
        j.rejected.addAll(rejected);
        String proto = proto(j);

        if (j.requirement.expect() == Expectation.BLOCKED) {
            // a reset or ICMP port unreachable says nothing is exposed; only a real answer is
            List<PortRange> answered = segs.stream().filter(s -> s.outcome() != Outcome.CLOSED
                    && state(j.task, s.outcome()) == PathState.REACHED).map(Seg::ports).toList();
            if (!answered.isEmpty()) {
                boolean outside = j.zone == Zone.OUTSIDE;
                j.set(FAIL, outside ? EXPOSED_TO_INTERNET : UNEXPECTEDLY_REACHABLE,
                        proto + " " + list(answered) + " on " + j.task.target() + " answered from " + j.from()
                                + ", but it must be blocked from there" + allowedSources(j) + "."
                                + (outside ? " It is exposed to the internet: drop it at the perimeter and in the stack's firewall." : ""));
                return;
            }
            if (!unknown.isEmpty()) {
                j.set(INCONCLUSIVE, UDP_NO_ANSWER, proto + " " + list(unknown) + " on " + j.task.target()
                        + " stayed silent from " + j.from() + " and nothing there was obliged to answer: blocked and open"
                        + " look the same.");
                return;
            }
            j.set(PASS, null, null);
            return;
        }

        List<PortRange> failing = new ArrayList<>(silent);
        failing.addAll(refused);
        failing.addAll(rejected);
        failing.sort(null);
        if (failing.isEmpty() && unknown.isEmpty()) {
            j.set(PASS, null, null);
            return;
        }
        if (failing.isEmpty()) {
            j.set(INCONCLUSIVE, UDP_NO_ANSWER, proto + " " + list(unknown) + " on " + j.task.target()
                    + " stayed silent from " + j.from()
                    + (reached.isEmpty() ? "" : " (" + list(reached) + " answered)")
                    + ". Without a responder UDP silence proves nothing: filtered, or open with nothing that answers"
                    + (reached.isEmpty() ? "." : ", or the host rate-limited its ICMP answers."));
            return;
        }
        if (!reached.isEmpty() && silent.isEmpty() && rejected.isEmpty()) {
            // every port got through; part of them found nothing listening
            String answer = j.transport.equals("udp") ? "ICMP port unreachable" : "a reset";
            if (responderExpected(j.task)) {
                j.set(INCONCLUSIVE, RESPONDER_NOT_RUNNING, proto + " " + j.task.ports() + " on " + j.task.target()
                        + " from " + j.from() + ": " + list(reached) + " pass, " + list(refused) + " answered with " + answer
                        + ": the path is open, but the responder did not listen there (its window, or too few file"
                        + " descriptors for the whole range). Survey again.");
            } else {
                j.set(PARTIAL, SERVICE_NOT_LISTENING, proto + " " + j.task.ports() + " on " + j.task.target() + " from "
                        + j.from() + ": " + list(reached) + " pass, " + list(refused) + " answered with " + answer
                        + ": the path is open, nothing listens there.");
            }
            return;
        }
        if (!reached.isEmpty()) {
            j.set(PARTIAL, RANGE_PARTIAL, proto + " " + j.task.ports() + " on " + j.task.target() + " from " + j.from()
                    + ": " + list(reached) + " pass, " + describeFailing(silent, refused, rejected)
                    + (reached.size() == 1 ? ". The rule covers " + list(reached) + " only."
                    : ". Passing and failing ports alternate (" + segs.size() + " sub-ranges): several rules cover parts"
                    + " of the range, or a rate limit or IPS on the path drops part of the sweep."));
            j.locate = !silent.isEmpty();
            return;
        }
        int nSilent = count(silent);
        int nRefused = count(refused);
        int nRejected = count(rejected);
        if (nSilent >= nRefused && nSilent >= nRejected) {
            if (outbound(j)) {
                j.set(FAIL, OUTBOUND_BLOCKED, proto + " " + list(silent) + " to " + j.task.target() + " got no answer from "
                        + j.from() + ": outbound traffic to it is blocked (dropped) on the way out.");
            } else {
                j.set(FAIL, PATH_FILTERED, proto + " " + list(silent) + " on " + j.task.target()
                        + " stayed silent from " + j.from() + ".");
                j.locate = true;
            }
        } else if (nRejected >= nRefused) {
            PortEvidence pe = j.result.evidence() instanceof PortEvidence p ? p : null;
            if (pe != null && "EPERM".equals(pe.error())) {
                j.set(INCONCLUSIVE, LOCAL_FIREWALL_BLOCKS, "The host of " + j.from() + " refused to send " + proto + " "
                        + list(rejected) + " to " + j.task.target() + " (EPERM): a firewall on the agent's own machine, "
                        + "not the path. Allow the agent's traffic and survey again.");
            } else {
                String icmp = pe != null && pe.icmp() != null ? pe.icmp() : "ICMP unreachable";
                j.set(FAIL, EXPLICIT_REJECT, proto + " " + list(rejected) + " to " + j.task.target() + " from " + j.from()
                        + " was rejected (" + icmp + (pe != null && pe.error() != null ? ", " + pe.error() : "")
                        + "): an explicit reject rule on the path.");
            }
        } else if (outbound(j)) {
            j.set(FAIL, OUTBOUND_BLOCKED, proto + " " + list(refused) + " to " + j.task.target() + " from " + j.from()
                    + " was refused with a reset: a reject rule on the way out, or the destination refused.");
        } else if (responderExpected(j.task)) {
            j.set(INCONCLUSIVE, RESPONDER_NOT_RUNNING, j.task.target() + " answered " + proto + " " + list(refused)
                    + " from " + j.from() + " with " + (j.transport.equals("udp") ? "ICMP port unreachable" : "a reset")
                    + ": the path is open, but no Vantage responder listened there (was the " + j.requirement.destination().role()
                    + " agent's responder window open?). Survey again with the responder running.");
        } else {
            j.set(FAIL, SERVICE_NOT_LISTENING, j.task.target() + " answered " + proto + " " + list(refused) + " from "
                    + j.from() + " with " + (j.transport.equals("udp") ? "ICMP port unreachable" : "a reset")
                    + ": the path is open, but the service is not listening.");
        }
    }

    private static String describeFailing(List<PortRange> silent, List<PortRange> refused, List<PortRange> rejected) {
        List<String> parts = new ArrayList<>();
        if (!silent.isEmpty()) {
            parts.add(list(silent) + " silent (filtered)");
        }
        if (!refused.isEmpty()) {
            parts.add(list(refused) + " refused (nothing listening)");
        }
        if (!rejected.isEmpty()) {
            parts.add(list(rejected) + " rejected (ICMP)");
        }
        return String.join(", ", parts);
    }

    // --- dns ------------------------------------------------------------------------------------

    private void dns(Judged j) {
        ProbeResult r = j.result;
        DnsEvidence e = r.evidence() instanceof DnsEvidence d ? d : null;
        String name = j.task.target();
        boolean external = j.requirement.expect() == Expectation.RESOLVES_EXTERNAL;
        boolean subdomain = !name.equalsIgnoreCase(site.fqdn());
        String view = external ? "the external view" : "the internal view";
        String resolver = e != null && e.resolver() != null ? " (resolver " + e.resolver() + ")" : "";
        List<String> expected = e != null && !e.expected().isEmpty() ? e.expected()
                : splitList(j.task.params().get(TaskParams.EXPECT));
        switch (r.outcome()) {
            case RESOLVED -> {
                if (e != null && !e.missing().isEmpty()) {
                    conflict(j, "the answer is RESOLVED but the evidence lists " + e.missing() + " as missing");
                } else {
                    j.set(PASS, null, null);
                }
            }
            case MISMATCH -> {
                List<String> observed = e == null ? List.of() : e.observed();
                String saw = observed.isEmpty() ? "other addresses" : String.join(", ", observed);
                String want = expected.isEmpty() ? "the site's addresses" : String.join(", ", expected);
                if (external) {
                    boolean internal = observed.stream().anyMatch(a -> listed(site.dnsInternal(), a) || isPrivate(a));
                    j.set(FAIL, DNS_PUBLIC_RECORD_WRONG, "From " + j.from() + " " + name + " resolves to " + saw + resolver
                            + ", the site expects the public address " + want + "."
                            + (internal ? " The public zone publishes an internal address." : ""));
                } else {
                    boolean publicAnswer = !observed.isEmpty() && observed.stream().allMatch(a -> listed(site.dnsExternal(), a));
                    j.set(FAIL, DNS_SPLIT_HORIZON_WRONG, "From " + j.from() + " " + name + " resolves to " + saw + resolver
                            + ", the site expects the internal address " + want + ": split-horizon DNS is misconfigured"
                            + (publicAnswer ? " (the internal view gives the public address; from inside that works only with hairpin NAT)." : "."));
                }
            }
            case NXDOMAIN, NODATA -> {
                String says = r.outcome() == Outcome.NXDOMAIN ? "NXDOMAIN" : "no " + j.task.param(TaskParams.RECORD, "A") + " record";
                if (subdomain) {
                    j.set(FAIL, DNS_SUBDOMAIN_MISSING, "From " + j.from() + " " + view + " answers " + says + " for " + name
                            + resolver + ": the subdomain record is missing. Add " + name + " (or a wildcard *."
                            + site.fqdn() + ") pointing to " + (expected.isEmpty() ? "the stack" : String.join(", ", expected)) + ".");
                } else if (external) {
                    j.set(FAIL, DNS_PUBLIC_RECORD_MISSING, "From " + j.from() + " the public DNS answers " + says + " for "
                            + name + resolver + ": the public record is missing. Publish " + name + " -> "
                            + (expected.isEmpty() ? "the stack's public address" : String.join(", ", expected)) + ".");
                } else {
                    j.set(FAIL, DNS_INTERNAL_RECORD_MISSING, "From " + j.from() + " the internal DNS answers " + says + " for "
                            + name + resolver + ": the internal record is missing. Add " + name + " -> "
                            + (expected.isEmpty() ? "the stack's internal address" : String.join(", ", expected)) + ".");
                }
            }
            case SERVFAIL, REFUSED, TIMEOUT, CLOSED, FILTERED, UNREACHABLE, UNEXPECTED, OPEN_OR_FILTERED -> {
                String anomalies = e != null && !e.anomalies().isEmpty() ? " Unusable replies: " + clip(e.anomalies().get(0)) + "." : "";
                j.set(FAIL, DNS_RESOLUTION_FAILED, "From " + j.from() + " resolving " + name + resolver + " failed with "
                        + r.outcome() + ": that vantage cannot resolve the name." + anomalies);
            }
            default -> notUnderstood(j);
        }
    }

    // --- tls ------------------------------------------------------------------------------------

    private void tls(Judged j) {
        ProbeResult r = j.result;
        TlsEvidence e = r.evidence() instanceof TlsEvidence t ? t : null;
        boolean publicDestination = j.addressKind == null;
        switch (r.outcome()) {
            case TRUSTED -> {
                reachedPort(j);
                j.set(PASS, null, null);
            }
            case INTERCEPTED -> {
                reachedPort(j);
                String issuer = e != null && e.interceptedBy() != null ? e.interceptedBy() : topIssuer(e);
                j.set(FAIL, TLS_INSPECTION, inspection(j, issuer));
            }
            case UNTRUSTED -> {
                reachedPort(j);
                List<TlsEvidence.Problem> problems = e == null ? List.of() : e.problems();
                boolean noPublicRoot = e == null || !e.chainTrusted() || problems.contains(TlsEvidence.Problem.UNKNOWN_ISSUER)
                        || problems.contains(TlsEvidence.Problem.SELF_SIGNED);
                if (publicDestination && noPublicRoot) {
                    j.set(FAIL, TLS_INSPECTION, inspection(j, topIssuer(e)));
                } else if (publicDestination) {
                    j.set(FAIL, TLS_UNTRUSTED, where(j) + " presented a publicly rooted certificate with problems ("
                            + problemText(problems) + ") to " + j.from() + ".");
                } else {
                    j.set(PASS, null, null);
                    j.notes.add(note(j, CERTIFICATE_NOT_TRUSTED, "The TLS handshake with " + where(j) + " from " + j.from()
                            + " worked (the port is reachable), but its certificate is not publicly trusted ("
                            + problemText(problems) + ", issued by " + topIssuer(e) + ")."));
                }
            }
            case UNEXPECTED -> {
                reachedPort(j);
                j.set(FAIL, TLS_HANDSHAKE_FAILED, "The TCP connection to " + where(j) + " from " + j.from()
                        + " worked but the TLS handshake failed: "
                        + clip(e != null && e.error() != null ? e.error() : r.summary())
                        + ". A firewall that filters TLS by name, a proxy, or lost large packets (MTU) on the path.");
            }
            default -> portOutcome(j);
        }
    }

    private String inspection(Judged j, String issuer) {
        return "From " + j.from() + " " + where(j) + " presented a certificate chain issued by " + issuer
                + " that leads to no public root: TLS inspection at the egress of " + j.task.vantage() + ".";
    }

    static String topIssuer(TlsEvidence e) {
        if (e == null || e.chain().isEmpty() || e.chain().get(e.chain().size() - 1) == null) {
            return "an unknown issuer";
        }
        return String.valueOf(e.chain().get(e.chain().size() - 1).issuer());
    }

    private static String problemText(List<TlsEvidence.Problem> problems) {
        return problems.isEmpty() ? "no public root" : problems.stream()
                .map(p -> p.name().toLowerCase(Locale.ROOT).replace('_', ' ')).collect(Collectors.joining(", "));
    }

    // --- http, ssh, sip -------------------------------------------------------------------------

    private void http(Judged j) {
        ProbeResult r = j.result;
        HttpEvidence e = r.evidence() instanceof HttpEvidence h ? h : null;
        List<String> signs = new ArrayList<>();
        if (e != null) {
            signs.addAll(e.proxyIndicators());
            if (e.status() != null && e.status() == 407 && !signs.contains("status 407")) {
                signs.add("status 407");
            }
        }
        String proxy = "From " + j.from() + " the answer for " + where(j) + " shows proxy signs (" + clip(String.join("; ", signs))
                + "): a transparent proxy on the path.";
        switch (r.outcome()) {
            case RESPONDED -> {
                reachedPort(j);
                if (!signs.isEmpty() && j.requirement.expect() == Expectation.NO_PROXY) {
                    j.set(FAIL, TRANSPARENT_PROXY, proxy);
                } else {
                    j.set(PASS, null, null);
                    if (!signs.isEmpty()) {
                        j.notes.add(note(j, TRANSPARENT_PROXY, proxy));
                    }
                }
            }
            case UNEXPECTED -> {
                reachedPort(j);
                if (!signs.isEmpty() || (e != null && e.captivePortal())) {
                    j.set(FAIL, TRANSPARENT_PROXY, proxy);
                } else if (e != null && e.status() != null) {
                    j.set(FAIL, WRONG_PROTOCOL_ANSWER, where(j) + " answered " + e.status()
                            + (e.check() != null ? ", which is not the answer of a " + e.check() : "")
                            + " (from " + j.from() + "): something else than the destination answered, or it is misconfigured.");
                } else {
                    j.set(FAIL, WRONG_PROTOCOL_ANSWER, where(j) + " did not answer HTTP to " + j.from() + ": "
                            + clip(e != null && e.bodyStart() != null ? e.bodyStart() : r.summary()) + ".");
                }
            }
            case TIMEOUT -> silentAfterConnect(j, "HTTP answer");
            default -> portOutcome(j);
        }
    }

    private void ssh(Judged j) {
        ProbeResult r = j.result;
        SshEvidence e = r.evidence() instanceof SshEvidence s ? s : null;
        switch (r.outcome()) {
            case RESPONDED -> {
                reachedPort(j);
                j.set(PASS, null, null);
            }
            case UNEXPECTED -> {
                reachedPort(j);
                String first = e != null && e.firstBytes() != null ? e.firstBytes() : r.summary();
                boolean http = first != null && first.startsWith("HTTP/");
                j.set(FAIL, http ? TRANSPARENT_PROXY : WRONG_PROTOCOL_ANSWER, "From " + j.from() + " " + where(j)
                        + " answered with something that is not SSH: \"" + clip(first) + "\""
                        + (http ? ": an HTTP proxy intercepts the connection." : "."));
            }
            case TIMEOUT -> silentAfterConnect(j, "SSH banner");
            default -> portOutcome(j);
        }
    }

    private void sip(Judged j) {
        ProbeResult r = j.result;
        SipEvidence e = r.evidence() instanceof SipEvidence s ? s : null;
        switch (r.outcome()) {
            case RESPONDED -> {
                reachedPort(j);
                if (e != null && e.rewritten()) {
                    String diff = e.diff().stream().limit(4).filter(java.util.Objects::nonNull)
                            .map(c -> c.field() + ": sent \"" + clip(c.sent()) + "\", received \"" + clip(c.received()) + "\"")
                            .collect(Collectors.joining("; "));
                    j.set(FAIL, SIP_ALG, "The SIP OPTIONS from " + j.from() + " to " + where(j)
                            + " arrived rewritten: a SIP ALG on the path changed it (" + diff
                            + "). Switch the SIP ALG off on the firewall.");
                } else {
                    j.set(PASS, null, null);
                    if (e != null) {
                        identity(j, e.echoed(), "SIP " + e.statusCode() + (e.server() != null ? " from " + e.server()
                                : e.userAgent() != null ? " from " + e.userAgent() : ""));
                    }
                }
            }
            case UNEXPECTED -> {
                reachedPort(j);
                String what = e == null ? clip(r.summary()) : e.unmatchedReplies() + " reply(ies) that did not match the request"
                        + (e.malformed().isEmpty() ? "" : ", non-SIP bytes \"" + clip(e.malformed().get(0)) + "\"");
                j.set(FAIL, WRONG_PROTOCOL_ANSWER, "SIP OPTIONS from " + j.from() + " to " + where(j) + " got only " + what
                        + ": something on the path answers or rewrites SIP.");
            }
            case TIMEOUT -> silentAfterConnect(j, "SIP response");
            default -> portOutcome(j);
        }
    }

    private void silentAfterConnect(Judged j, String what) {
        reachedPort(j);
        j.set(FAIL, SILENT_AFTER_CONNECT, "From " + j.from() + " the TCP connection to " + where(j)
                + " was accepted but no " + what + " came: a proxy or DPI firewall holds the connection, or the service hangs.");
    }

    // --- rtp, nat -------------------------------------------------------------------------------

    private void rtp(Judged j) {
        ProbeResult r = j.result;
        RtpEvidence e = r.evidence() instanceof RtpEvidence x ? x : null;
        switch (r.outcome()) {
            case PASSED -> {
                reachedPort(j);
                j.set(PASS, null, null);
            }
            case DEGRADED -> {
                if (e != null && e.received() == 0) {
                    ports(j, List.of(new Seg(j.task.ports(), Outcome.OPEN_OR_FILTERED)));
                    return;
                }
                reachedPort(j);
                if (e == null) {
                    j.set(FAIL, RTP_QUALITY, "RTP from " + j.from() + " to " + where(j) + " is below the thresholds: "
                            + clip(r.summary()) + ".");
                    return;
                }
                List<String> over = new ArrayList<>();
                if (e.lossPct() > e.maxLossPct()) {
                    over.add("loss");
                }
                if (e.jitterMs() > e.maxJitterMs()) {
                    over.add("jitter");
                }
                if (e.mos() < e.minMos()) {
                    over.add("MOS");
                }
                j.set(FAIL, RTP_QUALITY, String.format(Locale.ROOT,
                        "RTP from %s to %s: loss %.1f %% (max %s), jitter %.1f ms (max %s), MOS %.2f (min %s), RTT %.1f ms"
                                + " over %d packets; %s below the thresholds.",
                        j.from(), where(j), e.lossPct(), num(e.maxLossPct()), e.jitterMs(), num(e.maxJitterMs()), e.mos(),
                        num(e.minMos()), e.rttAvgMs(), e.sent(), over.isEmpty() ? "the probe judged it" : String.join(", ", over)));
            }
            default -> portOutcome(j);
        }
    }

    private void nat(Judged j) {
        ProbeResult r = j.result;
        NatEvidence e = r.evidence() instanceof NatEvidence n ? n : null;
        switch (r.outcome()) {
            case NAT, NO_NAT -> {
                reachedPort(j);
                j.set(PASS, null, null);
                if (r.outcome() == Outcome.NAT) {
                    j.notes.add(note(j, NAT_OBSERVED, "From " + j.from() + " outbound traffic is translated: sent from "
                            + (e == null ? "?" : e.localSource()) + ", seen as " + (e == null ? "?" : e.seenSource())
                            + (e != null && Boolean.FALSE.equals(e.portPreserved()) ? " (port changed)." : " (port preserved).")));
                }
            }
            case PASSED -> {
                reachedPort(j);
                j.set(PASS, null, null);
            }
            case UNEXPECTED -> {
                reachedPort(j);
                j.set(FAIL, WRONG_PROTOCOL_ANSWER, "From " + j.from() + " " + where(j)
                        + " answered, but not as a Vantage responder: " + clip(r.summary()) + ".");
            }
            default -> portOutcome(j);
        }
    }

    // --- helpers --------------------------------------------------------------------------------

    /**
     * The responder reports the source address it saw. An outside vantage's traffic arriving from a private
     * address that is not the vantage's own means the perimeter masquerades inbound traffic: IP-based trunk
     * or support ACLs on the stack then see the firewall instead.
     */
    private void sourceSeen(Judged j, String seenSource) {
        IpAddress ip = seenSource == null ? null : Endpoint.tryParse(seenSource).flatMap(Endpoint::ip).orElse(null);
        if (ip == null || j.zone != Zone.OUTSIDE || !j.requirement.destination().isRole() || !ip.isPrivateUse()) {
            return;
        }
        dev.vantage.site.SiteRole own = site.roles().get(j.task.vantage());
        if (own != null && own.addresses().stream().anyMatch(a -> a.contains(ip))) {
            return;
        }
        j.notes.add(note(j, INBOUND_SOURCE_NAT, j.requirement.destination().role() + " saw the traffic of " + j.from()
                + " to " + where(j) + " coming from " + ip + ", not from " + j.task.vantage()
                + "'s own address: the perimeter rewrites the source of inbound traffic (masquerade). IP-based ACLs on "
                + j.requirement.destination().role() + " see the firewall instead of the real source."));
    }

    /** Records who answered where a responder was expected; {@code identified} null when unknown. */
    private static void identity(Judged j, Boolean identified, String answer) {
        if (!responderExpected(j.task) || identified == null || j.requirement.expect() == Expectation.BLOCKED) {
            return;
        }
        if (identified) {
            j.responderAnswered = true;
        } else if (j.status == PASS) {
            j.foreignAnswer = clip(answer);
        }
    }

    private void portOutcome(Judged j) {
        if (isPortOutcome(j.result.outcome())) {
            ports(j, List.of(new Seg(j.task.ports(), j.result.outcome())));
        } else {
            notUnderstood(j);
        }
    }

    private static void reachedPort(Judged j) {
        if (j.task.ports() != null) {
            j.reached.add(j.task.ports());
        }
    }

    private static void notUnderstood(Judged j) {
        j.set(INCONCLUSIVE, RESULT_NOT_UNDERSTOOD, "The " + kind(j) + " result from " + j.from() + " for " + where(j)
                + " has outcome " + j.result.outcome() + ", which that probe kind does not report; it was not used.");
        j.reached.clear();
    }

    private static void conflict(Judged j, String why) {
        j.set(INCONCLUSIVE, EVIDENCE_CONFLICT, "The " + kind(j) + " result from " + j.from() + " for " + where(j)
                + " contradicts itself: " + clip(why) + ".");
    }

    static Diagnosis note(Judged j, DiagnosisCode code, String text) {
        return new Diagnosis(code, text, List.of(j.task.vantage()),
                j.result == null ? List.of() : List.of(j.result.resultId()));
    }

    /** Traffic leaving the site: to external hosts, or to an outside role (the NAT check's responder). */
    static boolean outbound(Judged j) {
        return j.addressKind == null || j.requirement.direction() == dev.vantage.catalog.Direction.OUTBOUND;
    }

    static String kind(Judged j) {
        return j.task.kind().wireName();
    }

    static String where(Judged j) {
        return j.task.ports() == null ? j.task.target() : j.task.target() + ":" + j.task.ports();
    }

    static String proto(Judged j) {
        return j.transport.toUpperCase(Locale.ROOT);
    }

    /** {@code " (only jtel-support, admin-network may reach it)"}, from the catalog's reachable twins of a blocked requirement. */
    private String allowedSources(Judged j) {
        java.util.Set<String> allowed = new java.util.LinkedHashSet<>();
        for (dev.vantage.catalog.Requirement other : catalog.requirements()) {
            if (other.expect() == Expectation.REACHABLE && other.protocol() == j.requirement.protocol()
                    && other.destination().isRole()
                    && other.destination().role().equals(j.requirement.destination().role())
                    && other.ports().stream().anyMatch(p -> j.requirement.ports().stream().anyMatch(q -> overlaps(p, q)))) {
                allowed.addAll(other.sources());
            }
        }
        return allowed.isEmpty() ? "" : " (only " + String.join(", ", allowed) + " may reach it)";
    }

    static boolean overlaps(PortRange a, PortRange b) {
        return a.overlaps(b);
    }

    static String list(List<PortRange> ranges) {
        return ranges.stream().sorted().map(PortRange::toString).collect(Collectors.joining(", "));
    }

    private static int count(List<PortRange> ranges) {
        return ranges.stream().mapToInt(PortRange::size).sum();
    }

    private static String num(double d) {
        return d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d);
    }

    static String clip(String s) {
        if (s == null) {
            return "(no detail)";
        }
        String t = s.replaceAll("[\\p{Cntrl}&&[^\t]]", " ").strip();
        return t.length() <= MAX_TEXT ? t : t.substring(0, MAX_TEXT) + "...";
    }

    private static List<String> splitList(String s) {
        if (s == null || s.isBlank()) {
            return List.of();
        }
        return java.util.Arrays.stream(s.split(",")).map(String::strip).filter(x -> !x.isEmpty()).toList();
    }

    private static boolean isPrivate(String a) {
        return IpAddress.tryParse(a).map(IpAddress::isPrivateUse).orElse(false);
    }

    /** Whether a resolver's answer is one of the site's addresses, compared as addresses (resolvers write IPv6 long). */
    static boolean listed(List<String> siteAddresses, String answer) {
        IpAddress ip = IpAddress.tryParse(answer).orElse(null);
        return siteAddresses.stream().anyMatch(s -> s.equals(answer) || (ip != null && IpAddress.tryParse(s).map(ip::equals).orElse(false)));
    }
}
