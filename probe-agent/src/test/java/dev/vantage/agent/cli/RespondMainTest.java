package dev.vantage.agent.cli;

import io.quarkus.test.junit.main.Launch;
import io.quarkus.test.junit.main.LaunchResult;
import io.quarkus.test.junit.main.QuarkusMainTest;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code respond} as the packaged agent runs it: registered as a subcommand, exit code 2 on bad input. */
@QuarkusMainTest
class RespondMainTest {

    @Test
    @Launch(value = {"respond", "--udp", "30000-29000", "--duration", "1s"}, exitCode = 2)
    void aBackwardsRangeIsExitCode2NamingTheValue(LaunchResult result) {
        assertThat(result.getErrorOutput()).contains("--udp 30000-29000").contains("ends before it starts");
    }
}
