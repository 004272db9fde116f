package dev.vantage.agent.probe;

import dev.vantage.wire.Outcome;
import dev.vantage.wire.ProbeKind;
import dev.vantage.wire.ProbeResult;
import dev.vantage.wire.ProbeTask;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Instant;
import java.util.concurrent.CountDownLatch;

/**
 * A probe with the bug the watchdog is there for: in its {@code request} phase it reads from a peer that never
 * speaks (whatever the task's target: {@code peer}), with no timeout at all. Like the real probes it hands its
 * socket to the run's progress, so the watchdog can close it; then it returns a result of its own (which must
 * never be published) and counts {@link #returned} down.
 */
public final class StuckProbe implements Probe {
    /** Counted down when a run returned (late: after the watchdog closed its socket). */
    public final CountDownLatch returned = new CountDownLatch(1);
    private final ProbeKind kind;
    private final InetSocketAddress peer;

    public StuckProbe(ProbeKind kind, InetSocketAddress peer) {
        this.kind = kind;
        this.peer = peer;
    }

    @Override
    public ProbeKind kind() {
        return kind;
    }

    @Override
    public ProbeResult run(ProbeTask task, ProbeContext context) {
        Instant started = context.clock().instant();
        try (Socket socket = context.progress().hold(new Socket())) {
            context.progress().phase("connect");
            socket.connect(peer);
            context.progress().phase("request");
            socket.getInputStream().read();
        } catch (IOException e) {
            // the watchdog closed the socket
        } finally {
            returned.countDown();
        }
        return context.result(task, started).outcome(Outcome.OPEN).summary("the stuck probe's own late result").build();
    }
}
