package dev.vantage.coordinator.ingest;

import dev.vantage.wire.Outcome;
import dev.vantage.wire.PortRange;
import dev.vantage.wire.ProbeKind;
import dev.vantage.wire.ProbeResult;
import dev.vantage.wire.Wire;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** The COPY line of a result: what the server parses must be exactly what the agent sent. */
class ResultWriterTest {

    private static ProbeResult result(String summary, PortRange ports, Instant startedAt) {
        return new ProbeResult(Wire.SCHEMA_VERSION, UUID.randomUUID().toString(), UUID.randomUUID().toString(),
                UUID.randomUUID().toString(), "acme-berlin", "end-users", "agent-1", "0.1.0", "inbound.https",
                ProbeKind.TCP, "10.0.0.10", ports, Outcome.OPEN, null, null, "ipv4", "tcp", startedAt,
                Map.of("total", 900L), summary, null);
    }

    private static String[] fields(ProbeResult r) {
        String line = new String(ResultWriter.row(ResultCheck.decode(Wire.encode(r))), StandardCharsets.UTF_8);
        assertThat(line).startsWith("\t").endsWith("\n");
        // a raw tab or newline inside a value would add fields or lines: every one must be escaped
        assertThat(line.substring(0, line.length() - 1)).doesNotContain("\n", "\r");
        return line.substring(1, line.length() - 1).split("\t", -1);
    }

    @Test
    void escapesTabsNewlinesAndBackslashesInText() {
        String summary = "tab\there, lines\r\nthere, a backslash \\ and \\N, \"quoted\", ünïcödé ✓";
        String[] f = fields(result(summary, PortRange.of(443), Instant.parse("2026-11-26T08:00:00Z")));
        assertThat(f).hasSize(14);
        assertThat(f[12]).isEqualTo("tab\\there, lines\\r\\nthere, a backslash \\\\ and \\\\N, \"quoted\", ünïcödé ✓");
        // in the JSON body the characters are JSON escapes, whose backslashes COPY must see doubled
        assertThat(f[13]).contains("\"summary\":\"tab\\\\there, lines\\\\r\\\\nthere, a backslash \\\\\\\\ and");
    }

    @Test
    void writesNullAsTheNullMarker() {
        String[] f = fields(result(null, null, Instant.parse("2026-11-26T08:00:00Z")));
        assertThat(f[10]).as("ports").isEqualTo("\\N");
        assertThat(f[12]).as("summary").isEqualTo("\\N");
    }

    @Test
    void roundsTheStartTimeToMicrosecondsLikeTheJdbcDriver() {
        assertThat(ResultWriter.timestamp(Instant.parse("2026-11-30T23:59:59.999999500Z")))
                .isEqualTo("2026-12-01T00:00:00Z");
        assertThat(ResultWriter.timestamp(Instant.parse("2026-11-26T08:00:00.123456499Z")))
                .isEqualTo("2026-11-26T08:00:00.123456Z");
        assertThat(fields(result("s", null, Instant.parse("2026-11-26T08:00:00.000001700Z")))[1])
                .isEqualTo("2026-11-26T08:00:00.000002Z");
    }
}
