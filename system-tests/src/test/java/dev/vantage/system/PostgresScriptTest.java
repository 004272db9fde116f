package dev.vantage.system;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code deploy/local/postgres start} brings a SIGKILLed server back, as the fault tests and an operator rely on: the
 * killed server leaves its {@code postmaster.pid}, and by the time the script runs again its pid may belong to another
 * process of the server's user (pids are reused). PostgreSQL then refuses to start ("lock file already exists"), and
 * {@code pg_ctl -w} gave up. Starts a real server (the embedded binaries, fetched once) on a free port.
 */
class PostgresScriptTest {

    @Test
    void startBringsBackAServerKilledWhosePidFileNamesAnotherProcess(@TempDir Path tmp) throws Exception {
        Path state = tmp.resolve("state");
        Files.createDirectories(state);
        tmp.toFile().setExecutable(true, false); // as root the server runs as nobody, who must reach the state
        state.toFile().setExecutable(true, false);
        Scripts scripts = new Scripts(tmp.resolve("logs"), Map.of());
        String port = String.valueOf(freePort());
        List<String> start = List.of("deploy/local/postgres", "start", "--state", state.toString(), "--port", port);
        List<String> stop = List.of("deploy/local/postgres", "stop", "--state", state.toString(), "--port", port);
        boolean root = "root".equals(System.getProperty("user.name"));
        Process sleeper = new ProcessBuilder(root ? List.of("runuser", "-u", "nobody", "--", "sleep", "600")
                : List.of("sleep", "600")).start();
        try {
            scripts.run("postgres-start", start.toArray(String[]::new));
            Path data = Path.of(Files.readString(state.resolve("postgres.home")).strip(), "data");
            ProcessHandle postmaster = ProcessHandle.of(Long.parseLong(Files.readAllLines(data.resolve("postmaster.pid")).get(0)))
                    .orElseThrow();
            List<ProcessHandle> server = new java.util.ArrayList<>(postmaster.descendants().toList());
            server.add(postmaster);
            server.forEach(ProcessHandle::destroyForcibly);
            for (ProcessHandle p : server) {
                p.onExit().get(30, TimeUnit.SECONDS);
            }
            // the killed server's pid now names a live process of the server's user
            long reused = (root ? sleeper.toHandle().children().findFirst().orElseThrow() : sleeper.toHandle()).pid();
            List<String> pidFile = new java.util.ArrayList<>(Files.readAllLines(data.resolve("postmaster.pid")));
            pidFile.set(0, String.valueOf(reused));
            Files.write(data.resolve("postmaster.pid"), pidFile);

            scripts.run("postgres-start-again", start.toArray(String[]::new));
            assertThat(Files.readString(tmp.resolve("logs/postgres-start-again.log")))
                    .contains("removing the stale").contains("PostgreSQL is up");
            assertThat(scripts.output("deploy/local/postgres", "status", "--state", state.toString(), "--port", port))
                    .startsWith("postgres: running");
        } finally {
            scripts.start("postgres-stop", stop.toArray(String[]::new)).waitFor(1, TimeUnit.MINUTES);
            sleeper.descendants().forEach(ProcessHandle::destroy);
            sleeper.destroy();
        }
    }

    private static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
