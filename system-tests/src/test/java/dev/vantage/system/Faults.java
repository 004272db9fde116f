package dev.vantage.system;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * Faults planted in a running {@link LabSystem} as production brings them: a piece SIGKILLed (by the pid its script
 * recorded in the state directory, once the process's command line shows it is that piece of this system) and started
 * again with its own script, and an agent cut off from Kafka by the lab ({@code deploy/lab/lab kafka-cut}: its packets
 * to the broker vanish, nothing is refused).
 */
final class Faults {
    private static final Pattern SPOOLED = Pattern.compile("\\d{20}-\\d{6}-(.+)\\.result\\.json");

    private final LabSystem system;
    private final Path state;
    private final Scripts scripts;

    Faults(LabSystem system) {
        this.system = system;
        this.state = system.settings().state();
        this.scripts = system.scripts();
    }

    /** SIGKILLs the broker; returns when it is gone, with the time of the kill. */
    Instant killKafka() throws Exception {
        return kill(state.resolve("kafka.pid"), state.resolve("kafka/server.properties").toString(), false);
    }

    /** Starts the broker again ({@code deploy/local/kafka start}); returns once it serves. */
    void startKafka() throws Exception {
        List<String> start = new ArrayList<>(List.of("deploy/local/kafka", "start", "--state", state.toString(), "--port",
                String.valueOf(system.settings().kafkaPort())));
        if (system.settings().tls()) {
            start.add("--tls");
        }
        scripts.run("fault-kafka-start", start.toArray(String[]::new));
    }

    /** SIGKILLs PostgreSQL, the postmaster and every backend at once (a crash); returns when all are gone. */
    Instant killPostgres() throws Exception {
        Path data = Path.of(Files.readString(state.resolve("postgres.home")).strip(), "data");
        return kill(data.resolve("postmaster.pid"), data.toString(), true);
    }

    /** Starts PostgreSQL again ({@code deploy/local/postgres start}: crash recovery); returns once it accepts connections. */
    void startPostgres() throws Exception {
        scripts.run("fault-postgres-start", "deploy/local/postgres", "start", "--state", state.toString(), "--port",
                String.valueOf(system.settings().postgresPort()));
    }

    /** SIGKILLs the coordinator; returns when it is gone, with the time of the kill. */
    Instant killCoordinator() throws Exception {
        return kill(state.resolve("coordinator.pid"), "-Dvantage-local-state=" + state, false);
    }

    /** Starts the coordinator again ({@code deploy/local/coordinator start}); returns once it is ready. */
    void startCoordinator() throws Exception {
        scripts.run("fault-coordinator-start", coordinatorStart());
    }

    /** As {@link #startCoordinator()}, without waiting: the script ends once the coordinator is ready, or has died. */
    Process startCoordinatorInBackground() throws IOException {
        return scripts.start("fault-coordinator-start-background", coordinatorStart());
    }

    private String[] coordinatorStart() {
        return new String[] {"deploy/local/coordinator", "start", "--state", state.toString(), "--port",
                String.valueOf(system.settings().httpPort())};
    }

    /** SIGKILLs the agent; returns when it is gone, with the time of the kill. */
    Instant killAgent(String agent) throws Exception {
        Path dir = state.resolve("agents").resolve(agent);
        return kill(dir.resolve("agent.pid"), "-Dvantage-local-agent=" + dir, false);
    }

    /** Starts the agent again in its namespace ({@code deploy/local/agent start}); returns once it is online. */
    void startAgent(String agent) throws Exception {
        Process p = system.startAgent(agent);
        assertThat(p.waitFor(3, TimeUnit.MINUTES)).as("agent %s started within 3 minutes", agent).isTrue();
        assertThat(p.exitValue()).as("agent %s did not start; see %s", agent, scripts.logs().resolve("agent-" + agent + ".log"))
                .isZero();
    }

    /**
     * Fails, with the end of its log, for an agent whose process has died (as {@code deploy/local/agent status} sees it:
     * the pid its script recorded, with that agent's command line); waiting for its survey would be pointless.
     */
    void assertEveryAgentRuns() throws IOException {
        for (String agent : LabSystem.AGENTS.keySet()) {
            Path dir = state.resolve("agents").resolve(agent);
            String pid = Files.readAllLines(dir.resolve("agent.pid")).get(0).strip();
            if (!running(Long.parseLong(pid)) || !commandLine(Long.parseLong(pid)).contains("-Dvantage-local-agent=" + dir)) {
                List<String> log = Files.readAllLines(dir.resolve("agent.log"), StandardCharsets.UTF_8);
                fail("agent %s (pid %s) has exited; the end of its log:%n%s", agent, pid,
                        String.join("\n", log.subList(Math.max(0, log.size() - 12), log.size())));
            }
        }
    }

    /** Drops every packet between the agent's namespace and its Kafka bridge ({@code deploy/lab/lab kafka-cut}). */
    void cutFromKafka(String agent) throws Exception {
        scripts.run("fault-cut-" + agent, "deploy/lab/lab", "kafka-cut", LabSystem.AGENTS.get(agent));
    }

    /** Lets the agent reach Kafka again ({@code deploy/lab/lab kafka-restore}; safe to repeat). */
    void reconnectToKafka(String agent) throws Exception {
        scripts.run("fault-restore-" + agent, "deploy/lab/lab", "kafka-restore", LabSystem.AGENTS.get(agent));
    }

    /** The ids of the results in the agent's spool now (written, not yet acknowledged by the broker). */
    Set<String> spooled(String agent) throws IOException {
        Set<String> ids = new TreeSet<>();
        try (Stream<Path> files = Files.list(state.resolve("agents").resolve(agent).resolve("spool"))) {
            files.forEach(f -> {
                Matcher m = SPOOLED.matcher(f.getFileName().toString());
                if (m.matches()) {
                    ids.add(m.group(1));
                }
            });
        }
        return ids;
    }

    /**
     * Whatever a test left behind, the whole system runs again: no agent cut off, the broker, PostgreSQL, the
     * coordinator and every agent started where they do not run (each script leaves a running piece alone).
     */
    void heal() throws Exception {
        for (String agent : LabSystem.AGENTS.keySet()) {
            reconnectToKafka(agent);
        }
        startKafka();
        startPostgres();
        startCoordinator();
        List<Process> starting = new ArrayList<>();
        for (String agent : LabSystem.AGENTS.keySet()) {
            starting.add(system.startAgent(agent));
        }
        for (Process p : starting) {
            assertThat(p.waitFor(3, TimeUnit.MINUTES)).as("an agent started within 3 minutes").isTrue();
            assertThat(p.exitValue()).as("agent start failed; see %s", scripts.logs()).isZero();
        }
    }

    /**
     * SIGKILLs the process named by the first line of {@code pidFile} (and, with {@code children}, every process below
     * it), after checking that its command line contains {@code marker}; returns the time of the kill once all are gone.
     */
    private static Instant kill(Path pidFile, String marker, boolean children) throws Exception {
        long pid = Long.parseLong(Files.readAllLines(pidFile).get(0).strip());
        assertThat(commandLine(pid)).as("process %d of %s is the piece to kill", pid, pidFile).contains(marker);
        ProcessHandle process = ProcessHandle.of(pid).orElseThrow();
        List<ProcessHandle> all = new ArrayList<>();
        if (children) {
            process.descendants().forEach(all::add);
        }
        all.add(0, process);
        Instant at = Instant.now();
        all.forEach(ProcessHandle::destroyForcibly);
        for (ProcessHandle p : all) {
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (running(p.pid())) {
                assertThat(System.nanoTime()).as("process %d gone within 30 s of SIGKILL", p.pid()).isLessThan(until);
                Thread.sleep(20);
            }
        }
        return at;
    }

    private static String commandLine(long pid) throws IOException {
        try {
            return new String(Files.readAllBytes(Path.of("/proc", String.valueOf(pid), "cmdline")), StandardCharsets.UTF_8)
                    .replace('\0', ' ');
        } catch (NoSuchFileException e) {
            return "(no process " + pid + ")";
        }
    }

    /** Alive and not a zombie waiting for its parent. */
    private static boolean running(long pid) throws IOException {
        try {
            String stat = Files.readString(Path.of("/proc", String.valueOf(pid), "stat"));
            return stat.charAt(stat.lastIndexOf(')') + 2) != 'Z';
        } catch (NoSuchFileException e) {
            return false;
        }
    }
}
