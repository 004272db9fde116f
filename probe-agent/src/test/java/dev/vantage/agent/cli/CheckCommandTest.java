package dev.vantage.agent.cli;

import io.quarkus.test.junit.main.LaunchResult;
import io.quarkus.test.junit.main.QuarkusMainLauncher;
import io.quarkus.test.junit.main.QuarkusMainTest;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Bad input to {@code check} is exit code 2 with one line naming it. (A real check, probes and verdicts, is
 * {@code CheckDemoIT}: it needs a network namespace so that nothing leaves the machine.)
 */
@QuarkusMainTest
class CheckCommandTest {

    @Test
    void aMissingSiteFileIsExitCode2NamingIt(QuarkusMainLauncher launcher) {
        LaunchResult r = launcher.launch("check", "--site", "no-such-site.yaml", "--as", "end-users");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.getErrorOutput()).contains("no-such-site.yaml").contains("no such file");
    }

    @Test
    void anUnknownRoleIsExitCode2ListingTheRoles(QuarkusMainLauncher launcher) {
        LaunchResult r = launcher.launch("check", "--site", "../deploy/examples/site-loopback.yaml", "--as", "branch");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.getErrorOutput()).contains("--as branch: unknown role 'branch'").contains("end-users");
    }

    @Test
    void aBadConcurrencyIsExitCode2(QuarkusMainLauncher launcher) {
        LaunchResult r = launcher.launch("check", "--site", "../deploy/examples/site-loopback.yaml", "--as", "end-users",
                "--concurrency", "0");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.getErrorOutput()).contains("--concurrency 0: allowed 1 to 256");
    }
}
