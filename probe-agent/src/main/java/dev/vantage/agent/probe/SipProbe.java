package dev.vantage.agent.probe;

import dev.vantage.params.MalformedParamException;
import dev.vantage.params.SipParams;
import dev.vantage.wire.Outcome;
import dev.vantage.wire.ProbeKind;
import dev.vantage.wire.ProbeResult;
import dev.vantage.wire.ProbeTask;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Duration;
import java.time.Instant;

/**
 * SIP: sends one OPTIONS (with a small SDP body, so that a SIP ALG has something to rewrite) over
 * UDP, TCP or TLS and waits for the response that matches it by Via branch, Call-ID and From tag.
 * Any matched response, whatever its status, proves the path and a SIP stack.
 *
 * <p>When the far side is a Vantage responder ({@code SipUas}), the response body is the request as
 * it arrived; the probe compares it with what it sent and reports the changed Via, Contact, From,
 * To, Call-ID, CSeq and SDP lines: {@code rewritten=true} means something on the path rewrote SIP.
 *
 * <p>Parameters ({@link SipParams}): {@code transport} ({@code udp}, {@code tcp}, {@code tls}; default
 * udp), {@code sni} (over TLS the name to send; default the target when it is a name), {@code sdp=false} to
 * send no body, {@code attempts} (UDP sends, default 2). Default port 5060, 5061 for TLS.
 *
 * <p>Outcome: {@code RESPONDED} for a matched final response (or a matched provisional one when no
 * final response followed); {@code UNEXPECTED} when only unmatched or
 * malformed replies came; UDP silence {@code OPEN_OR_FILTERED}, ICMP port unreachable
 * {@code CLOSED}; over TCP/TLS the port outcomes for a failed connect and {@code TIMEOUT} for a
 * connection on which no reply came.
 */
@ApplicationScoped
public class SipProbe implements Probe {

    @Override
    public ProbeKind kind() {
        return ProbeKind.SIP;
    }

    @Override
    public ProbeResult run(ProbeTask task, ProbeContext context) {
        Instant started = context.clock().instant();
        ProbeContext.ResultBuilder result = context.result(task, started);
        Deadline deadline = Deadline.of(task, context);
        String host;
        String transport;
        Duration timeout;
        int attempts;
        SipParams params;
        try {
            params = SipParams.read(task);
            host = TaskInput.target(task);
            transport = params.transportOrDefault().wireName();
            timeout = params.timeout();
            attempts = params.attemptsOrDefault();
        } catch (MalformedTaskException | MalformedParamException e) {
            return result.outcome(Outcome.ERROR).summary(e.getMessage()).build();
        }
        result.protocol("sip/" + transport);
        int port = params.portFor(task.ports());
        boolean sdp = params.sdpOrDefault();
        SipExchange ex = new SipExchange(host, port, transport, sdp, params.serverName(host));
        return transport.equals("udp") ? ex.overUdp(result, timeout, attempts, deadline)
                : ex.overStream(result, timeout, deadline);
    }
}
