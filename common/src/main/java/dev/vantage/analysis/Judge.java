package dev.vantage.analysis;

import dev.vantage.catalog.Catalog;
import dev.vantage.catalog.Expectation;
import dev.vantage.catalog.Requirement;
import dev.vantage.site.Site;
import dev.vantage.wire.Outcome;
import dev.vantage.wire.PortEvidence;
import dev.vantage.wire.ProbeResult;
import dev.vantage.wire.ProbeTask;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import static dev.vantage.analysis.DiagnosisCode.*;
import static dev.vantage.analysis.Phrasing.clip;
import static dev.vantage.analysis.Phrasing.from;
import static dev.vantage.analysis.Phrasing.kind;
import static dev.vantage.analysis.Phrasing.where;
import static dev.vantage.analysis.VerdictStatus.INCONCLUSIVE;

/**
 * The local rules: what one result says about its requirement, before other vantages are looked at.
 * The judge hands each result to the rule set of its probe kind ({@link PortRules}, {@link DnsRules},
 * {@link TlsRules}, {@link ApplicationRules}, {@link MediaRules}) and keeps the verdicts every kind
 * shares: the agent could not run the probe, refused the task, reported what its kind never reports, or
 * contradicted itself. Silence on a path to one of the site's roles is left for the cross-vantage rules.
 */
final class Judge {
    private final PathFacts facts;
    private final PortRules ports;
    private final DnsRules dns;
    private final TlsRules tls;
    private final ApplicationRules application;
    private final MediaRules media;

    Judge(Catalog catalog, Site site, PathFacts facts) {
        this.facts = facts;
        this.ports = new PortRules(catalog);
        this.dns = new DnsRules(site);
        this.tls = new TlsRules(ports);
        this.application = new ApplicationRules(ports, new SiteHosts(site));
        this.media = new MediaRules(site, ports);
    }

    /**
     * Judges the results one agent sent for one task. When they disagree (a flapping path, or results
     * from different surveys) the check is INCONCLUSIVE; when they agree the later one counts.
     */
    Judged judgeAll(ProbeTask t, Requirement req, String agent, List<ProbeResult> rs) {
        List<Judged> each = new ArrayList<>();
        for (ProbeResult r : rs) {
            Judged j = facts.judged(t, req, r, agent.isEmpty() ? null : agent);
            judge(j);
            each.add(j);
        }
        Judged last = each.get(each.size() - 1);
        Set<VerdictStatus> statuses = new LinkedHashSet<>();
        each.forEach(j -> statuses.add(j.status));
        if (statuses.size() > 1) {
            Judged c = facts.judged(t, req, last.result, last.agentId);
            StringBuilder sb = new StringBuilder();
            for (Judged j : each) {
                sb.append(sb.length() == 0 ? "" : ", ").append(j.result.outcome())
                        .append(j.result.startedAt() == null ? "" : " at " + j.result.startedAt());
            }
            c.set(INCONCLUSIVE, EVIDENCE_CONFLICT, from(c) + " reported " + each.size() + " different results for "
                    + where(c) + " (" + sb + "): the path is flapping or the results are not from one survey.");
            return c;
        }
        return last;
    }

    void judge(Judged j) {
        ProbeResult r = j.result;
        Outcome o = r.outcome();
        if (o == Outcome.ERROR) {
            j.set(INCONCLUSIVE, PROBE_ERROR, from(j) + " could not run the " + kind(j) + " probe to " + where(j)
                    + ": " + clip(r.summary()) + ". This is a problem of the agent, not a network finding.");
            return;
        }
        if (o == Outcome.TASK_REFUSED) {
            j.set(INCONCLUSIVE, TASK_REFUSED, from(j) + " refused the " + kind(j) + " task to " + where(j) + ": "
                    + clip(r.summary()) + ".");
            return;
        }
        switch (j.task.kind()) {
            case DNS -> dns.judge(j);
            case TLS -> tls.judge(j);
            case HTTP -> application.http(j);
            case SSH -> application.ssh(j);
            case SIP -> application.sip(j);
            case RTP -> media.rtp(j);
            case NAT -> media.nat(j);
            case TCP, UDP -> {
                ports.judgeOutcome(j);
                if (o == Outcome.OPEN && r.evidence() instanceof PortEvidence pe) {
                    j.answeredBy(pe.reply() == null ? null : pe.reply().startsWith("VANTAGE-RESPONDER ") || pe.nonceEchoed(),
                            pe.reply());
                    media.inboundSourceNat(j, pe.seenSource());
                }
            }
            case TCP_RANGE, UDP_RANGE -> ports.judgeRange(j);
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

    /** An outcome the probe kind never reports: the result is not used. */
    static void notUnderstood(Judged j) {
        j.set(INCONCLUSIVE, RESULT_NOT_UNDERSTOOD, "The " + kind(j) + " result from " + from(j) + " for " + where(j)
                + " has outcome " + j.result.outcome() + ", which that probe kind does not report; it was not used.");
        j.reached.clear();
    }

    /** Evidence that contradicts itself: the result is not used. */
    static void conflict(Judged j, String why) {
        j.set(INCONCLUSIVE, EVIDENCE_CONFLICT, "The " + kind(j) + " result from " + from(j) + " for " + where(j)
                + " contradicts itself: " + clip(why) + ".");
    }
}
