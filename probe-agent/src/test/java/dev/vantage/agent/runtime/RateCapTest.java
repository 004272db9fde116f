package dev.vantage.agent.runtime;

import dev.vantage.wire.PortRange;
import dev.vantage.wire.ProbeKind;
import dev.vantage.wire.ProbeTask;
import dev.vantage.wire.Wire;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** A range sweep never goes faster than the agent's {@code max-range-rate}, whatever the task asks. */
class RateCapTest {

    private static ProbeTask task(ProbeKind kind, Map<String, String> params) {
        return new ProbeTask(Wire.SCHEMA_VERSION, "t1", "s1", "site", "trunk", "agent-1", "inbound.rtp", kind,
                "203.0.113.10", PortRange.parse("30000-34999"), params, Duration.ofSeconds(2));
    }

    @Test
    void slowsASweepThatAsksForMoreThanTheAgentAllows() {
        ProbeTask capped = AgentRuntime.capRate(task(ProbeKind.UDP_RANGE,
                Map.of("rate", "100000", "concurrency", "4000", "responder", "true")), 500);
        assertThat(capped.params()).isEqualTo(Map.of("rate", "500", "concurrency", "4000", "responder", "true"));
        assertThat(capped.timeout()).isEqualTo(Duration.ofSeconds(2));
    }

    @Test
    void keepsTheRateOfASlowerSweep() {
        assertThat(AgentRuntime.capRate(task(ProbeKind.TCP_RANGE, Map.of("rate", "200")), 500).params())
                .containsEntry("rate", "200");
    }

    @Test
    void capsTheProbesDefaultRateWhenTheTaskAsksNone() {
        assertThat(AgentRuntime.capRate(task(ProbeKind.TCP_RANGE, Map.of()), 500).params()).containsEntry("rate", "500");
        assertThat(AgentRuntime.capRate(task(ProbeKind.TCP_RANGE, Map.of()), 5000).params())
                .as("the probe's default, not the cap").containsEntry("rate", "1000");
    }

    @Test
    void leavesOtherKindsAndMalformedSweepsToTheirProbe() {
        ProbeTask tcp = task(ProbeKind.TCP, Map.of("responder", "true"));
        assertThat(AgentRuntime.capRate(tcp, 500)).isSameAs(tcp);
        ProbeTask malformed = task(ProbeKind.UDP_RANGE, Map.of("rate", "fast"));
        assertThat(AgentRuntime.capRate(malformed, 500)).isSameAs(malformed);
    }
}
