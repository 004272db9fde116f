package dev.vantage.agent.runtime;

import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfigBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The ranges {@code run} checks, on the configuration as Quarkus reads it. */
class AgentConfigRangesTest {

    private static AgentConfig read(Map<String, String> settings) {
        return new SmallRyeConfigBuilder().withMapping(AgentConfig.class)
                .withConverter(Duration.class, 200, new DurationConverter())
                .withSources(new PropertiesConfigSource(settings, "test", 500))
                .build().getConfigMapping(AgentConfig.class);
    }

    @Test
    void theDefaultsLieWithinTheirRanges() {
        assertThat(AgentConfigRanges.outOfRange(read(Map.of()))).isEmpty();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "concurrency | 0 | is 0, allowed 1 to 1024",
            "concurrency | 1025 | is 1025, allowed 1 to 1024",
            "max-tasks-per-second | -1 | is -1, allowed 0.01 to 10000",
            "max-tasks-per-second | 0.001 | is 0.001, allowed 0.01 to 10000",
            "max-range-rate | 0 | is 0, allowed 1 to 100000",
            "max-task-validity | 5s | is 5s, allowed 10s to 1d",
            "clock-skew | 2h | is 2h, allowed 0s to 1h",
            "heartbeat-interval | 500ms | is 500ms, allowed 1s to 1h",
            "shutdown-grace | -1s | is PT-1S, allowed 0s to 10m",
            "spool.max-files | 0 | is 0, allowed 1 to 10000000",
            "spool.max-bytes | 1024 | is 1024, allowed 262144 to 1099511627776"})
    void aValueOutsideItsRangeIsNamedWithTheRange(String key, String value, String problem) {
        assertThat(AgentConfigRanges.outOfRange(read(Map.of("vantage.agent." + key, value))))
                .containsExactly("vantage.agent." + key + " " + problem);
    }

    @Test
    void theBoundsThemselvesAreAllowed() {
        assertThat(AgentConfigRanges.outOfRange(read(Map.of("vantage.agent.concurrency", "1",
                "vantage.agent.max-tasks-per-second", "0.01", "vantage.agent.heartbeat-interval", "1h",
                "vantage.agent.spool.max-bytes", "262144", "vantage.agent.clock-skew", "0")))).isEmpty();
    }
}
