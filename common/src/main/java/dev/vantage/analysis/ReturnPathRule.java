package dev.vantage.analysis;

import dev.vantage.catalog.Protocol;
import dev.vantage.wire.PortRange;
import dev.vantage.wire.ReceiptEvidence;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import static dev.vantage.analysis.DiagnosisCode.RANGE_PARTIAL;
import static dev.vantage.analysis.DiagnosisCode.RETURN_PATH_BLOCKED;
import static dev.vantage.analysis.Phrasing.from;
import static dev.vantage.analysis.Phrasing.join;
import static dev.vantage.analysis.Phrasing.lowerFirst;
import static dev.vantage.analysis.Phrasing.ranges;

/**
 * Silence on the way back. A UDP probe towards a responder stayed unanswered, yet the responder's closing report
 * shows datagrams carrying that task's nonce on those very ports: the way in works, the responder answered, and
 * its answers never arrived. That is not a missing forward or a host firewall, so the block is not located like
 * other silence: the destination sends its answers by another route than the one they came (another default
 * gateway than the firewall), or a firewall drops the return traffic. TCP has no such case: an accepted
 * connection needs the handshake's answer to have come back.
 */
final class ReturnPathRule implements CrossVantageRule {

    @Override
    public void apply(SurveyChecks survey) {
        for (Judged j : survey.checks) {
            if (!j.locate || j.destinationRole() == null || j.transport != Protocol.UDP || !j.responderExpected()) {
                continue;
            }
            List<PortRange> silent = PortSets.intersect(j.silent, j.blocked);
            List<ReceiptEvidence.Receipt> got = survey.responders.receivedFor(j.task, j.destinationRole(), Protocol.UDP, silent);
            List<PortRange> arrived = new ArrayList<>();
            Set<String> seenFrom = new LinkedHashSet<>();
            long count = 0;
            for (ReceiptEvidence.Receipt r : got) {
                arrived.addAll(PortSets.intersect(r.ports(), silent));
                count += r.count();
                if (r.source() != null) {
                    seenFrom.add(r.source());
                }
            }
            if (arrived.isEmpty() || !PortSets.covers(arrived, j.blocked)) {
                continue; // part of the block did not arrive: where it stops is for the location rules
            }
            String role = j.destinationRole();
            String text = "The responder of " + role + " received the datagrams of " + from(j) + " on "
                    + ranges(PortSets.merge(arrived)) + " (" + count + ", seen from " + join(new ArrayList<>(seenFrom))
                    + "), so the way in works and it answered; its answers never came back: " + role + " sends them by"
                    + " another route than they came (a default gateway other than the firewall), or a firewall on the"
                    + " way back drops them.";
            j.locate = false;
            if (j.code == RANGE_PARTIAL) {
                j.text = j.text + " For the silent part: " + lowerFirst(text);
            } else {
                j.code = RETURN_PATH_BLOCKED;
                j.text = j.text + " " + text;
            }
        }
    }
}
