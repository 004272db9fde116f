package dev.vantage.agent.runtime;

import dev.vantage.wire.ProbeKind;

/**
 * RTP streams and range sweeps of one agent take turns. A stream measures loss, jitter and delay at a steady 50
 * packets per second; a sweep of thousands of ports from the same host at the same time fills the host's own send
 * queue and CPU, and the stream would then measure the agent instead of the path (false {@code RTP_QUALITY}, and
 * sweeps overrunning their deadlines on a busy host). Any number of streams run together, and any number of sweeps,
 * but not the two at once. While one kind runs and the other waits, no more of the running kind start, so neither
 * waits for ever. Every other kind runs whenever a worker is free.
 */
final class MeasurementTurns {
    private enum Turn { STREAM, SWEEP }

    private Turn current;
    private int active;
    private final int[] waiting = new int[Turn.values().length];

    /** Waits for the task's turn (at once for a kind that takes none); {@link #leave} must follow when it returns true. */
    boolean enter(ProbeKind kind) throws InterruptedException {
        Turn turn = turnOf(kind);
        if (turn == null) {
            return false;
        }
        synchronized (this) {
            waiting[turn.ordinal()]++;
            try {
                while (active > 0 && (current != turn || waiting[other(turn).ordinal()] > 0)) {
                    wait();
                }
            } finally {
                waiting[turn.ordinal()]--;
            }
            current = turn;
            active++;
        }
        return true;
    }

    /** Ends a turn {@link #enter} gave. */
    synchronized void leave() {
        if (--active == 0) {
            notifyAll();
        }
    }

    private static Turn turnOf(ProbeKind kind) {
        return switch (kind) {
            case RTP -> Turn.STREAM;
            case UDP_RANGE, TCP_RANGE -> Turn.SWEEP;
            default -> null;
        };
    }

    private static Turn other(Turn turn) {
        return turn == Turn.STREAM ? Turn.SWEEP : Turn.STREAM;
    }
}
