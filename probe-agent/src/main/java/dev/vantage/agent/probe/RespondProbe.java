package dev.vantage.agent.probe;

import dev.vantage.agent.responder.Receipts;
import dev.vantage.agent.responder.Responder;
import dev.vantage.agent.responder.ResponderException;
import dev.vantage.agent.responder.SipUas;
import dev.vantage.params.MalformedParamException;
import dev.vantage.params.RespondParams;
import dev.vantage.wire.Outcome;
import dev.vantage.wire.PortRange;
import dev.vantage.wire.ProbeKind;
import dev.vantage.wire.ProbeResult;
import dev.vantage.wire.ProbeTask;
import dev.vantage.wire.ReceiptEvidence;
import jakarta.enterprise.context.ApplicationScoped;

import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * A responder window opened by a task (pre-install surveys, the NAT check, the media option of post-install
 * surveys): listens on the task's ports at the task's target address for {@code duration}, then reports
 * {@code LISTENED} with what it served and what reached it ({@link ReceiptEvidence}: the ports it held and
 * skipped, and per kind, source and task tag the ports that received). With {@code freeOnly} it takes only the
 * ports no other process holds and reports the others as skipped. The task's
 * {@code serve} parameter picks the listener: {@code accept} (TCP), {@code echo} or {@code nat} (UDP echo
 * that reports the source it saw; over TCP the accept line carries it), {@code rtp} (reflector, also
 * answering echo requests) or {@code sip} (SIP UAS on the task's {@code transport}).
 *
 * <p>Unlike the other probes it runs for the whole window; the agent runs it beside, not in, its task batch.
 * A port that cannot be opened is an {@code ERROR} result naming the port and why, since the other
 * vantages' probes of it would otherwise fail for a reason that is not the network's.
 *
 * <p>A connected agent reports the window as soon as every port is bound ({@link #run(ProbeTask, ProbeContext,
 * Consumer)}: {@code LISTENED} with the start time; the window's length is the task's {@code duration}), so
 * a survey need not wait for its responders to close; the result at the end of the window is its closing
 * report, with the receipts. A newer respond task on ports an open window serves (same transport and address: the
 * next survey) ends that window first, and so does a {@code close} task for its survey ({@link #endWindowsOf});
 * either way the window reports what it served.
 */
@ApplicationScoped
public class RespondProbe implements Probe {
    /** The windows open right now. */
    private final Map<Window, AutoCloseable> open = new ConcurrentHashMap<>();

    private record Window(String taskId, String surveyId, InetAddress bind, String transport, PortRange ports) {
        boolean overlaps(Window other) {
            return transport.equals(other.transport) && ports.overlaps(other.ports)
                    && (bind == null || other.bind == null || bind.equals(other.bind));
        }
    }

    @Override
    public ProbeKind kind() {
        return ProbeKind.RESPOND;
    }

    @Override
    public ProbeResult run(ProbeTask task, ProbeContext context) {
        return run(task, context, opened -> { });
    }

    /**
     * Runs the window; {@code onOpen} gets a {@code LISTENED} result as soon as every port is bound, the return
     * value is the result at the end of the window (what it served), or the {@code ERROR} when it did not open.
     */
    public ProbeResult run(ProbeTask task, ProbeContext context, Consumer<ProbeResult> onOpen) {
        Instant started = context.clock().instant();
        ProbeContext.ResultBuilder result = context.result(task, started);
        PortRange ports = task.ports();
        String serve;
        String transport;
        Duration window;
        InetAddress bind;
        boolean freeOnly;
        try {
            RespondParams params = RespondParams.read(task);
            freeOnly = params.freeOnly();
            serve = params.serveOrDefault().wireName();
            transport = params.transportOrDefault().wireName();
            result.protocol(transport);
            if (ports == null) {
                throw new MalformedTaskException("respond task " + task.taskId() + " names no port");
            }
            window = params.durationOrDefault();
            bind = task.target() == null || task.target().isBlank() ? null : InetAddress.getByName(task.target());
        } catch (MalformedTaskException | MalformedParamException | IllegalArgumentException e) {
            return result.outcome(Outcome.ERROR).summary(e.getMessage()).build();
        } catch (UnknownHostException e) {
            return result.outcome(Outcome.ERROR).summary("respond: cannot resolve bind address " + task.target()).build();
        }
        String where = (bind == null ? "*" : bind.getHostAddress()) + " " + transport + " " + ports;
        result.destination(where);
        Window key = new Window(task.taskId(), task.surveyId(), bind, transport, ports);
        boolean superseded = supersede(key);
        if (serve.equals("sip")) {
            return sip(task, context, started, key, onOpen, superseded, ports, transport, window, where);
        }
        boolean tcp = transport.equals("tcp");
        List<PortRange> list = List.of(ports);
        Responder.Config config = new Responder.Config(bind,
                tcp ? list : List.of(),
                !tcp && !serve.equals("rtp") ? list : List.of(),
                !tcp && serve.equals("rtp") ? list : List.of(),
                window, context.agentId(), freeOnly);
        try (Responder responder = openWhenFree(superseded, () -> Responder.open(config))) {
            open.put(key, responder);
            String what = "responder (" + serve + ")";
            onOpen.accept(opened(task, context, started, what, where, transport, window, responder.skippedCount()));
            responder.serve();
            ReceiptEvidence receipts = responder.evidence();
            return result.outcome(Outcome.LISTENED).evidence(receipts)
                    .summary(String.format(Locale.ROOT, "%s on %s listened %s of %s%s: %d tcp accepted, %d udp answered,"
                                    + " %d rtp reflected, %d ignored; %s", what, where, listenedFor(context, started),
                            window, skipped(responder.skippedCount()), responder.tcpAccepted(), responder.udpAnswered(),
                            responder.rtpReflected(), responder.ignored(), sources(receipts)))
                    .build();
        } catch (ResponderException e) {
            return result.outcome(Outcome.ERROR).summary("responder on " + where + ": " + e.getMessage()).build();
        } finally {
            open.remove(key);
        }
    }

    /**
     * Ends the open windows that listen where {@code next} wants to (a newer task: the next survey's); true when
     * there was one.
     */
    private boolean supersede(Window next) {
        return end(w -> w.overlaps(next)) > 0;
    }

    /**
     * Ends the open windows of a survey ({@code close} task: the survey has completed); each reports what it
     * served as when its time runs out. Returns how many were open.
     */
    public int endWindowsOf(String surveyId) {
        return end(w -> surveyId != null && surveyId.equals(w.surveyId()));
    }

    private int end(java.util.function.Predicate<Window> which) {
        int ended = 0;
        for (Map.Entry<Window, AutoCloseable> e : open.entrySet()) {
            if (which.test(e.getKey()) && open.remove(e.getKey(), e.getValue())) {
                ended++;
                try {
                    e.getValue().close();
                } catch (Exception ignored) {
                    // closing sockets: nothing to act on; a new bind reports a port still taken
                }
            }
        }
        return ended;
    }

    private interface Opener<T, E extends Exception> {
        T open() throws E;
    }

    /**
     * Opens the listener; right after a superseded window was closed its sockets may take a moment to be released
     * (a socket closed while a thread is blocked receiving on it is released when that thread leaves; an RTP
     * range is thousands of them, which took more than two seconds on a loaded machine), so a port in use is
     * tried again for up to ten seconds.
     */
    @SuppressWarnings("unchecked")
    private static <T, E extends Exception> T openWhenFree(boolean superseded, Opener<T, E> opener) throws E {
        long until = System.nanoTime() + (superseded ? Duration.ofSeconds(10).toNanos() : 0);
        while (true) {
            try {
                return opener.open();
            } catch (RuntimeException e) {
                throw e;
            } catch (Exception e) {
                if (System.nanoTime() >= until || !String.valueOf(e.getMessage()).contains("in use")) {
                    throw (E) e;
                }
                try {
                    Thread.sleep(50);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw (E) e;
                }
            }
        }
    }

    private static ProbeResult opened(ProbeTask task, ProbeContext context, Instant started, String what, String where,
                                      String transport, Duration window, int skipped) {
        return context.result(task, started).outcome(Outcome.LISTENED).destination(where).protocol(transport)
                .summary(what + " on " + where + " open for " + window + " from " + started + skipped(skipped)).build();
    }

    private static String skipped(int ports) {
        return ports == 0 ? "" : " (" + ports + " port(s) skipped: " + Receipts.IN_USE + ")";
    }

    /** How long the window really listened: its length, or less when a close or a newer window ended it. */
    private static String listenedFor(ProbeContext context, Instant started) {
        return Duration.between(started, context.clock().instant()).truncatedTo(java.time.temporal.ChronoUnit.SECONDS)
                .toString();
    }

    /** The receipts in a few words, for people; the evidence has them all. */
    private static String sources(ReceiptEvidence receipts) {
        long sources = receipts.receipts().stream().map(ReceiptEvidence.Receipt::source).distinct().count();
        return receipts.receipts().size() + " receipt(s) from " + sources + " source(s)"
                + (receipts.summarised() ? " (summarised)" : "");
    }

    private ProbeResult sip(ProbeTask task, ProbeContext context, Instant started, Window key, Consumer<ProbeResult> onOpen,
                            boolean superseded, PortRange ports, String transport, Duration window, String where) {
        ProbeContext.ResultBuilder result = context.result(task, started).destination(where).protocol(transport);
        if (!ports.isSingle()) {
            return result.outcome(Outcome.ERROR).summary("a SIP responder takes one port, the task gives " + ports).build();
        }
        EnumSet<SipUas.Transport> transports = transport.equals("tcp") ? EnumSet.of(SipUas.Transport.TCP)
                : EnumSet.of(SipUas.Transport.UDP);
        SipUas uas;
        try {
            uas = openWhenFree(superseded, () -> new SipUas(key.bind(), ports.first(), transports, window).start());
        } catch (IOException e) {
            return result.outcome(Outcome.ERROR).summary("SIP UAS on " + where + ": " + e.getMessage()).build();
        }
        try (uas) {
            open.put(key, uas);
            onOpen.accept(opened(task, context, started, "SIP UAS", where, transport, window, 0));
            long end = System.nanoTime() + window.toNanos();
            while (uas.isRunning() && System.nanoTime() < end) {
                Thread.sleep(Math.min(200, Math.max(1, (end - System.nanoTime()) / 1_000_000)));
            }
            uas.close();
            ReceiptEvidence receipts = uas.evidence();
            return result.outcome(Outcome.LISTENED).evidence(receipts)
                    .summary("SIP UAS on " + where + " answered OPTIONS for " + listenedFor(context, started) + " of "
                            + window + "; " + sources(receipts)).build();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return result.outcome(Outcome.LISTENED).evidence(uas.evidence())
                    .summary("SIP UAS on " + where + " stopped early: agent shutting down").build();
        } finally {
            open.remove(key);
        }
    }
}
