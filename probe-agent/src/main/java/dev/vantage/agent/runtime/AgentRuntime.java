package dev.vantage.agent.runtime;

import dev.vantage.agent.probe.Probe;
import dev.vantage.agent.probe.ProbeContext;
import dev.vantage.agent.probe.ProbeRegistry;
import dev.vantage.agent.probe.RespondProbe;
import dev.vantage.agent.probe.TaskWatchdog;
import dev.vantage.agent.scope.ScopePolicy;
import dev.vantage.agent.transport.ResultOutbox;
import dev.vantage.agent.transport.TaskInbox;
import dev.vantage.params.MalformedParamException;
import dev.vantage.params.ProbeParams;
import dev.vantage.params.RangeParams;
import dev.vantage.trust.TaskVerifier;
import dev.vantage.wire.Outcome;
import dev.vantage.wire.ProbeKind;
import dev.vantage.wire.ProbeResult;
import dev.vantage.wire.ProbeTask;
import dev.vantage.wire.SignedTask;
import dev.vantage.wire.Wire;
import org.jboss.logging.Logger;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The connected agent's loop: read the tasks meant for this agent, refuse what is unsigned, tampered,
 * expired or out of scope (with a {@link Outcome#TASK_REFUSED} result saying why; a copy of a task it accepted
 * already is counted and logged, and answered only by the accepted copy's result), run the
 * rest as they arrive, on a bounded number of workers and under a rate cap, and hand every result to the
 * {@link ResultOutbox}. A task does not wait for the tasks read before it, only for a free worker.
 *
 * <p>Responder windows ({@code respond} tasks) run beside the batch and publish their {@code LISTENED}
 * result as soon as they are open (a bind failure: the {@code ERROR} instead); they end with their window,
 * when a newer task needs their ports, when a {@code close} task says their survey's probes are done (no result
 * is published for the close itself), or when the agent stops, and then publish their closing report: a second
 * {@code LISTENED} result with what reached them ({@code ReceiptEvidence}).
 *
 * <p>Every task runs under a {@link TaskWatchdog}: a probe that overruns its task's deadline is reported as an
 * {@code ERROR} naming its phase (once: its own late result is dropped) and the worker goes on to the next task.
 *
 * <p>An offset is committed only when every task up to it is handed on (its result in the outbox, durable on disk;
 * refusals and records for other agents at once), so a crash re-delivers unfinished tasks rather than losing them;
 * the replay cache then refuses what already ran in this process, and a restarted agent runs them again, which is
 * harmless because probes only observe.
 */
public final class AgentRuntime implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(AgentRuntime.class);

    private final TaskInbox inbox;
    private final TaskVerifier verifier;
    private final ScopePolicy scope;
    private final ProbeRegistry probes;
    private final ResultOutbox outbox;
    private final ProbeContext context;
    private final int maxRangeRate;
    private final TaskWatchdog watchdog = new TaskWatchdog();
    private final MeasurementTurns turns = new MeasurementTurns();
    private final TaskWorkers workers;
    private final ExecutorService listeners = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "vantage-responder");
        t.setDaemon(true);
        return t;
    });
    private final Duration shutdownGrace;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final AtomicLong executed = new AtomicLong();
    private final AtomicLong refused = new AtomicLong();

    public AgentRuntime(TaskInbox inbox, TaskVerifier verifier, ScopePolicy scope, ProbeRegistry probes,
                        ResultOutbox outbox, ProbeContext context, int concurrency, double maxTasksPerSecond,
                        int maxRangeRate, Duration shutdownGrace) {
        this.inbox = inbox;
        this.verifier = verifier;
        this.scope = scope;
        this.probes = probes;
        this.outbox = outbox;
        this.context = context;
        this.maxRangeRate = maxRangeRate;
        this.shutdownGrace = shutdownGrace;
        this.workers = new TaskWorkers(concurrency, maxTasksPerSecond);
    }

    /**
     * Runs until {@link #stop()} is called, then gives the running tasks the shutdown grace, commits what was
     * handed on and hands the rest back (not committed: delivered again).
     */
    public void run() {
        while (running.get()) {
            pollOnce(Duration.ofMillis(500));
        }
        workers.drain(shutdownGrace);
        inbox.commit();
    }

    /**
     * One poll: verifies what arrived and hands each task to a worker (queued when none is free), then commits up to
     * the first task not handed on yet. With every worker busy it fetches nothing and waits for a free worker, but
     * still polls, so the agent stays in its consumer group. Returns how many records it read.
     */
    public int pollOnce(Duration timeout) {
        boolean busy = workers.busy();
        List<TaskInbox.Delivery> deliveries = inbox.poll(busy ? Duration.ZERO : timeout, !busy);
        if (busy) {
            workers.awaitFree(timeout);
        }
        for (TaskInbox.Delivery delivery : deliveries) {
            // a record read again while its task still runs (the group moved on meanwhile: a broker away, a
            // rebalance) is not refused as a replay: that refusal could reach the coordinator before the result and
            // stand as the task's answer; it is handed on with the running task
            if (workers.joinRunning(delivery.position(), delivery::handedOn)) {
                LOG.infof("task record %s read again while its task runs: answered once, when it ends",
                        delivery.position());
                continue;
            }
            Admission admission = admit(delivery);
            ProbeTask task = admission.task();
            if (task == null) {
                delivery.handedOn(); // its refusal is in the outbox
            } else if (task.kind() == ProbeKind.CLOSE) {
                closeWindows(task);
                delivery.handedOn();
            } else if (task.kind() == ProbeKind.RESPOND) {
                // a responder window lasts minutes: it runs beside the workers, reports when it opens, and does not
                // hold up the commits of the tasks after it
                listeners.submit(() -> execute(task));
                delivery.handedOn();
            } else {
                workers.submit(delivery.position(), () -> execute(task), delivery::handedOn);
            }
        }
        inbox.commit();
        return deliveries.size();
    }

    /** Tasks run since start whose result is in the outbox. */
    public long executed() {
        return executed.get();
    }

    /** Tasks refused since start. */
    public long refused() {
        return refused.get();
    }

    public void stop() {
        running.set(false);
    }

    /** Stops the loop and the responder windows, and gives running tasks the shutdown grace (see {@link #run()}). */
    @Override
    public void close() {
        stop();
        listeners.shutdownNow();
        workers.drain(shutdownGrace);
    }

    private record Admission(ProbeTask task) {
    }

    private Admission admit(TaskInbox.Delivery delivery) {
        if (delivery.isMalformed()) {
            refuse(null, delivery.raw(), "malformed task message: " + delivery.malformedReason());
            return new Admission(null);
        }
        SignedTask signed = delivery.task();
        TaskVerifier.Verification v = verifier.verify(signed);
        if (!v.accepted() && v.replay()) {
            // a second copy of a task this agent accepted (the coordinator sends at least once: after a fault between
            // the broker's acknowledgement and its commit it sends the task again): not run twice, and not refused
            // either, because that refusal could reach the coordinator before the accepted copy's result and stand
            // as the task's answer
            refused.incrementAndGet();
            LOG.warnf("task %s came again: %s; answered once, by the result of its accepted copy", v.task().taskId(),
                    v.refusal());
            return new Admission(null);
        }
        if (!v.accepted()) {
            refuse(v.task(), delivery.raw(), v.refusal());
            return new Admission(null);
        }
        ProbeTask task = v.task();
        if (task.agentId() != null && !task.agentId().equals(context.agentId())) {
            refuse(task, delivery.raw(), "task is addressed to agent " + task.agentId() + ", not to " + context.agentId());
            return new Admission(null);
        }
        if (task.kind().control()) {
            return new Admission(task); // acts on this agent only, nothing on the network to keep in scope
        }
        Optional<String> outOfScope = scope.refusal(task);
        if (outOfScope.isPresent()) {
            refuse(task, delivery.raw(), outOfScope.get());
            return new Admission(null);
        }
        return new Admission(capRate(task));
    }

    /** A range sweep never goes faster than this agent allows, whatever the task asks. */
    private ProbeTask capRate(ProbeTask task) {
        return capRate(task, maxRangeRate);
    }

    /**
     * The task with its sweep rate (the one it asks for, else the probe's default) capped at {@code max}; other
     * kinds, and a task whose parameters are malformed (its probe reports that), unchanged.
     */
    static ProbeTask capRate(ProbeTask task, int max) {
        if (task.kind() != ProbeKind.TCP_RANGE && task.kind() != ProbeKind.UDP_RANGE) {
            return task;
        }
        RangeParams asked;
        try {
            asked = (RangeParams) ProbeParams.read(task);
        } catch (MalformedParamException e) {
            return task;
        }
        RangeParams capped = asked.withRate(Math.max(1, Math.min(asked.rateOrDefault(), max)));
        return new ProbeTask(task.schemaVersion(), task.taskId(), task.surveyId(), task.siteId(), task.vantage(),
                task.agentId(), task.requirementId(), task.kind(), task.target(), task.ports(), capped.toParams(),
                task.timeout());
    }

    /** A {@code close} task: the survey's probes are done, its responder windows on this agent end now (and report). */
    private void closeWindows(ProbeTask task) {
        int ended = ((RespondProbe) probes.probe(ProbeKind.RESPOND)).endWindowsOf(task.surveyId());
        LOG.infof("survey %s closes its responder windows: %d ended here", task.surveyId(), ended);
    }

    /** Runs the task and publishes its result; false when the agent stopped it unfinished (nothing published). */
    private boolean execute(ProbeTask task) {
        ProbeResult result;
        AtomicBoolean reported = new AtomicBoolean();
        try {
            Probe probe = probes.probe(task.kind());
            if (probe instanceof RespondProbe respond) {
                // the window is reported when it opens (a survey need not wait for it to close)
                result = watchdog.run(task, context, watched -> respond.run(task, watched, opened -> {
                    reported.set(true);
                    outbox.publish(opened);
                }));
            } else if (turns.enter(task.kind())) {
                // the wait for its turn is not part of the probe's deadline
                try {
                    result = watchdog.run(probe, task, context);
                } finally {
                    turns.leave();
                }
            } else {
                result = watchdog.run(probe, task, context);
            }
        } catch (IllegalArgumentException e) {
            result = context.result(task, Instant.now()).outcome(Outcome.ERROR).summary(e.getMessage()).build();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            LOG.warnf("task %s stopped unfinished: the agent is stopping (not committed, delivered again)", task.taskId());
            return false;
        }
        if (reported.get()) {
            // the closing report: the coordinator waits for it before it analyses the survey
            LOG.infof("responder window of task %s closed: %s", task.taskId(), result.summary());
        }
        outbox.publish(result);
        executed.incrementAndGet();
        return true;
    }

    private void refuse(ProbeTask task, byte[] raw, String reason) {
        refused.incrementAndGet();
        ProbeTask about = task != null ? task : unreadable(raw);
        LOG.warnf("refused task %s (%s %s %s): %s", about.taskId(), about.kind() == null ? "?" : about.kind().wireName(),
                about.target(), about.ports(), reason);
        outbox.publish(context.result(about, context.clock().instant())
                .outcome(Outcome.TASK_REFUSED)
                .summary("refused: " + reason)
                .build());
    }

    /** A stand-in for a task that could not be read, with an id derived from its bytes so re-deliveries match. */
    private ProbeTask unreadable(byte[] raw) {
        String id;
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(raw == null ? new byte[0] : raw);
            id = "unreadable-" + HexFormat.of().formatHex(digest, 0, 8);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        String peek = raw == null ? "" : new String(raw, 0, Math.min(raw.length, 80), StandardCharsets.UTF_8);
        return new ProbeTask(Wire.SCHEMA_VERSION, id, null, null, null, context.agentId(), null, null, peek, null,
                Map.of(), Duration.ZERO);
    }
}
