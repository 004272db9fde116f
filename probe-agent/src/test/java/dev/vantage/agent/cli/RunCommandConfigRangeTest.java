package dev.vantage.agent.cli;

import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.test.junit.main.LaunchResult;
import io.quarkus.test.junit.main.QuarkusMainLauncher;
import io.quarkus.test.junit.main.QuarkusMainTest;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code run} refuses numbers that would stop the agent later (a thread pool of 0) or turn a limit off (a task
 * rate of 0), naming each key, its value and its range.
 */
@QuarkusMainTest
@TestProfile(RunCommandConfigRangeTest.OutOfRange.class)
class RunCommandConfigRangeTest {
    /** Three numbers out of range. */
    public static class OutOfRange implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return RunCommandTest.runnable("vantage.agent.concurrency", "0", "vantage.agent.max-tasks-per-second", "0",
                    "vantage.agent.heartbeat-interval", "0");
        }
    }

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
