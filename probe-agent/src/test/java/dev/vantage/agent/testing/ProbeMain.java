package dev.vantage.agent.testing;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.vantage.agent.probe.ProbeContext;
import dev.vantage.agent.probe.ProbeRegistry;
import dev.vantage.wire.ProbeResult;
import dev.vantage.wire.ProbeTask;
import dev.vantage.wire.Wire;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs probe tasks inside a lab namespace, the probes alone (no watchdog): reads a JSON array of tasks on
 * standard input, runs them all at once and prints each result as one line {@code RESULT <json>} as soon as
 * it is there. It ends when every probe has ended, so a probe that does not end keeps it running.
 */
public final class ProbeMain {
    public static final String PREFIX = "RESULT ";

    private ProbeMain() {
    }

    public static void main(String[] args) throws IOException, InterruptedException {
        List<ProbeTask> tasks = Wire.mapper().readValue(System.in.readAllBytes(), new TypeReference<List<ProbeTask>>() { });
        ProbeRegistry probes = AllProbes.registry();
        ProbeContext context = ProbeContext.standalone("lab");
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        List<Thread> threads = new ArrayList<>();
        for (ProbeTask task : tasks) {
            Thread t = new Thread(() -> {
                ProbeResult result = probes.probe(task.kind()).run(task, context);
                synchronized (out) {
                    out.println(PREFIX + Wire.encodeToString(result));
                }
            }, "probe " + task.taskId());
            t.start();
            threads.add(t);
        }
        for (Thread t : threads) {
            t.join();
        }
        System.exit(0);
    }

    /** The results among a run's output lines, in the order they ended. */
    public static List<ProbeResult> results(String output) {
        List<ProbeResult> results = new ArrayList<>();
        for (String line : output.split("\n")) {
            if (line.startsWith(PREFIX)) {
                results.add(Wire.decode(line.substring(PREFIX.length()).getBytes(StandardCharsets.UTF_8),
                        ProbeResult.class));
            }
        }
        return results;
    }
}
