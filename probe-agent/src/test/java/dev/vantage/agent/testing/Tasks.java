package dev.vantage.agent.testing;

import dev.vantage.agent.probe.ProbeContext;
import dev.vantage.wire.PortRange;
import dev.vantage.wire.ProbeKind;
import dev.vantage.wire.ProbeTask;
import dev.vantage.wire.Wire;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/** Builds probe tasks for tests: {@code Tasks.of(TCP, "127.0.0.1", "5060", "responder=true")}. */
public final class Tasks {
    public static final ProbeContext CONTEXT = ProbeContext.standalone("test");

    private Tasks() {
    }

    public static ProbeTask of(ProbeKind kind, String target, String ports, Duration timeout, String... params) {
        Map<String, String> map = new HashMap<>();
        for (String param : params) {
            int eq = param.indexOf('=');
            map.put(param.substring(0, eq), param.substring(eq + 1));
        }
        return new ProbeTask(Wire.SCHEMA_VERSION, "task-" + kind.wireName() + "-" + ports, null, "lab", "test", "agent-1",
                "test." + kind.wireName(), kind, target, ports == null ? null : PortRange.parse(ports), map, timeout);
    }
}
