package dev.vantage.agent.cli;

import dev.vantage.trust.Ed25519Keys;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.test.junit.main.Launch;
import io.quarkus.test.junit.main.LaunchResult;
import io.quarkus.test.junit.main.QuarkusMainLauncher;
import io.quarkus.test.junit.main.QuarkusMainTest;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code run} refuses to start on bad configuration, naming what is wrong (exit code 2). */
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

    @QuarkusMainTest
    static class WithoutConfiguration {
        @Test
        @Launch(value = "run", exitCode = 2)
        void namesEveryMissingKey(LaunchResult result) {
            assertThat(result.getErrorOutput()).contains("missing configuration: vantage.agent.id, vantage.agent.site-file, "
                    + "vantage.agent.kafka.bootstrap-servers, vantage.agent.trusted-keys.<key-id>");
        }
    }

    /** An agent id the site file does not list, and a key that is no key. */
    public static class UnknownAgent implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return runnable("vantage.agent.id", "nobody-here");
        }
    }

    @QuarkusMainTest
    @TestProfile(UnknownAgent.class)
    static class WithAnAgentTheSiteDoesNotList {
        @Test
        void saysWhichAgentsTheSiteLists(QuarkusMainLauncher launcher) {
            LaunchResult result = launcher.launch("run");
            assertThat(result.exitCode()).isEqualTo(2);
            assertThat(result.getErrorOutput()).contains("vantage.agent.id 'nobody-here' is not listed under vantages")
                    .contains("berlin-lan");
        }
    }

    /** A trusted key that is not a key. */
    public static class BadKey implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return runnable("vantage.agent.trusted-keys.k1", "not-a-key");
        }
    }

    @QuarkusMainTest
    @TestProfile(BadKey.class)
    static class WithABadKey {
        @Test
        void namesTheKeyAndItsValue(QuarkusMainLauncher launcher) {
            LaunchResult result = launcher.launch("run");
            assertThat(result.exitCode()).isEqualTo(2);
            assertThat(result.getErrorOutput()).contains("vantage.agent.trusted-keys.k1: not an Ed25519 public key")
                    .contains("'not-a-key'");
        }
    }

    /** Numbers that would stop the agent later (a thread pool of 0) or turn a limit off (a task rate of 0). */
    public static class OutOfRange implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return runnable("vantage.agent.concurrency", "0", "vantage.agent.max-tasks-per-second", "0",
                    "vantage.agent.heartbeat-interval", "0");
        }
    }

    @QuarkusMainTest
    @TestProfile(OutOfRange.class)
    static class WithNumbersOutOfRange {
        @Test
        void namesEachKeyItsValueAndTheRange(QuarkusMainLauncher launcher) {
            LaunchResult result = launcher.launch("run");
            assertThat(result.exitCode()).isEqualTo(2);
            assertThat(result.getErrorOutput()).contains("configuration out of range: "
                    + "vantage.agent.concurrency is 0, allowed 1 to 1024; "
                    + "vantage.agent.max-tasks-per-second is 0, allowed 0.01 to 10000; "
                    + "vantage.agent.heartbeat-interval is 0s, allowed 1s to 1h");
        }
    }
}
