package dev.vantage.agent.cli;

import io.quarkus.test.junit.main.Launch;
import io.quarkus.test.junit.main.LaunchResult;
import io.quarkus.test.junit.main.QuarkusMainTest;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

@QuarkusMainTest
class UsageTest {

    @Test
    @Launch("--help")
    void helpExplainsTheAgent(LaunchResult result) {
        assertThat(result.exitCode()).isZero();
        assertThat(result.getOutput()).contains("Usage: vantage-agent").contains("vantage");
    }

    @Test
    @Launch(value = "--no-such-option", exitCode = 2)
    void unknownOptionIsExitCode2WithTheOptionNamed(LaunchResult result) {
        assertThat(result.getErrorOutput()).contains("--no-such-option");
    }
}
