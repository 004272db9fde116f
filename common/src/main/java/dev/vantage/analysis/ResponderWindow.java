package dev.vantage.analysis;

import dev.vantage.wire.Outcome;
import dev.vantage.wire.ProbeResult;
import dev.vantage.wire.ProbeTask;
import dev.vantage.wire.ReceiptEvidence;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * A responder window of the plan and what its agents reported: one {@link Report} per agent (none while
 * the window is still open or when the agent never reported).
 */
record ResponderWindow(ProbeTask task, List<Report> reports) {
    ResponderWindow {
        reports = List.copyOf(reports);
    }

    /**
     * What one agent reported for the window: its latest report (the closing one when that arrived), when the
     * window opened (the earliest {@code LISTENED} report's start: the closing report may carry another time),
     * and the receipts of the closing report, null when none arrived (an older agent, a lost report, a
     * standalone check).
     */
    record Report(ProbeResult latest, Instant opened, ReceiptEvidence closing) {
    }

    /** The report of one agent from its results for the window, in the order they were accepted. */
    static Report of(List<ProbeResult> results) {
        ProbeResult latest = results.get(results.size() - 1);
        ReceiptEvidence closing = null;
        Instant opened = null;
        for (ProbeResult r : results) {
            if (r.evidence() instanceof ReceiptEvidence e) {
                // the closing report is the latest one, whatever time it carries
                latest = r;
                closing = e;
            }
            if (r.outcome() == Outcome.LISTENED && r.startedAt() != null && (opened == null || r.startedAt().isBefore(opened))) {
                opened = r.startedAt();
            }
        }
        return new Report(latest, opened, closing);
    }

    /** The closing reports that arrived. */
    List<ReceiptEvidence> closings() {
        List<ReceiptEvidence> out = new ArrayList<>();
        reports.forEach(r -> {
            if (r.closing() != null) {
                out.add(r.closing());
            }
        });
        return out;
    }

    /** How long the window stays open, from the task (its timeout when the duration is unreadable). */
    Duration length() {
        Duration planned = PlannedParams.window(task);
        return planned != null ? planned : task.timeout() == null ? Duration.ZERO : task.timeout();
    }
}
