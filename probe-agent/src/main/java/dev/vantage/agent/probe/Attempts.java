package dev.vantage.agent.probe;

import dev.vantage.wire.ProbeTask;

/** The {@code attempts} parameter of the datagram probes: how many times a query is sent. */
final class Attempts {
    static final int DEFAULT = 2;
    static final int MAX = 10;

    private Attempts() {
    }

    /** The value, or -1 when the task's value is not a number from 1 to {@link #MAX}. */
    static int of(ProbeTask task) {
        String text = task.param("attempts", Integer.toString(DEFAULT)).strip();
        try {
            int n = Integer.parseInt(text);
            return n >= 1 && n <= MAX ? n : -1;
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
