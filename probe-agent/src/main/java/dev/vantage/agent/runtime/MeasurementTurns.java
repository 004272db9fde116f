package dev.vantage.agent.runtime;

import dev.vantage.wire.ProbeKind;

/**
 * RTP streams and range sweeps of one agent take turns. A stream measures loss, jitter and delay at a steady 50
 * packets per second; a sweep of thousands of ports from the same host at the same time fills the host's own send
 * queue and CPU, and the stream would then measure the agent instead of the path (false {@code RTP_QUALITY}, and
 * sweeps overrunning their deadlines on a busy host). Any number of streams run together, but sweeps one at a time:
 * a sweep's rate is the rate the path sees from this agent (a rate limit or IPS on the path counts the sum of
 * sweeps from one source, and the host's receive queue drops the answers of two). While one kind runs and the other
 * waits, no more of the running kind start, so neither waits for ever; when the running turn ends, the other kind
 * gets the next turn if it waits (every stream waiting by then, or the next sweep), whatever order the tasks came
 * in. Every other kind runs whenever a worker is free.
 */
final class MeasurementTurns {
    private enum Turn {
        STREAM(Integer.MAX_VALUE), SWEEP(1);

        /** How many of the kind run at once. */
        final int capacity;

        Turn(int capacity) {
            this.capacity = capacity;
        }
    }

    private Turn current;
    private int active;
    private final int[] waiting = new int[Turn.values().length];
    /** Tasks of a kind let in by a turn's switch that have not started yet. */
    private final int[] admitted = new int[Turn.values().length];

    /** Waits for the task's turn (at once for a kind that takes none); {@link #leave} must follow when it returns true. */
    boolean enter(ProbeKind kind) throws InterruptedException {
        Turn turn = turnOf(kind);
        if (turn == null) {
            return false;
        }
        synchronized (this) {
            if (admitted[0] + admitted[1] == 0
                    && (active == 0 || (current == turn && active < turn.capacity && waiting[other(turn).ordinal()] == 0))) {
                current = turn;
                active++;
                return true;
            }
            int t = turn.ordinal();
            waiting[t]++;
            try {
                while (admitted[t] == 0) {
                    wait();
                }
                admitted[t]--;
                active++; // current is this turn: the switch that admitted it set it
            } catch (InterruptedException e) {
                // not started: a ticket the switch gave this task goes back, and the next turn may be due
                admitted[t] = Math.min(admitted[t], waiting[t] - 1);
                throw e;
            } finally {
                waiting[t]--;
                if (active == 0) {
                    switchTurn();
                }
            }
            return true;
        }
    }

    /** Ends a turn {@link #enter} gave. */
    synchronized void leave() {
        active--;
        switchTurn();
    }

    /** Once nothing runs and nobody let in is still to start: the other kind's turn if it waits, else more of this one. */
    private void switchTurn() {
        if (active > 0 || admitted[0] + admitted[1] > 0 || current == null) {
            return;
        }
        Turn next = waiting[other(current).ordinal()] > 0 ? other(current) : current;
        if (waiting[next.ordinal()] > 0) {
            current = next;
            admitted[next.ordinal()] = Math.min(waiting[next.ordinal()], next.capacity);
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
