package dev.vantage.params;

import dev.vantage.wire.ProbeKind;
import dev.vantage.wire.ProbeTask;

import java.time.Duration;
import java.util.Map;

import static dev.vantage.params.ParamNames.CHECK;
import static dev.vantage.params.ParamNames.CONCURRENCY;
import static dev.vantage.params.ParamNames.DETAIL;
import static dev.vantage.params.ParamNames.EXPECT_STATE;
import static dev.vantage.params.ParamNames.RATE;
import static dev.vantage.params.ParamNames.RESPONDER;

/**
 * Parameters of a {@code tcp-range} task: a connect sweep.
 *
 * @param responder   the far side is a Vantage responder
 * @param expectState whether the requirement wants the ports reachable or blocked
 * @param check       {@link Check#HAIRPIN} when the range is reached through the public address from inside
 *                    (recorded); null otherwise
 * @param rate        connects per second, null for {@value RangeParams#DEFAULT_RATE}
 * @param concurrency ports in flight, null for {@value RangeParams#DEFAULT_CONCURRENCY}
 * @param perPort     also report every port's outcome ({@code detail=ports})
 * @param timeout     how long each handshake may take
 */
public record TcpRangeParams(boolean responder, ExpectState expectState, Check check, Integer rate,
                             Integer concurrency, boolean perPort, Duration timeout) implements RangeParams {

    public TcpRangeParams {
        expectState = expectState == null ? ExpectState.REACHABLE : expectState;
    }

    /** @throws MalformedParamException naming the field and value */
    public static TcpRangeParams read(ProbeTask task) {
        ProbeParams.requireKind(task, ProbeKind.TCP_RANGE);
        return of(task.params(), task.timeout());
    }

    /** @throws MalformedParamException naming the field and value */
    public static TcpRangeParams of(Map<String, String> params, Duration timeout) {
        ParamReader in = new ParamReader(ProbeKind.TCP_RANGE, params);
        TcpRangeParams p = new TcpRangeParams(in.flag(RESPONDER), in.choice(EXPECT_STATE, ExpectState.values()),
                in.choice(CHECK, Check.HAIRPIN), in.integer(RATE, 1, MAX_RATE),
                in.integer(CONCURRENCY, 1, MAX_CONCURRENCY), perPort(in), in.timeout(timeout));
        in.rejectOthers();
        return p;
    }

    /** {@code detail=ports}: true; {@code detail=segments} or absent: false. */
    static boolean perPort(ParamReader in) {
        String detail = in.text(DETAIL);
        if (detail == null || detail.equalsIgnoreCase("segments")) {
            return false;
        }
        if (detail.equalsIgnoreCase("ports")) {
            return true;
        }
        throw in.bad(DETAIL, detail, "expected ports or segments");
    }

    public int concurrencyOrDefault() {
        return concurrency == null ? DEFAULT_CONCURRENCY : concurrency;
    }

    @Override
    public ProbeKind kind() {
        return ProbeKind.TCP_RANGE;
    }

    @Override
    public Map<String, String> toParams() {
        return new ParamWriter().flag(RESPONDER, responder)
                .expectState(EXPECT_STATE, expectState).choice(CHECK, check)
                .integer(RATE, rate).integer(CONCURRENCY, concurrency).text(DETAIL, perPort ? "ports" : null).map();
    }

    @Override
    public TcpRangeParams withResponder(boolean value) {
        return new TcpRangeParams(value, expectState, check, rate, concurrency, perPort, timeout);
    }

    @Override
    public TcpRangeParams withExpectState(ExpectState value) {
        return new TcpRangeParams(responder, value, check, rate, concurrency, perPort, timeout);
    }

    @Override
    public TcpRangeParams withRate(int value) {
        return new TcpRangeParams(responder, expectState, check, value, concurrency, perPort, timeout);
    }
}
