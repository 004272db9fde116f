package dev.vantage.coordinator;

import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.ConfigValidationException;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import io.smallrye.config.validator.BeanValidationConfigValidator;
import jakarta.validation.Validation;
import jakarta.validation.Validator;
import org.hibernate.validator.HibernateValidator;
import org.hibernate.validator.messageinterpolation.ParameterMessageInterpolator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.lang.reflect.Method;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The ranges of {@link CoordinatorConfig}, read the way Quarkus reads them (SmallRye Config with Bean Validation),
 * without starting the application; {@code ConfigRangesIT} shows the packaged coordinator refusing to start.
 */
class CoordinatorConfigTest {
    private static final Validator VALIDATOR = Validation.byProvider(HibernateValidator.class).configure()
            .messageInterpolator(new ParameterMessageInterpolator()).buildValidatorFactory().getValidator();

    private static CoordinatorConfig read(Map<String, String> settings) {
        Map<String, String> all = new HashMap<>(Map.of("vantage.signing.key-id", "k1", "vantage.signing.private-key", "x"));
        all.putAll(settings);
        SmallRyeConfig config = new SmallRyeConfigBuilder()
                .withMapping(CoordinatorConfig.class)
                .withConverter(Duration.class, 200, new DurationConverter())
                .withSources(new PropertiesConfigSource(all, "test", 500))
                .withValidator((BeanValidationConfigValidator) () -> VALIDATOR)
                .build();
        return config.getConfigMapping(CoordinatorConfig.class);
    }

    @Test
    void theDefaultsLieWithinTheirRanges() {
        CoordinatorConfig config = read(Map.of());
        assertThat(config.dispatch().batchSize()).isEqualTo(500);
        assertThat(config.ingest().retryBackoff()).isEqualTo(Duration.ofMillis(500));
    }

    @Test
    void aBatchSizeOfZeroIsRefusedNamingTheKeyTheValueAndTheRange() {
        assertThatThrownBy(() -> read(Map.of("vantage.dispatch.batch-size", "0")))
                .isInstanceOf(ConfigValidationException.class)
                .hasMessageContaining("vantage.dispatch.batch-size is 0, allowed 1 to 10000");
    }

    @Test
    void aRetryBackoffOfZeroIsRefusedNamingTheKeyTheValueAndTheRange() {
        assertThatThrownBy(() -> read(Map.of("vantage.ingest.retry-backoff", "0")))
                .isInstanceOf(ConfigValidationException.class)
                .hasMessageContaining("vantage.ingest.retry-backoff is 0s, allowed 10ms to 30s");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "vantage.signing.task-validity | 2s | is 2s, allowed 10s to 1d",
            "vantage.surveys.default-deadline | 30d | is 30d, allowed 10s to 7d",
            "vantage.surveys.max-deadline | 0 | is 0s, allowed 10s to 7d",
            "vantage.surveys.deadline-check-interval | 0 | is 0s, allowed 100ms to 1h",
            "vantage.surveys.responder-window | 10s | is 10s, allowed 20s to 7d",
            "vantage.surveys.responder-lead | -1s | is PT-1S, allowed 0s to 1h",
            "vantage.surveys.receipt-grace | 2h | is 2h, allowed 0s to 1h",
            "vantage.surveys.schedule-check-interval | 2h | is 2h, allowed 100ms to 1h",
            "vantage.dispatch.interval | 0 | is 0s, allowed 10ms to 1h",
            "vantage.dispatch.batch-size | 10001 | is 10001, allowed 1 to 10000",
            "vantage.dispatch.send-timeout | 0 | is 0s, allowed 1s to 10m",
            "vantage.ingest.retry-backoff | 1m | is 1m, allowed 10ms to 30s",
            "vantage.ingest.clock-skew | -5m | is PT-5M, allowed 0s to 1d",
            "vantage.ingest.kept-tasks | -1 | is -1, allowed 0 to 100000000",
            "vantage.agents.offline-after | 0 | is 0s, allowed 1s to 7d",
            "vantage.api.default-page-size | 0 | is 0, allowed 1 to 100000",
            "vantage.api.max-page-size | 0 | is 0, allowed 1 to 100000",
            "vantage.api.max-time-range | 30s | is 30s, allowed 1m to 3660d",
            "vantage.partitions.months-ahead | 0 | is 0, allowed 1 to 120"})
    void aValueOutsideItsRangeIsRefused(String key, String value, String problem) {
        assertThatThrownBy(() -> read(Map.of(key, value))).isInstanceOf(ConfigValidationException.class)
                .hasMessageContaining(key + " " + problem);
    }

    @Test
    void everyProblemIsNamedAtOnce() {
        assertThatThrownBy(() -> read(Map.of("vantage.dispatch.batch-size", "0", "vantage.ingest.retry-backoff", "0")))
                .hasMessageContaining("vantage.dispatch.batch-size is 0")
                .hasMessageContaining("vantage.ingest.retry-backoff is 0s");
    }

    @Test
    void everyNumericOrDurationKeyHasARange() {
        List<String> unchecked = new ArrayList<>();
        collectUnchecked(CoordinatorConfig.class, unchecked);
        assertThat(unchecked).as("keys without @IntRange or @DurationRange").isEmpty();
    }

    private static void collectUnchecked(Class<?> group, List<String> unchecked) {
        for (Method m : group.getDeclaredMethods()) {
            Class<?> type = m.getReturnType();
            if (type.isInterface() && type.getEnclosingClass() == CoordinatorConfig.class) {
                collectUnchecked(type, unchecked);
            } else if ((type == int.class || type == long.class || type == double.class)
                    && !m.isAnnotationPresent(IntRange.class)) {
                unchecked.add(group.getSimpleName() + "." + m.getName());
            } else if (type == Duration.class && !m.isAnnotationPresent(DurationRange.class)) {
                unchecked.add(group.getSimpleName() + "." + m.getName());
            }
        }
    }
}
