package dev.vantage.agent.cli;

import dev.vantage.agent.probe.ProbeContext;
import dev.vantage.agent.probe.ProbeRegistry;
import dev.vantage.agent.probe.TaskWatchdog;
import dev.vantage.analysis.Analysis;
import dev.vantage.analysis.Analyzer;
import dev.vantage.analysis.SurveyInput;
import dev.vantage.params.Durations;
import dev.vantage.plan.Plan;
import dev.vantage.plan.Planner;
import dev.vantage.wire.ProbeKind;
import dev.vantage.wire.ProbeResult;
import dev.vantage.wire.ProbeTask;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

/**
 * {@code check}: the standalone survey of one vantage — plan, probe, analyse, print ({@link CheckReport}) — with no
 * Kafka and no coordinator. This is what a technician runs at a branch office.
 */
@Command(name = "check",
        mixinStandardHelpOptions = true,
        description = {
                "Checks the requirements this vantage can prove, right now, from here: plans the probes for ROLE at "
                        + "the site, runs them (a progress line per probe on stderr), analyses the results and prints "
                        + "a verdict per requirement with its diagnosis, then the change request: per device, the exact "
                        + "changes the failures ask for, and what is left to verify. Needs no Kafka and no coordinator.",
                "Every probe ends by its task's deadline, whatever the network does; one that overruns it is stopped "
                        + "and reported as ERROR naming the phase it was in.",
                "Requirements whose sources are other roles stay UNTESTED here; run 'check' at those vantages too, or "
                        + "a coordinated survey, to cover them. In pre-install mode the role acd-stack opens the "
                        + "responders of its plan for --responder-window and waits for it to end."},
        footerHeading = "%nExamples:%n",
        footer = {
                "  vantage-agent check --site site.yaml --as end-users",
                "  vantage-agent check --site site.yaml --as end-users,admin-network --mode pre-install --format json",
                "  vantage-agent check --site site.yaml --as acd-stack --mode pre-install --responder-window 10m"},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:every requirement this vantage checked passed",
                "1:at least one checked requirement failed, is partial or inconclusive",
                "2:bad site file, unknown role or bad option"})
public class CheckCommand implements Callable<Integer> {
    private final ProbeRegistry probes;
    private final TaskWatchdog watchdog = new TaskWatchdog();

    @Spec
    CommandSpec spec;

    @Mixin
    SiteOptions siteOptions;

    @Mixin
    FormatOption format;

    @Option(names = "--concurrency", paramLabel = "N", defaultValue = "8",
            description = "Probes running at the same time (default 8).")
    int concurrency;

    @Option(names = "--responder-window", paramLabel = "D", defaultValue = "PT15M",
            description = "How long responders stay open in pre-install mode, ISO-8601 or e.g. 90s, 10m (default 15m).")
    String responderWindow;

    public CheckCommand(ProbeRegistry probes) {
        this.probes = probes;
    }

    @Override
    public Integer call() throws Exception {
        PrintWriter err = spec.commandLine().getErr();
        SiteOptions.Loaded loaded = siteOptions.load(err);
        if (loaded == null) {
            return 2;
        }
        if (concurrency < 1 || concurrency > 256) {
            err.println("--concurrency " + concurrency + ": allowed 1 to 256");
            err.flush();
            return 2;
        }
        Duration window;
        try {
            window = Durations.parse(responderWindow);
        } catch (IllegalArgumentException e) {
            err.println("--responder-window " + responderWindow + ": " + e.getMessage());
            err.flush();
            return 2;
        }
        Plan plan = new Planner(window, loaded.mediaResponder()).plan(loaded.catalog(), loaded.site(), loaded.roles(),
                loaded.mode());
        List<ProbeResult> results = run(plan, err);
        Analysis analysis = new Analyzer().analyze(new SurveyInput(loaded.catalog(), loaded.site(), plan, results,
                Instant.now()));
        Set<String> checked = plan.tasks().stream().filter(t -> t.kind() != ProbeKind.RESPOND)
                .map(ProbeTask::requirementId).collect(Collectors.toSet());
        CheckReport report = new CheckReport(loaded, analysis, checked, results);
        PrintWriter out = spec.commandLine().getOut();
        if (format.json()) {
            report.json(out);
        } else {
            report.table(out);
        }
        out.flush();
        return report.passed() ? 0 : 1;
    }

    /**
     * Runs the plan: responders beside the probes (they end with their window), probes with bounded concurrency,
     * each under the watchdog (an overrun is an ERROR result naming the probe's phase, and the check goes on).
     */
    private List<ProbeResult> run(Plan plan, PrintWriter err) throws InterruptedException {
        ProbeContext context = new ProbeContext("standalone", AgentVersion.current(), Clock.systemUTC());
        List<ProbeTask> responders = plan.tasks().stream().filter(t -> t.kind() == ProbeKind.RESPOND).toList();
        List<ProbeTask> probeTasks = plan.tasks().stream().filter(t -> t.kind() != ProbeKind.RESPOND).toList();
        List<ProbeResult> results = Collections.synchronizedList(new ArrayList<>());
        ExecutorService listeners = Executors.newCachedThreadPool(daemon("vantage-responder"));
        ExecutorService workers = Executors.newFixedThreadPool(concurrency, daemon("vantage-probe"));
        try {
            List<Future<?>> windows = new ArrayList<>();
            for (ProbeTask t : responders) {
                windows.add(listeners.submit(() -> results.add(watchdog.run(probes.probe(t.kind()), t, context))));
            }
            if (!responders.isEmpty()) {
                progress(err, "opened " + responders.size() + " responder window(s) for " + responderWindow
                        + " on " + responders.stream().map(t -> t.params().getOrDefault("transport", "tcp") + " " + t.ports())
                        .collect(Collectors.joining(", ")));
            }
            AtomicInteger done = new AtomicInteger();
            List<Future<?>> running = new ArrayList<>();
            for (ProbeTask t : probeTasks) {
                running.add(workers.submit(() -> {
                    ProbeResult r = watchdog.run(probes.probe(t.kind()), t, context);
                    results.add(r);
                    progress(err, String.format(Locale.ROOT, "[%d/%d] %-28s %-9s %s%s -> %s", done.incrementAndGet(),
                            probeTasks.size(), t.requirementId(), t.kind().wireName(), t.target(),
                            t.ports() == null ? "" : ":" + t.ports(), r.outcome()));
                    return null;
                }));
            }
            waitFor(running);
            if (!windows.isEmpty()) {
                progress(err, "probes done; waiting for the responder window(s) to close (Ctrl-C ends them)");
                waitFor(windows);
            }
        } finally {
            workers.shutdownNow();
            listeners.shutdownNow();
        }
        return new ArrayList<>(results);
    }

    private static void waitFor(List<Future<?>> futures) throws InterruptedException {
        for (Future<?> f : futures) {
            try {
                f.get();
            } catch (java.util.concurrent.ExecutionException e) {
                throw new IllegalStateException("a probe failed with a bug instead of an outcome", e.getCause());
            }
        }
    }

    private static synchronized void progress(PrintWriter err, String line) {
        err.println(line);
        err.flush();
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        return r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        };
    }
}
