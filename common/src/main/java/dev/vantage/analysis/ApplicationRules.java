package dev.vantage.analysis;

import dev.vantage.catalog.Expectation;
import dev.vantage.wire.HttpEvidence;
import dev.vantage.wire.ProbeResult;
import dev.vantage.wire.SipEvidence;
import dev.vantage.wire.SshEvidence;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

import static dev.vantage.analysis.DiagnosisCode.*;
import static dev.vantage.analysis.Phrasing.clip;
import static dev.vantage.analysis.Phrasing.from;
import static dev.vantage.analysis.Phrasing.where;
import static dev.vantage.analysis.VerdictStatus.FAIL;
import static dev.vantage.analysis.VerdictStatus.PASS;

/**
 * The application rules (HTTP, SSH, SIP): the right protocol answered, not a proxy, a captive portal, a
 * SIP ALG or something else on the path. A probe that did not get past the port is judged by its port state.
 */
final class ApplicationRules {
    private final PortRules ports;
    private final SiteHosts site;

    ApplicationRules(PortRules ports, SiteHosts site) {
        this.ports = ports;
        this.site = site;
    }

    void http(Judged j) {
        ProbeResult r = j.result;
        HttpEvidence e = r.evidence() instanceof HttpEvidence h ? h : null;
        List<String> signs = new ArrayList<>();
        String toItself = e == null ? null : redirectToItself(j, e);
        if (e != null) {
            signs.addAll(e.proxyIndicators());
            if (toItself != null) {
                // a probe that does not know the site's own names flags every redirect to another host than the probed one
                signs.removeIf(s -> s.startsWith("redirect to other host"));
            }
            if (e.status() != null && e.status() == 407 && !signs.contains("status 407")) {
                signs.add("status 407");
            }
        }
        String proxy = "From " + from(j) + " the answer for " + where(j) + " shows proxy signs (" + clip(String.join("; ", signs))
                + "): a transparent proxy on the path.";
        switch (r.outcome()) {
            case RESPONDED -> {
                j.markReached();
                if (!signs.isEmpty() && j.requirement.expect() == Expectation.NO_PROXY) {
                    j.set(FAIL, TRANSPARENT_PROXY, proxy);
                } else {
                    j.set(PASS, null, null);
                    if (!signs.isEmpty()) {
                        j.addNote(TRANSPARENT_PROXY, proxy);
                    }
                }
            }
            case UNEXPECTED -> {
                j.markReached();
                if (toItself != null && signs.isEmpty()) {
                    j.set(PASS, null, null);
                } else if (!signs.isEmpty() || (e != null && e.captivePortal())) {
                    j.set(FAIL, TRANSPARENT_PROXY, proxy);
                } else if (e != null && e.status() != null) {
                    j.set(FAIL, WRONG_PROTOCOL_ANSWER, where(j) + " answered " + e.status()
                            + (e.check() != null ? ", which is not the answer of a " + e.check() : "")
                            + " (from " + from(j) + "): something else than the destination answered, or it is misconfigured.");
                } else {
                    j.set(FAIL, WRONG_PROTOCOL_ANSWER, where(j) + " did not answer HTTP to " + from(j) + ": "
                            + clip(e != null && e.bodyStart() != null ? e.bodyStart() : r.summary()) + ".");
                }
            }
            case TIMEOUT -> silentAfterConnect(j, "HTTP answer");
            default -> ports.judgeOutcome(j);
        }
    }

    /**
     * The Location of a redirect that leads to the site itself (its FQDN, a name below it, an address of the
     * destination role): the documented redirect of port 80 to HTTPS, never a proxy sign. Null for any other
     * answer, and for the registry check, whose answer must be the registry's own.
     */
    private String redirectToItself(Judged j, HttpEvidence e) {
        boolean redirect = e.status() != null && e.status() >= 300 && e.status() < 400;
        if (!redirect || j.destinationRole() == null || "registry".equals(e.check())) {
            return null;
        }
        return site.ownRedirect(j.destinationRole(), e.url(), e.location());
    }

    void ssh(Judged j) {
        ProbeResult r = j.result;
        SshEvidence e = r.evidence() instanceof SshEvidence s ? s : null;
        switch (r.outcome()) {
            case RESPONDED -> {
                j.markReached();
                j.set(PASS, null, null);
            }
            case UNEXPECTED -> {
                j.markReached();
                String first = e != null && e.firstBytes() != null ? e.firstBytes() : r.summary();
                boolean http = first != null && first.startsWith("HTTP/");
                j.set(FAIL, http ? TRANSPARENT_PROXY : WRONG_PROTOCOL_ANSWER, "From " + from(j) + " " + where(j)
                        + " answered with something that is not SSH: \"" + clip(first) + "\""
                        + (http ? ": an HTTP proxy intercepts the connection." : "."));
            }
            case TIMEOUT -> silentAfterConnect(j, "SSH banner");
            default -> ports.judgeOutcome(j);
        }
    }

    void sip(Judged j) {
        ProbeResult r = j.result;
        SipEvidence e = r.evidence() instanceof SipEvidence s ? s : null;
        switch (r.outcome()) {
            case RESPONDED -> {
                j.markReached();
                if (e != null && e.rewritten()) {
                    String diff = e.diff().stream().limit(4).filter(Objects::nonNull)
                            .map(c -> c.field() + ": sent \"" + clip(c.sent()) + "\", received \"" + clip(c.received()) + "\"")
                            .collect(Collectors.joining("; "));
                    j.set(FAIL, SIP_ALG, "The SIP OPTIONS from " + from(j) + " to " + where(j)
                            + " arrived rewritten: a SIP ALG on the path changed it (" + diff
                            + "). Switch the SIP ALG off on the firewall.");
                } else {
                    j.set(PASS, null, null);
                    if (e != null) {
                        j.answeredBy(e.echoed(), "SIP " + e.statusCode() + (e.server() != null ? " from " + e.server()
                                : e.userAgent() != null ? " from " + e.userAgent() : ""));
                    }
                }
            }
            case UNEXPECTED -> {
                j.markReached();
                String what = e == null ? clip(r.summary()) : e.unmatchedReplies() + " reply(ies) that did not match the request"
                        + (e.malformed().isEmpty() ? "" : ", non-SIP bytes \"" + clip(e.malformed().get(0)) + "\"");
                j.set(FAIL, WRONG_PROTOCOL_ANSWER, "SIP OPTIONS from " + from(j) + " to " + where(j) + " got only " + what
                        + ": something on the path answers or rewrites SIP.");
            }
            case TIMEOUT -> silentAfterConnect(j, "SIP response");
            default -> ports.judgeOutcome(j);
        }
    }

    private static void silentAfterConnect(Judged j, String what) {
        j.markReached();
        j.set(FAIL, SILENT_AFTER_CONNECT, "From " + from(j) + " the TCP connection to " + where(j)
                + " was accepted but no " + what + " came: a proxy or DPI firewall holds the connection, or the service hangs.");
    }
}
