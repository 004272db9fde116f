package dev.vantage.agent.probe;

import dev.vantage.agent.responder.Responder;
import dev.vantage.agent.responder.ResponderException;
import dev.vantage.agent.responder.SipUas;
import dev.vantage.wire.Outcome;
import dev.vantage.wire.PortRange;
import dev.vantage.wire.ProbeKind;
import dev.vantage.wire.ProbeResult;
import dev.vantage.wire.ProbeTask;
import jakarta.enterprise.context.ApplicationScoped;

import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;

/**
 * A responder window opened by a task (pre-install surveys): listens on the task's ports at the task's
 * target address for {@code duration}, then reports {@code LISTENED} with what it served. The task's
 * {@code serve} parameter picks the listener: {@code accept} (TCP), {@code echo} or {@code nat} (UDP echo
 * that reports the source it saw; over TCP the accept line carries it), {@code rtp} (reflector, also
 * answering echo requests) or {@code sip} (SIP UAS on the task's {@code transport}).
 *
 * <p>Unlike the other probes it runs for the whole window; the agent runs it beside, not in, its task batch.
 * A port that cannot be opened is an {@code ERROR} result naming the port and why, since the other
 * vantages' probes of it would otherwise fail for a reason that is not the network's.
 */
@ApplicationScoped
public class RespondProbe implements Probe {
    private static final Duration MAX_WINDOW = Duration.ofHours(24);

    @Override
    public ProbeKind kind() {
        return ProbeKind.RESPOND;
    }

    @Override
    public ProbeResult run(ProbeTask task, ProbeContext context) {
        Instant started = context.clock().instant();
        ProbeContext.ResultBuilder result = context.result(task, started);
        PortRange ports = task.ports();
        String serve;
        String transport;
        Duration window;
        InetAddress bind;
        try {
            serve = TaskInput.choice(task, "serve", "accept", List.of("accept", "echo", "nat", "rtp", "sip"));
            transport = TaskInput.choice(task, "transport", serve.equals("accept") ? "tcp" : "udp", List.of("tcp", "udp"));
            result.protocol(transport);
            if (ports == null) {
                throw new MalformedTaskException("respond task " + task.taskId() + " names no port");
            }
            window = TaskInput.durationParam(task, "duration", Duration.ofMinutes(15));
            if (window.compareTo(MAX_WINDOW) > 0) {
                throw new MalformedTaskException("respond window " + window + " is longer than " + MAX_WINDOW);
            }
            bind = task.target() == null || task.target().isBlank() ? null : InetAddress.getByName(task.target());
        } catch (MalformedTaskException | IllegalArgumentException e) {
            return result.outcome(Outcome.ERROR).summary(e.getMessage()).build();
        } catch (UnknownHostException e) {
            return result.outcome(Outcome.ERROR).summary("respond: cannot resolve bind address " + task.target()).build();
        }
        String where = (bind == null ? "*" : bind.getHostAddress()) + " " + transport + " " + ports;
        result.destination(where);
        if (serve.equals("sip")) {
            return sip(task, result, bind, ports, transport, window, where);
        }
        boolean tcp = transport.equals("tcp");
        List<PortRange> list = List.of(ports);
        Responder.Config config = new Responder.Config(bind,
                tcp ? list : List.of(),
                !tcp && !serve.equals("rtp") ? list : List.of(),
                !tcp && serve.equals("rtp") ? list : List.of(),
                window, context.agentId());
        try (Responder responder = Responder.open(config)) {
            responder.serve();
            return result.outcome(Outcome.LISTENED)
                    .summary(String.format(Locale.ROOT, "responder (%s) on %s listened for %s: %d tcp accepted, "
                                    + "%d udp answered, %d rtp reflected, %d ignored", serve, where, window,
                            responder.tcpAccepted(), responder.udpAnswered(), responder.rtpReflected(), responder.ignored()))
                    .build();
        } catch (ResponderException e) {
            return result.outcome(Outcome.ERROR).summary("responder on " + where + ": " + e.getMessage()).build();
        }
    }

    private static ProbeResult sip(ProbeTask task, ProbeContext.ResultBuilder result, InetAddress bind, PortRange ports,
                                   String transport, Duration window, String where) {
        if (!ports.isSingle()) {
            return result.outcome(Outcome.ERROR).summary("a SIP responder takes one port, the task gives " + ports).build();
        }
        EnumSet<SipUas.Transport> transports = transport.equals("tcp") ? EnumSet.of(SipUas.Transport.TCP)
                : EnumSet.of(SipUas.Transport.UDP);
        try (SipUas uas = new SipUas(bind, ports.first(), transports, window).start()) {
            long end = System.nanoTime() + window.toNanos();
            while (uas.isRunning() && System.nanoTime() < end) {
                Thread.sleep(Math.min(200, Math.max(1, (end - System.nanoTime()) / 1_000_000)));
            }
            return result.outcome(Outcome.LISTENED)
                    .summary("SIP UAS on " + where + " answered OPTIONS for " + window).build();
        } catch (IOException e) {
            return result.outcome(Outcome.ERROR).summary("SIP UAS on " + where + ": " + e.getMessage()).build();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return result.outcome(Outcome.LISTENED).summary("SIP UAS on " + where + " stopped early: agent shutting down")
                    .build();
        }
    }
}
