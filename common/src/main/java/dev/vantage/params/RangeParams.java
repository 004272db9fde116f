package dev.vantage.params;

/** Parameters of a range sweep; the agent caps their {@code rate}. */
public interface RangeParams extends PortParams {
    /** Probes per second when the task sets none. */
    int DEFAULT_RATE = 1000;
    /** Ports in flight when the task sets none. */
    int DEFAULT_CONCURRENCY = 100;
    int MAX_RATE = 1_000_000;
    int MAX_CONCURRENCY = 4096;

    /** The rate as written, or null. */
    Integer rate();

    default int rateOrDefault() {
        return rate() == null ? DEFAULT_RATE : rate();
    }

    /** The same sweep at another rate. */
    RangeParams withRate(int rate);
}
