package dev.vantage.params;

import dev.vantage.wire.PortRange;
import dev.vantage.wire.ProbeKind;
import dev.vantage.wire.ProbeTask;

import java.time.Duration;
import java.util.Map;

import static dev.vantage.params.ParamNames.ATTEMPTS;
import static dev.vantage.params.ParamNames.CHECK;
import static dev.vantage.params.ParamNames.RESPONDER;
import static dev.vantage.params.ParamNames.SDP;
import static dev.vantage.params.ParamNames.SNI;
import static dev.vantage.params.ParamNames.TRANSPORT;

/**
 * Parameters of a {@code sip} task: one OPTIONS transaction.
 *
 * @param transport udp, tcp or tls; null for udp
 * @param check     {@link Check#HAIRPIN} when the stack is reached through its public address from inside
 *                  (recorded); null otherwise
 * @param sni       over tls, the server name to send; null for the target when it is a name
 * @param sdp       false to send no SDP body; null or true to send one (a SIP ALG has something to rewrite)
 * @param attempts  UDP sends, null for 2
 * @param responder the far side is a Vantage responder (its SIP UAS echoes the request as it arrived)
 * @param timeout   how long to wait for the response (per UDP send)
 */
public record SipParams(Transport transport, Check check, String sni, Boolean sdp, Integer attempts, boolean responder,
                        Duration timeout) implements ResponderAware {
    public static final int DEFAULT_ATTEMPTS = 2;

    /** @throws MalformedParamException naming the field and value */
    public static SipParams read(ProbeTask task) {
        ProbeParams.requireKind(task, ProbeKind.SIP);
        return of(task.params(), task.timeout());
    }

    /** @throws MalformedParamException naming the field and value */
    public static SipParams of(Map<String, String> params, Duration timeout) {
        ParamReader in = new ParamReader(ProbeKind.SIP, params);
        SipParams p = new SipParams(in.choice(TRANSPORT, Transport.values()), in.choice(CHECK, Check.HAIRPIN),
                ServerName.read(in, SNI), in.optionalFlag(SDP), in.integer(ATTEMPTS, 1, UdpParams.MAX_ATTEMPTS),
                in.flag(RESPONDER), in.timeout(timeout));
        in.rejectOthers();
        return p;
    }

    public Transport transportOrDefault() {
        return transport == null ? Transport.UDP : transport;
    }

    /** The port to send to: the task's, else 5061 over tls and 5060 otherwise. */
    public int portFor(PortRange ports) {
        return ports != null ? ports.first() : transportOrDefault() == Transport.TLS ? 5061 : 5060;
    }

    public boolean sdpOrDefault() {
        return sdp == null || sdp;
    }

    public int attemptsOrDefault() {
        return attempts == null ? DEFAULT_ATTEMPTS : attempts;
    }

    /** Over tls, the name to send to {@code target}; null otherwise or for an address without {@code sni}. */
    public String serverName(String target) {
        return transportOrDefault() == Transport.TLS ? ServerName.forTarget(sni, target) : null;
    }

    public SipParams withSni(String value) {
        return new SipParams(transport, check, value, sdp, attempts, responder, timeout);
    }

    @Override
    public SipParams withResponder(boolean value) {
        return new SipParams(transport, check, sni, sdp, attempts, value, timeout);
    }

    @Override
    public ProbeKind kind() {
        return ProbeKind.SIP;
    }

    @Override
    public Map<String, String> toParams() {
        return new ParamWriter().choice(TRANSPORT, transport).choice(CHECK, check).text(SNI, sni).flag(SDP, sdp)
                .integer(ATTEMPTS, attempts).flag(RESPONDER, responder).map();
    }
}
