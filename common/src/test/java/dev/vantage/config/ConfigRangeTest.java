package dev.vantage.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ConfigRangeTest {

    @Test
    void namesTheValueAndTheRangeWhenOutside() {
        assertThat(ConfigRange.violation(0, 1, 10_000)).isEqualTo("is 0, allowed 1 to 10000");
        assertThat(ConfigRange.violation(10_001, 1, 10_000)).isEqualTo("is 10001, allowed 1 to 10000");
        assertThat(ConfigRange.violation(Duration.ZERO, Duration.ofMillis(10), Duration.ofSeconds(30)))
                .isEqualTo("is 0s, allowed 10ms to 30s");
        assertThat(ConfigRange.violation(Duration.ofMillis(-5), Duration.ZERO, Duration.ofDays(1)))
                .isEqualTo("is PT-0.005S, allowed 0s to 1d");
        assertThat(ConfigRange.violation(0.0, 0.01, 10_000)).isEqualTo("is 0, allowed 0.01 to 10000");
        assertThat(ConfigRange.violation(Double.NaN, 0.01, 10_000)).isEqualTo("is NaN, allowed 0.01 to 10000");
    }

    @Test
    void acceptsBothBounds() {
        assertThat(ConfigRange.violation(1, 1, 10_000)).isNull();
        assertThat(ConfigRange.violation(10_000, 1, 10_000)).isNull();
        assertThat(ConfigRange.violation(Duration.ofMillis(10), Duration.ofMillis(10), Duration.ofSeconds(30))).isNull();
        assertThat(ConfigRange.violation(Duration.ofSeconds(30), Duration.ofMillis(10), Duration.ofSeconds(30))).isNull();
        assertThat(ConfigRange.violation(0.01, 0.01, 10_000)).isNull();
    }

    @ParameterizedTest
    @CsvSource({"0, PT0S", "500ms, PT0.5S", "30s, PT30S", "45, PT45S", "5m, PT5M", "2h, PT2H", "7d, PT168H"})
    void readsTheShortForm(String text, String iso) {
        assertThat(ConfigRange.duration(text)).isEqualTo(Duration.parse(iso));
    }

    @ParameterizedTest
    @CsvSource({"PT0S, 0s", "PT0.5S, 500ms", "PT30S, 30s", "PT90S, 90s", "PT5M, 5m", "PT2H, 2h", "PT48H, 2d",
            "PT0.0000001S, PT0.0000001S"})
    void writesTheShortFormWhereThereIsOne(String iso, String text) {
        assertThat(ConfigRange.text(Duration.parse(iso))).isEqualTo(text);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "-1s", "1.5s", "10 s", "1w", "PT1S"})
    void refusesWhatIsNoShortDuration(String text) {
        assertThatThrownBy(() -> ConfigRange.duration(text)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'" + text + "'");
    }
}
