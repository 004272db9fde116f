package dev.vantage.params;

import dev.vantage.wire.ProbeKind;
import dev.vantage.wire.ProbeTask;

import java.time.Duration;
import java.util.Map;

import static dev.vantage.params.ParamNames.ATTEMPTS;
import static dev.vantage.params.ParamNames.EXPECT_STATE;
import static dev.vantage.params.ParamNames.NONCE;
import static dev.vantage.params.ParamNames.PAYLOAD;
import static dev.vantage.params.ParamNames.RESPONDER;

/**
 * Parameters of a {@code udp} task.
 *
 * @param responder   the far side is a Vantage responder: only its echo of the nonce proves {@code OPEN}
 * @param expectState whether the requirement wants the port reachable or blocked
 * @param attempts    datagrams to send, null for 3
 * @param payload     what to send, null to choose by port
 * @param nonce       the nonce to send, null for one derived from the task
 * @param timeout     how long to wait for an answer to each datagram
 */
public record UdpParams(boolean responder, ExpectState expectState, Integer attempts, Payload payload, String nonce,
                        Duration timeout) implements PortParams {
    public static final int DEFAULT_ATTEMPTS = 3;
    static final int MAX_ATTEMPTS = 10;

    public UdpParams {
        expectState = expectState == null ? ExpectState.REACHABLE : expectState;
    }

    /** @throws MalformedParamException naming the field and value */
    public static UdpParams read(ProbeTask task) {
        ProbeParams.requireKind(task, ProbeKind.UDP);
        return of(task.params(), task.timeout());
    }

    /** @throws MalformedParamException naming the field and value */
    public static UdpParams of(Map<String, String> params, Duration timeout) {
        ParamReader in = new ParamReader(ProbeKind.UDP, params);
        UdpParams p = new UdpParams(in.flag(RESPONDER), in.choice(EXPECT_STATE, ExpectState.values()),
                in.integer(ATTEMPTS, 1, MAX_ATTEMPTS), in.choice(PAYLOAD, Payload.values()), in.nonce(NONCE),
                in.timeout(timeout));
        in.rejectOthers();
        return p;
    }

    public int attemptsOrDefault() {
        return attempts == null ? DEFAULT_ATTEMPTS : attempts;
    }

    @Override
    public ProbeKind kind() {
        return ProbeKind.UDP;
    }

    @Override
    public Map<String, String> toParams() {
        return new ParamWriter().flag(RESPONDER, responder)
                .expectState(EXPECT_STATE, expectState)
                .integer(ATTEMPTS, attempts).choice(PAYLOAD, payload).text(NONCE, nonce).map();
    }

    @Override
    public UdpParams withResponder(boolean value) {
        return new UdpParams(value, expectState, attempts, payload, nonce, timeout);
    }

    @Override
    public UdpParams withExpectState(ExpectState value) {
        return new UdpParams(responder, value, attempts, payload, nonce, timeout);
    }
}
