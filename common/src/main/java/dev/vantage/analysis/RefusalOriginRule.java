package dev.vantage.analysis;

import dev.vantage.wire.PortRange;

import java.util.ArrayList;
import java.util.List;

import static dev.vantage.analysis.Phrasing.join;
import static dev.vantage.analysis.Phrasing.ranges;

/**
 * Who sent a refusal. A reset or ICMP port unreachable towards one of the site's roles reads at first as the
 * destination's own "nothing listens here" ({@link PortRules}). Where the survey shows that the destination did
 * listen on those ports, the refusal came from something on the path that answered in its place: the firewall
 * that owns the public address (no port forward, no hairpin NAT), or a reject rule. The proof, for the failing
 * block as a whole: the responder's closing report says it held those ports for its whole window; or another
 * check (any vantage, this one too on another address, any requirement) reached the destination there; or the
 * responder received packets there. The check is then judged again, so that the block is located like a silent
 * one ({@link BlockedPathRule}) and never reads "responder not running" or "service not listening". A refusal
 * towards a window that reported open but never sent its closing report does not get here: its responder may have
 * died and left the refusal to its host ({@link ResponderWindowRule}).
 *
 * <p>Without such proof the refusal stays the destination's. On a public address the text then says that the
 * firewall owning the address may have answered, unless another vantage's result shows the destination itself
 * answering there (e.g. resets from inside too).
 */
final class RefusalOriginRule implements CrossVantageRule {

    @Override
    public void apply(SurveyChecks survey) {
        for (Judged j : survey.checks) {
            if (j.hostRefusals.isEmpty() || j.destinationRole() == null || j.isOutbound() || j.status == null) {
                continue;
            }
            List<String> why = new ArrayList<>();
            for (PortRange block : j.hostRefusals) {
                if (j.responderExpected() && j.notHeldReason(List.of(block)) != null) {
                    continue; // the responder said it was not there: the refusal is the host's
                }
                String proof = proof(j, block, survey);
                if (proof != null) {
                    j.pathAnswered.add(block);
                    if (!why.contains(proof)) {
                        why.add(proof);
                    }
                }
            }
            if (!j.pathAnswered.isEmpty()) {
                j.pathWhy = String.join("; ", why);
                survey.rejudge(j);
            } else if (j.addressKind == AddressKind.PUBLIC && nobodyElseSawTheHost(j, survey)) {
                j.text = j.text + " No vantage reached " + j.destinationRole() + " on " + ranges(j.hostRefusals)
                        + (j.responderExpected() ? " and its responder sent no closing report" : "")
                        + ", so the firewall that owns " + j.task.target() + " may have answered in its place"
                        + " (no port forward, or a reject rule).";
            }
        }
    }

    /** Why the destination listened on the block, or null when nothing in the survey shows it. */
    private static String proof(Judged j, PortRange block, SurveyChecks survey) {
        String role = j.destinationRole();
        List<PortRange> ports = List.of(block);
        if (j.responderExpected() && survey.responders.held(role, j.transport, block)) {
            return "the responder of " + role + " reported that it held " + block + " for its whole window";
        }
        List<String> reached = survey.vantagesIncludingOwn(j, o -> o.foreignAnswer == null, Judged::listening, ports);
        if (!reached.isEmpty()) {
            return join(reached) + " reached " + role + " on " + block;
        }
        List<String> sources = survey.responders.sourcesOn(role, j.transport, ports);
        if (!sources.isEmpty()) {
            return "the responder of " + role + " received packets on " + block + " (from "
                    + join(sources.stream().limit(4).toList()) + (sources.size() > 4 ? ", ..." : "") + ")";
        }
        return null;
    }

    /** No other result shows the destination answering on these ports itself (a reset from inside would). */
    private static boolean nobodyElseSawTheHost(Judged j, SurveyChecks survey) {
        if (j.responderExpected() && survey.responders.reported(j.destinationRole(), j.transport, j.hostRefusals)) {
            return false; // its report decided it already: it did not hold these ports
        }
        return survey.vantagesIncludingOwn(j, o -> true, Judged::answered, j.hostRefusals).isEmpty();
    }
}
