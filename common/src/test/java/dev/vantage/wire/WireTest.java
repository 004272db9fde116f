package dev.vantage.wire;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class WireTest {

    @Test
    void heartbeatRoundTripsThroughJson() {
        Heartbeat hb = new Heartbeat(Wire.SCHEMA_VERSION, "agent-1", "acme", List.of("end-users"), "0.1.0",
                List.of("tcp", "udp"), Instant.parse("2026-11-26T06:00:00Z"), "MCowBQYDK2VwAyEA", "0123abcd",
                Instant.parse("2026-11-26T05:59:58Z"));
        String json = Wire.encodeToString(hb);
        assertThat(json).contains("\"sentAt\":\"2026-11-26T06:00:00Z\"").contains("\"startedAt\":\"2026-11-26T05:59:58Z\"");
        assertThat(Wire.decode(json, Heartbeat.class)).isEqualTo(hb);
    }

    @Test
    void aHeartbeatWithoutStartedAtAsOlderAgentsSendItIsRead() {
        Heartbeat hb = new Heartbeat(Wire.SCHEMA_VERSION, "agent-1", "acme", List.of("end-users"), "0.1.0",
                List.of("tcp"), Instant.parse("2026-11-26T06:00:00Z"), "MCowBQYDK2VwAyEA", "0123abcd");
        String json = Wire.encodeToString(hb).replace(",\"startedAt\":null", "");
        assertThat(json).doesNotContain("startedAt");
        assertThat(Wire.decode(json, Heartbeat.class)).isEqualTo(hb);
    }

    @Test
    void taskEncodesKindAndPortsInTheirWireForm() {
        ProbeTask task = new ProbeTask(Wire.SCHEMA_VERSION, "t1", null, "acme", "internet", null,
                "inbound.rtp", ProbeKind.UDP_RANGE, "198.51.100.7", PortRange.parse("30000-34999"),
                Map.of("responder", "true"), Duration.ofSeconds(2));
        String json = Wire.encodeToString(task);
        assertThat(json).contains("\"kind\":\"udp-range\"").contains("\"ports\":\"30000-34999\"")
                .contains("\"timeout\":\"PT2S\"");
        assertThat(Wire.decode(json, ProbeTask.class)).isEqualTo(task);
    }

    @Test
    void rejectsGarbageWithAReasonNotAnException() {
        assertThatThrownBy(() -> Wire.decode("{not json", Heartbeat.class))
                .isInstanceOf(MalformedMessageException.class)
                .hasMessageStartingWith("not a valid Heartbeat");
        assertThatThrownBy(() -> Wire.decode(new byte[Wire.MAX_MESSAGE_BYTES + 1], Heartbeat.class))
                .isInstanceOf(MalformedMessageException.class)
                .hasMessageContaining("exceeds the limit");
        assertThatThrownBy(() -> Wire.decode("{\"kind\":\"portscan\"}", ProbeTask.class))
                .isInstanceOf(MalformedMessageException.class)
                .hasMessageContaining("unknown probe kind 'portscan'");
    }

    @Test
    void refusesAnotherSchemaVersion() {
        assertThatThrownBy(() -> Wire.requireSchema(1, "task t1"))
                .isInstanceOf(MalformedMessageException.class)
                .hasMessage("task t1 has schema version 1, this build reads version 2");
    }

    @Test
    void readsResultsOfTheVersionBeforeSignedResults() {
        // the result record is the same in versions 1 and 2: what an agent spooled before its upgrade stays readable
        Wire.requireResultSchema(1, "result r1");
        Wire.requireResultSchema(2, "result r1");
        assertThatThrownBy(() -> Wire.requireResultSchema(3, "result r1"))
                .isInstanceOf(MalformedMessageException.class)
                .hasMessage("result r1 has schema version 3, this build reads results of versions 1 to 2");
    }

    @Test
    void parsesPortRangesAndNamesBadOnes() {
        assertThat(PortRange.parse("5701 - 5801")).isEqualTo(new PortRange(5701, 5801));
        assertThat(PortRange.parse("5060").isSingle()).isTrue();
        assertThatThrownBy(() -> PortRange.parse("70000")).hasMessage("port 70000 is out of range 1-65535");
        assertThatThrownBy(() -> PortRange.parse("abc"))
                .hasMessageContaining("'abc' is not a port or a port range");
        assertThatThrownBy(() -> PortRange.parse("200-100")).hasMessageContaining("ends before it starts");
    }
}
