package dev.vantage.analysis;

import dev.vantage.wire.ProbeResult;
import dev.vantage.wire.ProbeTask;

import java.time.Duration;
import java.util.List;

/**
 * A responder window of the plan and what its agents reported when it closed (the latest report per agent;
 * none while it is still open or when the agent never reported).
 */
record ResponderWindow(ProbeTask task, List<ProbeResult> reports) {
    ResponderWindow {
        reports = List.copyOf(reports);
    }

    /** How long the window stays open, from the task (its timeout when the duration is unreadable). */
    Duration length() {
        Duration planned = PlannedParams.window(task);
        return planned != null ? planned : task.timeout() == null ? Duration.ZERO : task.timeout();
    }
}
