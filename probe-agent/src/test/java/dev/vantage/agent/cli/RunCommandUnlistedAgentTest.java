package dev.vantage.agent.cli;

import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.test.junit.main.LaunchResult;
import io.quarkus.test.junit.main.QuarkusMainLauncher;
import io.quarkus.test.junit.main.QuarkusMainTest;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code run} refuses an agent id its site file does not list, and names the agents it does list. */
@QuarkusMainTest
@TestProfile(RunCommandUnlistedAgentTest.UnknownAgent.class)
class RunCommandUnlistedAgentTest {
    /** An agent id the site file does not list. */
    public static class UnknownAgent implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return RunCommandTest.runnable("vantage.agent.id", "nobody-here");
        }
    }

    @Test
    void saysWhichAgentsTheSiteLists(QuarkusMainLauncher launcher) {
        LaunchResult result = launcher.launch("run");
        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.getErrorOutput()).contains("vantage.agent.id 'nobody-here' is not listed under vantages")
                .contains("berlin-lan");
    }
}
