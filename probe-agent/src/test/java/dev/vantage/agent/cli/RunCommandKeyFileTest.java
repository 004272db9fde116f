package dev.vantage.agent.cli;

import dev.vantage.agent.identity.AgentKey;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.test.junit.main.LaunchResult;
import io.quarkus.test.junit.main.QuarkusMainLauncher;
import io.quarkus.test.junit.main.QuarkusMainTest;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code run} refuses to sign with an agent key file that others may read, and says how to mend it. */
@QuarkusMainTest
@TestProfile(RunCommandKeyFileTest.ReadableKey.class)
class RunCommandKeyFileTest {
    static final Path KEY_FILE;

    static {
        try {
            KEY_FILE = Files.createTempDirectory(Path.of("target"), "agent-state-").resolve("agent.key");
            AgentKey.loadOrCreate(KEY_FILE);
            Files.setPosixFilePermissions(KEY_FILE, PosixFilePermissions.fromString("rw-r-----"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Everything right but the mode of the agent's key file. */
    public static class ReadableKey implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return RunCommandTest.runnable("vantage.agent.key-file", KEY_FILE.toString());
        }
    }

    @Test
    void namesTheFileAndTheChmodThatMendsIt(QuarkusMainLauncher launcher) {
        LaunchResult result = launcher.launch("run");
        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.getErrorOutput()).contains("the agent key file " + KEY_FILE + " may be read by others (mode "
                + "rw-r-----)").contains("chmod 600 " + KEY_FILE);
    }
}
