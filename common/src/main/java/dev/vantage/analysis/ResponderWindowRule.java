package dev.vantage.analysis;

import dev.vantage.catalog.Protocol;
import dev.vantage.wire.Outcome;
import dev.vantage.wire.PortRange;
import dev.vantage.wire.ProbeResult;
import dev.vantage.wire.ProbeTask;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static dev.vantage.analysis.DiagnosisCode.RESPONDER_NOT_RUNNING;
import static dev.vantage.analysis.Phrasing.clip;
import static dev.vantage.analysis.Phrasing.from;
import static dev.vantage.analysis.Phrasing.proto;
import static dev.vantage.analysis.Phrasing.refusal;
import static dev.vantage.analysis.Phrasing.where;
import static dev.vantage.analysis.VerdictStatus.INCONCLUSIVE;

/**
 * Pre-install failures towards a responder that did not open, or whose window was closed when the probe
 * ran, say nothing about the path: such a check becomes INCONCLUSIVE RESPONDER_NOT_RUNNING and its path
 * facts are dropped, so no other rule places it.
 *
 * <p>So does a refusal (TCP reset, ICMP port unreachable) or UDP silence towards a window that reported open but
 * never sent its closing report: its agent may have been lost while the window ran (killed, restarted without it,
 * cut off), and nothing then shows the responder was still there when the probe ran. Once the responder is gone its
 * host refuses by itself, on the internal address as through a working port forward, so a refusal cannot be laid at
 * the path, whatever other vantages reached before the loss; a dead responder is silent over UDP too (the host's
 * port unreachable is rate-limited, and a SIP or RTP probe waits for an answer). TCP silence keeps its meaning: a
 * dead listener's host resets, it does not go silent. With the closing report the responder lived to the end and
 * {@link RefusalOriginRule} places the refusal.
 */
final class ResponderWindowRule implements CrossVantageRule {
    /** How far two agents' clocks may disagree before a probe counts as outside a responder's window. */
    static final Duration CLOCK_SKEW = Duration.ofSeconds(30);

    @Override
    public void apply(SurveyChecks survey) {
        for (Judged j : survey.checks) {
            if (j.status == null || !(j.isFailure() || j.code == RESPONDER_NOT_RUNNING) || !j.responderExpected()
                    || j.task.ports() == null || !j.requirement.destination().isRole()) {
                continue;
            }
            for (ResponderWindow w : survey.windows) {
                if (covers(w.task(), j) && judgeAgainst(j, w)) {
                    break;
                }
            }
        }
    }

    /** The window listens for j's destination role, transport and ports. */
    private static boolean covers(ProbeTask rt, Judged j) {
        return rt.vantage().equals(j.destinationRole()) && j.transport == PlannedParams.transport(rt)
                && rt.ports() != null && rt.ports().overlaps(j.task.ports());
    }

    /** Whether the window's reports show that the responder was not there for j's probe (then j says so). */
    private static boolean judgeAgainst(Judged j, ResponderWindow w) {
        ProbeTask rt = w.task();
        for (ResponderWindow.Report report : w.reports()) {
            ProbeResult rr = report.latest();
            Instant opened = report.opened();
            String why = null;
            if (rr.outcome() == Outcome.ERROR || rr.outcome() == Outcome.TASK_REFUSED) {
                why = "reported " + rr.outcome() + ": " + clip(rr.summary());
            } else if (opened != null && j.result.startedAt() != null) {
                Instant end = opened.plus(w.length());
                // the two times come from two agents' clocks: allow them to disagree a little
                if (j.result.startedAt().isBefore(opened.minus(CLOCK_SKEW))
                        || j.result.startedAt().isAfter(end.plus(CLOCK_SKEW))) {
                    why = "listened from " + opened + " to " + end + ", but the probe ran at " + j.result.startedAt();
                }
            }
            String lost = why == null ? lostAfterOpening(j, rt, report) : null;
            if (lost != null) {
                why = "reported its window open but never sent its closing report (its agent was lost while the window"
                        + " ran: stopped, killed or cut off), so nothing shows it still answered when the probe ran" + lost;
            }
            if (why != null) {
                j.set(INCONCLUSIVE, RESPONDER_NOT_RUNNING, "The responder of " + rt.vantage() + " (agent "
                        + rr.agentId() + ") for " + proto(j) + " " + rt.ports() + " " + why
                        + ". The failure seen from " + from(j) + " on " + where(j)
                        + " cannot be judged until the responder runs.");
                j.clearFacts();
                return true;
            }
        }
        return false;
    }

    /**
     * The window's agent said it opened but not what reached it, and j saw on the window's ports what a lost
     * responder explains: a refusal, or UDP silence. Returns what to add to the reason ("" for silence), null when
     * the window closed properly or j saw nothing of the kind.
     */
    private static String lostAfterOpening(Judged j, ProbeTask rt, ResponderWindow.Report report) {
        if (report.closing() != null || report.latest().outcome() != Outcome.LISTENED) {
            return null;
        }
        List<PortRange> ports = List.of(rt.ports());
        if (PortSets.overlaps(j.refused, ports)) {
            return ": " + refusal(j) + " may come from the host of " + rt.vantage() + " itself, which answers so"
                    + " once nothing listens there";
        }
        return j.transport == Protocol.UDP && PortSets.overlaps(j.silent, ports) ? "" : null;
    }
}
