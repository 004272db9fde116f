package dev.vantage.params;

import dev.vantage.wire.ProbeKind;
import dev.vantage.wire.ProbeTask;

import java.time.Duration;
import java.util.Map;

import static dev.vantage.params.ParamNames.ATTEMPTS;
import static dev.vantage.params.ParamNames.CHECK;
import static dev.vantage.params.ParamNames.NONCE;
import static dev.vantage.params.ParamNames.PUBLIC_ADDRESS;
import static dev.vantage.params.ParamNames.RESPONDER;
import static dev.vantage.params.ParamNames.TRANSPORT;

/**
 * Parameters of a {@code nat} task, against a responder that reports the source it saw.
 *
 * @param check         {@link Check#NAT} (null means the same) or {@link Check#HAIRPIN}: reach the stack from
 *                      inside through {@code publicAddress}
 * @param transport     udp (null means the same: the responder's echo) or tcp (its accept line)
 * @param publicAddress with the hairpin check, the stack's public {@code ip[:port]}; required there
 * @param attempts      UDP sends, null for 3
 * @param nonce         the nonce to send, null for one derived from the task
 * @param responder     the far side is a Vantage responder (always, for this kind)
 * @param timeout       how long to wait for each answer
 */
public record NatParams(Check check, Transport transport, String publicAddress, Integer attempts, String nonce,
                        boolean responder, Duration timeout) implements ResponderAware {
    public static final int DEFAULT_ATTEMPTS = 3;

    /** @throws MalformedParamException naming the field and value */
    public static NatParams read(ProbeTask task) {
        ProbeParams.requireKind(task, ProbeKind.NAT);
        return of(task.params(), task.timeout());
    }

    /** @throws MalformedParamException naming the field and value */
    public static NatParams of(Map<String, String> params, Duration timeout) {
        ParamReader in = new ParamReader(ProbeKind.NAT, params);
        Check check = in.choice(CHECK, Check.NAT, Check.HAIRPIN);
        Transport transport = in.choice(TRANSPORT, Transport.UDP, Transport.TCP);
        String publicAddress = in.text(PUBLIC_ADDRESS);
        if (check == Check.HAIRPIN && publicAddress == null) {
            throw in.bad(PUBLIC_ADDRESS, null, "check=hairpin needs the stack's public ip[:port] to reach from inside");
        }
        NatParams p = new NatParams(check, transport, publicAddress, in.integer(ATTEMPTS, 1, UdpParams.MAX_ATTEMPTS),
                in.nonce(NONCE), in.flag(RESPONDER), in.timeout(timeout));
        in.rejectOthers();
        return p;
    }

    public boolean hairpin() {
        return check == Check.HAIRPIN;
    }

    public Transport transportOrDefault() {
        return transport == null ? Transport.UDP : transport;
    }

    public int attemptsOrDefault() {
        return attempts == null ? DEFAULT_ATTEMPTS : attempts;
    }

    @Override
    public NatParams withResponder(boolean value) {
        return new NatParams(check, transport, publicAddress, attempts, nonce, value, timeout);
    }

    @Override
    public ProbeKind kind() {
        return ProbeKind.NAT;
    }

    @Override
    public Map<String, String> toParams() {
        return new ParamWriter().choice(CHECK, check).choice(TRANSPORT, transport).text(PUBLIC_ADDRESS, publicAddress)
                .integer(ATTEMPTS, attempts).text(NONCE, nonce).flag(RESPONDER, responder).map();
    }
}
