package dev.vantage.system;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Runs the scripts of deploy/ as a person would: from the repository root, each run's output in a log file of its own
 * under {@link #logs()}, with the environment a test gives them (its lab prefix, its state directory), so that two test
 * classes never meet. No other {@code VANTAGE_*} variable reaches them: a developer's shell with another stack's env
 * file sourced ({@code VANTAGE_KAFKA_BOOTSTRAP}, {@code VANTAGE_DB_URL}, ...) would send a piece to that stack.
 */
final class Scripts {
    static final Path TOP = Path.of("..").toAbsolutePath().normalize();

    private final Path logs;
    private final Map<String, String> env;

    Scripts(Path logs, Map<String, String> env) throws IOException {
        this.logs = logs;
        this.env = Map.copyOf(env);
        Files.createDirectories(logs);
    }

    Path logs() {
        return logs;
    }

    /** Starts the command in the background; its output goes to {@code <logs>/<log>.log}. */
    Process start(String log, String... command) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(command).directory(TOP.toFile()).redirectErrorStream(true)
                .redirectOutput(logs.resolve(log + ".log").toFile()).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        isolate(pb);
        return pb.start();
    }

    /** Runs the command to its end (5 minutes at most) and fails with the end of its output unless it exits 0. */
    void run(String log, String... command) throws IOException, InterruptedException {
        Process p = start(log, command);
        boolean finished = p.waitFor(5, TimeUnit.MINUTES);
        if (!finished) {
            p.destroyForcibly();
        }
        String output = Files.readString(logs.resolve(log + ".log"));
        assertThat(finished && p.exitValue() == 0).as("%s failed:%n%s", String.join(" ", command),
                output.length() > 4000 ? output.substring(output.length() - 4000) : output).isTrue();
    }

    /** What the command prints on stdout (its stderr is dropped). */
    String output(String... command) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(command).directory(TOP.toFile())
                .redirectError(ProcessBuilder.Redirect.DISCARD);
        isolate(pb);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor();
        return out;
    }

    private void isolate(ProcessBuilder pb) {
        pb.environment().keySet().removeIf(name -> name.startsWith("VANTAGE_"));
        pb.environment().putAll(env);
    }

    /** An env file the scripts write ({@code KEY=VALUE} lines). */
    static Map<String, String> readEnv(Path file) throws IOException {
        Map<String, String> values = new HashMap<>();
        for (String line : Files.readAllLines(file)) {
            int eq = line.indexOf('=');
            if (eq > 0) {
                values.put(line.substring(0, eq), line.substring(eq + 1));
            }
        }
        return values;
    }

    /** The first of the commands that is not on the PATH, or null when all are. */
    static String missingCommand(List<String> commands) {
        for (String command : commands) {
            boolean found = false;
            for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
                found |= new File(dir, command).canExecute();
            }
            if (!found) {
                return command;
            }
        }
        return null;
    }
}
