package dev.vantage.agent.probe;

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

    /** Takes the slot; call only when {@link #waitNanos} returned 0. */
    void take(long now) {
        next = Math.max(next, now - interval) + interval;
    }
}
