package dev.vantage.agent.probe;

import dev.vantage.wire.PortRange;
import dev.vantage.wire.ProbeKind;
import dev.vantage.wire.ProbeTask;
import dev.vantage.wire.Wire;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;

/** Tasks as the planner or the probe command would build them. */
final class Tasks {
    static final ProbeContext CONTEXT = new ProbeContext("test-agent", "test", Clock.systemUTC());

    private Tasks() {
    }

    static ProbeTask task(ProbeKind kind, String target, Integer port, Duration timeout, Map<String, String> params) {
        return new ProbeTask(Wire.SCHEMA_VERSION, "t-" + kind.wireName(), null, "test-site", "lan", "test-agent",
                "test.requirement", kind, target, port == null ? null : PortRange.of(port), params, timeout);
    }
}
