package dev.vantage.agent.probe;

import dev.vantage.wire.Outcome;

/**
 * The failures of this host a range sweep met (ports it reports {@code ERROR}, not an answer of the path): how many,
 * and the first one's message, so that the result says why those ports were not probed.
 */
final class SweepErrors {
    private String first;
    private int count;

    /** Takes a port's failure; returns its outcome. Only {@code ERROR} outcomes are this host's own failures. */
    Outcome note(SocketFailure failure) {
        if (failure.outcome() == Outcome.ERROR) {
            count++;
            if (first == null) {
                first = failure.error();
            }
        }
        return failure.outcome();
    }

    /** For the summary: {@code "; 12 port(s) failed on this host (ERROR), the first with: Permission denied"}, or "". */
    String summary() {
        return count == 0 ? "" : "; " + count + " port(s) failed on this host (ERROR), the first with: " + first;
    }
}
