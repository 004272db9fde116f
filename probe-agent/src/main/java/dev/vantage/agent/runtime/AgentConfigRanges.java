package dev.vantage.agent.runtime;

import dev.vantage.config.ConfigRange;
import dev.vantage.wire.Wire;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The ranges of the agent's numbers and durations, checked by {@code run} before it connects: a value outside
 * would stop it later with a stack trace (a concurrency or heartbeat interval of 0), or quietly turn a limit off (a
 * task rate of 0 meant no rate cap, a spool of 0 files drops every result). The coordinator checks its own keys
 * the same way, in the same words ({@link ConfigRange}).
 */
public final class AgentConfigRanges {
    /** The spool must hold at least one result of the largest size the wire allows. */
    static final long MIN_SPOOL_BYTES = Wire.MAX_MESSAGE_BYTES;
    static final long MAX_SPOOL_BYTES = 1L << 40;

    private AgentConfigRanges() {
    }

    /** One line per key outside its range, e.g. {@code vantage.agent.concurrency is 0, allowed 1 to 1024}. */
    public static List<String> outOfRange(AgentConfig config) {
        List<String> problems = new ArrayList<>();
        add(problems, "concurrency", ConfigRange.violation(config.concurrency(), 1, 1024));
        add(problems, "max-tasks-per-second", ConfigRange.violation(config.maxTasksPerSecond(), 0.01, 10_000));
        add(problems, "max-range-rate", ConfigRange.violation(config.maxRangeRate(), 1, 100_000));
        add(problems, "max-task-validity", ConfigRange.violation(config.maxTaskValidity(), Duration.ofSeconds(10),
                Duration.ofDays(1)));
        add(problems, "clock-skew", ConfigRange.violation(config.clockSkew(), Duration.ZERO, Duration.ofHours(1)));
        add(problems, "heartbeat-interval", ConfigRange.violation(config.heartbeatInterval(), Duration.ofSeconds(1),
                Duration.ofHours(1)));
        add(problems, "shutdown-grace", ConfigRange.violation(config.shutdownGrace(), Duration.ZERO,
                Duration.ofMinutes(10)));
        add(problems, "spool.max-files", ConfigRange.violation(config.spool().maxFiles(), 1, 10_000_000));
        add(problems, "spool.max-bytes", ConfigRange.violation(config.spool().maxBytes(), MIN_SPOOL_BYTES,
                MAX_SPOOL_BYTES));
        return problems;
    }

    private static void add(List<String> problems, String key, String violation) {
        if (violation != null) {
            problems.add("vantage.agent." + key + " " + violation);
        }
    }
}
