package dev.vantage.agent.probe;

import dev.vantage.agent.responder.EchoDatagram;
import dev.vantage.params.MalformedParamException;
import dev.vantage.params.UdpParams;
import dev.vantage.wire.Outcome;
import dev.vantage.wire.PortEvidence;
import dev.vantage.wire.ProbeKind;
import dev.vantage.wire.ProbeResult;
import dev.vantage.wire.ProbeTask;
import jakarta.enterprise.context.ApplicationScoped;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;

/**
 * UDP: {@code OPEN} only when an answer arrived (a responder's echo of our nonce, or a reply of the
 * port's protocol), {@code CLOSED} on ICMP port unreachable, {@code OPEN_OR_FILTERED} on silence
 * after {@code attempts} datagrams (default 3), each waited for the task's timeout.
 */
@ApplicationScoped
public class UdpProbe implements Probe {
    private static final int MAX_SHOWN = 512;

    @Override
    public ProbeKind kind() {
        return ProbeKind.UDP;
    }

    @Override
    public ProbeResult run(ProbeTask task, ProbeContext context) {
        Instant started = context.clock().instant();
        ProbeContext.ResultBuilder result = context.result(task, started).protocol("udp");
        Deadline deadline = Deadline.of(task, context);
        InetSocketAddress destination;
        Duration timeout;
        int attempts;
        UdpPayload payload;
        String nonce;
        try {
            UdpParams params = UdpParams.read(task);
            int port = TaskInput.singlePort(task);
            timeout = params.timeout();
            attempts = params.attemptsOrDefault();
            payload = UdpPayload.choose(params.payload(), params.responder(), port);
            nonce = TaskInput.nonce(params.nonce(), task);
            long t0 = System.nanoTime();
            destination = new InetSocketAddress(TaskInput.address(task, deadline, timeout), port);
            result.timing("resolve", System.nanoTime() - t0);
        } catch (MalformedTaskException | MalformedParamException e) {
            return result.outcome(Outcome.ERROR).summary(e.getMessage()).build();
        } catch (UnknownHostException e) {
            return result.outcome(Outcome.ERROR).summary(TaskInput.unresolved("udp", task, e)).build();
        }
        String to = Endpoints.text(destination);
        result.destination(to).addressFamily(Endpoints.family(destination.getAddress()));
        String kind = payload == UdpPayload.ECHO ? "echo" : payload.name();
        UdpExchange.Exchange exchange;
        try {
            exchange = UdpExchange.run(destination, local -> payload.request(nonce, destination, local), attempts,
                    timeout, payload.answerTo(nonce), deadline);
        } catch (IOException e) {
            return result.outcome(Outcome.ERROR).summary("udp " + to + ": could not open a local socket: "
                    + e.getMessage()).build();
        }
        result.source(exchange.source());
        String reply = exchange.reply() == null ? null
                : Printable.text(exchange.reply(), 0, Math.min(exchange.reply().length, MAX_SHOWN));
        boolean echoed = payload.echoesNonce(exchange.reply(), nonce);
        String seen = null;
        if (echoed && payload == UdpPayload.ECHO) {
            seen = Endpoints.text(EchoDatagram.parseAnswer(ByteBuffer.wrap(exchange.reply())).seen());
        }
        if (exchange.reply() != null) {
            result.timing("request", exchange.rttNanos());
            String how = exchange.expected()
                    ? (echoed ? kind + " answer with our nonce" : kind + " answer")
                    : "a datagram that is not a " + kind + " answer to our request";
            return result.outcome(Outcome.OPEN)
                    .summary("udp " + to + " OPEN from " + exchange.source() + ": " + how
                            + (exchange.rttNanos() > 0 ? " in " + TcpProbe.elapsed(exchange.rttNanos()) : ""))
                    .evidence(new PortEvidence(exchange.attempts(), null, null, reply, nonce, echoed, seen))
                    .build();
        }
        SocketFailure failure = exchange.failure();
        String what = failure.outcome() == Outcome.OPEN_OR_FILTERED
                ? "no answer to " + exchange.attempts() + " " + kind + " datagram(s) within " + timeout.toMillis() + " ms each"
                : exchange.attempts() == 0 ? "no datagram could be sent" + failure.explain()
                : "after " + exchange.attempts() + " datagram(s)" + failure.explain();
        return result.outcome(failure.outcome())
                .summary("udp " + to + " " + failure.outcome() + (exchange.source() == null ? "" : " from "
                        + exchange.source()) + ": " + what)
                .evidence(new PortEvidence(exchange.attempts(), failure.error(), failure.icmp(), null, nonce, false, null))
                .build();
    }
}
