package dev.vantage.params;

import dev.vantage.wire.ProbeKind;
import dev.vantage.wire.ProbeTask;

import java.time.Duration;
import java.util.Map;

import static dev.vantage.params.ParamNames.EXPECT_STATE;
import static dev.vantage.params.ParamNames.RESPONDER;

/**
 * Parameters of a {@code tcp} task.
 *
 * @param responder   the far side is a Vantage responder: read its identifying line as evidence
 * @param expectState whether the requirement wants the port reachable or blocked
 * @param timeout     how long the handshake may take
 */
public record TcpParams(boolean responder, ExpectState expectState, Duration timeout) implements PortParams {

    public TcpParams {
        expectState = expectState == null ? ExpectState.REACHABLE : expectState;
    }

    /** @throws MalformedParamException naming the field and value */
    public static TcpParams read(ProbeTask task) {
        ProbeParams.requireKind(task, ProbeKind.TCP);
        return of(task.params(), task.timeout());
    }

    /** @throws MalformedParamException naming the field and value */
    public static TcpParams of(Map<String, String> params, Duration timeout) {
        ParamReader in = new ParamReader(ProbeKind.TCP, params);
        TcpParams p = new TcpParams(in.flag(RESPONDER), in.choice(EXPECT_STATE, ExpectState.values()),
                in.timeout(timeout));
        in.rejectOthers();
        return p;
    }

    @Override
    public ProbeKind kind() {
        return ProbeKind.TCP;
    }

    @Override
    public Map<String, String> toParams() {
        return new ParamWriter().flag(RESPONDER, responder)
                .expectState(EXPECT_STATE, expectState).map();
    }

    @Override
    public TcpParams withResponder(boolean value) {
        return new TcpParams(value, expectState, timeout);
    }

    @Override
    public TcpParams withExpectState(ExpectState value) {
        return new TcpParams(responder, value, timeout);
    }
}
