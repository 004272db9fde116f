package dev.vantage.agent.probe;

import dev.vantage.agent.responder.EchoDatagram;
import dev.vantage.params.MalformedParamException;
import dev.vantage.params.NatParams;
import dev.vantage.params.Transport;
import dev.vantage.wire.NatEvidence;
import dev.vantage.wire.Outcome;
import dev.vantage.wire.ProbeKind;
import dev.vantage.wire.ProbeResult;
import dev.vantage.wire.ProbeTask;
import jakarta.enterprise.context.ApplicationScoped;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;

/**
 * NAT, against a responder's UDP echo port, or its TCP port with {@code transport=tcp} (the responder's
 * accept line names the source it saw): the source the responder saw, compared with our own:
 * {@code NO_NAT} when equal, {@code NAT} otherwise (evidence: port preserved or not).
 *
 * <p>With {@code check=hairpin}: from inside, reach the stack through its public address
 * ({@code publicAddress=ip[:port]}, port defaulting to the task's) over UDP echo, or over TCP with
 * {@code transport=tcp}: {@code PASSED} when the responder answered through it; otherwise the port
 * outcome of the attempt ({@code OPEN_OR_FILTERED}/{@code FILTERED}, {@code CLOSED}, {@code UNREACHABLE}).
 */
@ApplicationScoped
public class NatProbe implements Probe {

    @Override
    public ProbeKind kind() {
        return ProbeKind.NAT;
    }

    @Override
    public ProbeResult run(ProbeTask task, ProbeContext context) {
        Instant started = context.clock().instant();
        ProbeContext.ResultBuilder result = context.result(task, started);
        Deadline deadline = Deadline.of(task, context);
        boolean hairpin;
        boolean tcp;
        InetSocketAddress destination;
        Duration timeout;
        int attempts;
        String nonce;
        try {
            NatParams params = NatParams.read(task);
            hairpin = params.hairpin();
            tcp = params.transportOrDefault() == Transport.TCP;
            int port = TaskInput.singlePort(task);
            timeout = params.timeout();
            attempts = params.attemptsOrDefault();
            nonce = TaskInput.nonce(params.nonce(), task);
            long t0 = System.nanoTime();
            destination = hairpin ? publicAddress(params.publicAddress(), port, deadline, timeout)
                    : new InetSocketAddress(TaskInput.address(task, deadline, timeout), port);
            result.timing("resolve", System.nanoTime() - t0);
        } catch (MalformedTaskException | MalformedParamException e) {
            return result.outcome(Outcome.ERROR).summary(e.getMessage()).build();
        } catch (UnknownHostException e) {
            return result.outcome(Outcome.ERROR).summary(TaskInput.unresolved("nat", task, e)).build();
        }
        String to = Endpoints.text(destination);
        result.destination(to).addressFamily(Endpoints.family(destination.getAddress())).protocol(tcp ? "tcp" : "udp");
        return tcp ? tcp(result, destination, timeout, hairpin, deadline)
                : udp(result, destination, timeout, attempts, nonce, hairpin, deadline);
    }

    /** The {@code publicAddress} parameter (present with check=hairpin, its record sees to that). */
    private static InetSocketAddress publicAddress(String text, int port, Deadline deadline, Duration timeout)
            throws MalformedTaskException, UnknownHostException {
        Endpoints.HostPort hostPort;
        try {
            hostPort = Endpoints.parse(text, port);
        } catch (IllegalArgumentException e) {
            throw new MalformedTaskException("nat parameter publicAddress=" + text + ": " + e.getMessage());
        }
        return new InetSocketAddress(NameLookup.address(hostPort.host(), deadline, timeout), hostPort.port());
    }

    private static ProbeResult udp(ProbeContext.ResultBuilder result, InetSocketAddress destination, Duration timeout,
                                   int attempts, String nonce, boolean hairpin, Deadline deadline) {
        String to = Endpoints.text(destination);
        String check = hairpin ? "hairpin" : "nat";
        String publicAddress = hairpin ? to : null;
        UdpExchange.Exchange exchange;
        try {
            exchange = UdpExchange.run(destination, local -> EchoDatagram.request(nonce), attempts, timeout,
                    UdpPayload.ECHO.answerTo(nonce), deadline);
        } catch (IOException e) {
            return result.outcome(Outcome.ERROR).summary(check + " " + to + ": could not open a local socket: "
                    + e.getMessage()).build();
        }
        String local = exchange.source();
        result.source(local);
        if (!exchange.expected()) {
            SocketFailure failure = exchange.failure() != null ? exchange.failure()
                    : new SocketFailure(Outcome.UNEXPECTED, null, null);
            String why = exchange.reply() != null ? "an answer that is not a Vantage responder's"
                    : failure.outcome() == Outcome.OPEN_OR_FILTERED ? "no answer from a responder to " + exchange.attempts()
                    + " datagram(s)" : exchange.attempts() == 0 ? "no datagram could be sent" + failure.explain()
                    : "no answer" + failure.explain();
            return result.outcome(exchange.reply() != null ? Outcome.UNEXPECTED : failure.outcome())
                    .summary(check + " " + to + " " + (exchange.reply() != null ? Outcome.UNEXPECTED : failure.outcome())
                            + (local == null ? "" : " from " + local) + ": " + why)
                    .evidence(new NatEvidence(check, local, null, false, null, publicAddress))
                    .build();
        }
        result.timing("request", exchange.rttNanos());
        InetSocketAddress seen = EchoDatagram.parseAnswer(ByteBuffer.wrap(exchange.reply())).seen();
        return observed(result, to, local, Endpoints.text(seen), hairpin, "", "sent");
    }

    /** The responder answered and named the source it saw: hairpin passed, or NAT / no NAT. */
    private static ProbeResult observed(ProbeContext.ResultBuilder result, String to, String local, String seen,
                                        boolean hairpin, String overTcp, String verb) {
        boolean translated = !seen.equals(local);
        boolean portPreserved = local.endsWith(":" + seen.substring(seen.lastIndexOf(':') + 1));
        NatEvidence evidence = new NatEvidence(hairpin ? "hairpin" : "nat", local, seen, translated, portPreserved,
                hairpin ? to : null);
        if (hairpin) {
            return result.outcome(Outcome.PASSED)
                    .summary("hairpin " + to + " PASSED" + overTcp + ": the responder answered through the public address"
                            + " and saw " + seen + " (we " + verb + " from " + local + ")")
                    .evidence(evidence).build();
        }
        Outcome outcome = translated ? Outcome.NAT : Outcome.NO_NAT;
        String how = !translated ? "the responder saw our own address " + local
                : "we " + verb + " from " + local + ", the responder saw " + seen
                + (portPreserved ? " (port preserved)" : " (port changed)");
        return result.outcome(outcome).summary("nat " + to + " " + outcome + overTcp + ": " + how).evidence(evidence).build();
    }

    private static ProbeResult tcp(ProbeContext.ResultBuilder result, InetSocketAddress destination, Duration timeout,
                                   boolean hairpin, Deadline deadline) {
        String to = Endpoints.text(destination);
        String check = hairpin ? "hairpin" : "nat";
        String publicAddress = hairpin ? to : null;
        try (Socket socket = deadline.hold(new Socket())) {
            socket.setSoLinger(true, 0);
            socket.bind(null);
            int localPort = socket.getLocalPort();
            long t0 = System.nanoTime();
            deadline.phase("connect");
            try {
                socket.connect(destination, deadline.capMillis(timeout));
            } catch (IOException e) {
                SocketFailure failure = SocketFailure.of(e, false);
                String local = Endpoints.source(destination, localPort);
                result.source(local).timing("connect", System.nanoTime() - t0);
                return result.outcome(failure.outcome())
                        .summary(check + " " + to + " " + failure.outcome() + " over tcp from " + local + failure.explain())
                        .evidence(new NatEvidence(check, local, null, false, null, publicAddress))
                        .build();
            }
            result.timing("connect", System.nanoTime() - t0);
            String local = Endpoints.text(socket.getLocalSocketAddress());
            result.source(local);
            deadline.phase("request");
            String seen = TcpProbe.seenIn(TcpProbe.readLine(socket, deadline.cap(timeout)));
            if (seen == null) {
                return result.outcome(Outcome.UNEXPECTED)
                        .summary(check + " " + to + " UNEXPECTED over tcp from " + local
                                + ": connected, but no Vantage responder line came back")
                        .evidence(new NatEvidence(check, local, null, false, null, publicAddress))
                        .build();
            }
            return observed(result, to, local, seen, hairpin, " over tcp", "connected");
        } catch (IOException e) {
            return result.outcome(Outcome.ERROR).summary(check + " " + to + ": could not open a local socket: "
                    + e.getMessage()).build();
        }
    }
}
