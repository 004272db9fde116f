package dev.vantage.agent.cli;

import dev.vantage.trust.Ed25519Keys;
import io.quarkus.test.junit.main.Launch;
import io.quarkus.test.junit.main.LaunchResult;
import io.quarkus.test.junit.main.QuarkusMainTest;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code run} refuses to start on bad configuration, naming what is wrong (exit code 2): here without any, in the
 * other {@code RunCommand*Test} classes (one Quarkus profile each) with one thing wrong. Top-level classes, as
 * surefire leaves nested ones out.
 */
@QuarkusMainTest
class RunCommandTest {

    /**
     * What run needs for the agent berlin-lan of the example site, with these keys changed or added (key, value,
     * key, value, ...); the broker is not there, the checks come first.
     */
    static Map<String, String> runnable(String... keysAndValues) {
        Map<String, String> settings = new HashMap<>(Map.of(
                "vantage.agent.id", "berlin-lan",
                "vantage.agent.site-file", "../deploy/examples/site-example.yaml",
                "vantage.agent.kafka.bootstrap-servers", "127.0.0.1:1",
                "vantage.agent.trusted-keys.k1", Ed25519Keys.encode(Ed25519Keys.generate().getPublic())));
        for (int i = 0; i < keysAndValues.length; i += 2) {
            settings.put(keysAndValues[i], keysAndValues[i + 1]);
        }
        return settings;
    }

    @Test
    @Launch(value = "run", exitCode = 2)
    void withoutConfigurationNamesEveryMissingKey(LaunchResult result) {
        assertThat(result.getErrorOutput()).contains("missing configuration: vantage.agent.id, vantage.agent.site-file, "
                + "vantage.agent.kafka.bootstrap-servers, vantage.agent.trusted-keys.<key-id>");
    }
}
