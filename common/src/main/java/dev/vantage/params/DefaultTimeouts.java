package dev.vantage.params;

import dev.vantage.wire.ProbeKind;

import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;

/**
 * The per-attempt timeout of each kind when neither the catalog nor the task names one: the planner writes it
 * into the tasks it plans, and a probe given a task without a timeout (an ad-hoc probe) uses the same.
 */
public final class DefaultTimeouts {
    private static final Map<ProbeKind, Duration> TABLE = new EnumMap<>(Map.ofEntries(
            Map.entry(ProbeKind.TCP, Duration.ofSeconds(3)),
            Map.entry(ProbeKind.UDP, Duration.ofSeconds(2)),
            Map.entry(ProbeKind.TCP_RANGE, Duration.ofSeconds(2)),
            Map.entry(ProbeKind.UDP_RANGE, Duration.ofSeconds(2)),
            Map.entry(ProbeKind.DNS, Duration.ofSeconds(3)),
            Map.entry(ProbeKind.TLS, Duration.ofSeconds(5)),
            Map.entry(ProbeKind.HTTP, Duration.ofSeconds(10)),
            Map.entry(ProbeKind.SSH, Duration.ofSeconds(5)),
            Map.entry(ProbeKind.SIP, Duration.ofSeconds(3)),
            // rtp: how long to wait for reflections after the last packet
            Map.entry(ProbeKind.RTP, Duration.ofSeconds(2)),
            Map.entry(ProbeKind.NAT, Duration.ofSeconds(3)),
            // respond: the window itself
            Map.entry(ProbeKind.RESPOND, RespondParams.DEFAULT_WINDOW)));

    private DefaultTimeouts() {
    }

    /**
     * @throws IllegalArgumentException for {@code close}, which is no probe and has no timeout
     */
    public static Duration of(ProbeKind kind) {
        Duration timeout = TABLE.get(kind);
        if (timeout == null) {
            throw new IllegalArgumentException(kind.wireName() + " tasks have no timeout");
        }
        return timeout;
    }
}
