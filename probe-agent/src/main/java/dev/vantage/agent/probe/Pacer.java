package dev.vantage.agent.probe;

import java.io.IOException;
import java.nio.channels.Selector;

/** A rate cap: hands out send slots no closer than {@code 1/rate} apart, without bursts after a stall. */
final class Pacer {
    private final long interval;
    private long next;

    Pacer(int perSecond) {
        this.interval = 1_000_000_000L / perSecond;
        this.next = System.nanoTime();
    }

    /** Nanoseconds until the next slot; 0 when one is free now. */
    long waitNanos(long now) {
        return Math.max(0, next - now);
    }

    /**
     * Waits on {@code selector} until something is ready, {@code deadline} ({@link System#nanoTime()};
     * {@link Long#MAX_VALUE}: none) passes or, when {@code sending}, the next slot is free.
     *
     * @return the number of ready keys
     */
    int select(Selector selector, long now, long deadline, boolean sending) throws IOException {
        long wait = deadline == Long.MAX_VALUE ? Long.MAX_VALUE : Math.max(0, deadline - now);
        if (sending) {
            wait = Math.min(wait, waitNanos(now));
        }
        long millis = wait == Long.MAX_VALUE ? 0 : Math.max(1, (wait + 999_999) / 1_000_000);
        return wait == 0 ? selector.selectNow() : selector.select(millis);
    }

    /** Gives out no slot for {@code nanos} from {@code now}: this host could not send, so let its queues drain. */
    void pause(long now, long nanos) {
        next = Math.max(next, now + nanos);
    }

    /** Takes the slot; call only when {@link #waitNanos} returned 0. */
    void take(long now) {
        next = Math.max(next, now - interval) + interval;
    }
}
