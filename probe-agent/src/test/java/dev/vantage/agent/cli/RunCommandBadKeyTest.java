package dev.vantage.agent.cli;

import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.test.junit.main.LaunchResult;
import io.quarkus.test.junit.main.QuarkusMainLauncher;
import io.quarkus.test.junit.main.QuarkusMainTest;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code run} refuses a trusted key that is no key, naming the key and its value. */
@QuarkusMainTest
@TestProfile(RunCommandBadKeyTest.BadKey.class)
class RunCommandBadKeyTest {
    /** A trusted key that is not a key. */
    public static class BadKey implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return RunCommandTest.runnable("vantage.agent.trusted-keys.k1", "not-a-key");
        }
    }

    @Test
    void namesTheKeyAndItsValue(QuarkusMainLauncher launcher) {
        LaunchResult result = launcher.launch("run");
        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.getErrorOutput()).contains("vantage.agent.trusted-keys.k1: not an Ed25519 public key")
                .contains("'not-a-key'");
    }
}
