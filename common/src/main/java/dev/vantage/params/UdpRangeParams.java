package dev.vantage.params;

import dev.vantage.wire.ProbeKind;
import dev.vantage.wire.ProbeTask;

import java.time.Duration;
import java.util.Map;

import static dev.vantage.params.ParamNames.ATTEMPTS;
import static dev.vantage.params.ParamNames.CHECK;
import static dev.vantage.params.ParamNames.CONCURRENCY;
import static dev.vantage.params.ParamNames.DETAIL;
import static dev.vantage.params.ParamNames.EXPECT_STATE;
import static dev.vantage.params.ParamNames.NONCE;
import static dev.vantage.params.ParamNames.PAYLOAD;
import static dev.vantage.params.ParamNames.RATE;
import static dev.vantage.params.ParamNames.RESPONDER;

/**
 * Parameters of a {@code udp-range} task: a datagram sweep.
 *
 * @param responder   the far side is a Vantage responder: only ports that echo the nonce are {@code OPEN}
 * @param expectState whether the requirement wants the ports reachable or blocked
 * @param check       {@link Check#HAIRPIN} when the range is reached through the public address from inside
 *                    (recorded); null otherwise
 * @param rate        datagrams per second, null for {@value RangeParams#DEFAULT_RATE}
 * @param concurrency ports in flight, null for {@value RangeParams#DEFAULT_CONCURRENCY}
 * @param perPort     also report every port's outcome ({@code detail=ports})
 * @param attempts    datagrams per port, null for the default ({@link #attemptsOrDefault(boolean)})
 * @param payload     what to send, null to choose by the first port
 * @param nonce       the nonce to send, null for one derived from the task
 * @param timeout     how long to wait for each port's answer
 */
public record UdpRangeParams(boolean responder, ExpectState expectState, Check check, Integer rate,
                             Integer concurrency, boolean perPort, Integer attempts, Payload payload, String nonce,
                             Duration timeout) implements RangeParams {
    public static final int DEFAULT_ATTEMPTS = 2;

    public UdpRangeParams {
        expectState = expectState == null ? ExpectState.REACHABLE : expectState;
    }

    /** @throws MalformedParamException naming the field and value */
    public static UdpRangeParams read(ProbeTask task) {
        ProbeParams.requireKind(task, ProbeKind.UDP_RANGE);
        return of(task.params(), task.timeout());
    }

    /** @throws MalformedParamException naming the field and value */
    public static UdpRangeParams of(Map<String, String> params, Duration timeout) {
        ParamReader in = new ParamReader(ProbeKind.UDP_RANGE, params);
        UdpRangeParams p = new UdpRangeParams(in.flag(RESPONDER), in.choice(EXPECT_STATE, ExpectState.values()),
                in.choice(CHECK, Check.HAIRPIN), in.integer(RATE, 1, MAX_RATE),
                in.integer(CONCURRENCY, 1, MAX_CONCURRENCY), TcpRangeParams.perPort(in),
                in.integer(ATTEMPTS, 1, UdpParams.MAX_ATTEMPTS), in.choice(PAYLOAD, Payload.values()),
                in.nonce(NONCE), in.timeout(timeout));
        in.rejectOthers();
        return p;
    }

    public int concurrencyOrDefault() {
        return concurrency == null ? DEFAULT_CONCURRENCY : concurrency;
    }

    /**
     * Datagrams per port: as written; else {@value #DEFAULT_ATTEMPTS} where something on the port may answer them (a
     * responder, a SIP stack, a resolver), so that one lost datagram does not pass for silence, and 1 where nothing
     * can (an echo sweep without responder: only ICMP comes back, which hosts rate-limit; a second datagram per port
     * doubled the sweep's time and its load on the customer's firewall for a handful more ICMP answers).
     */
    public int attemptsOrDefault(boolean answerable) {
        return attempts != null ? attempts : answerable ? DEFAULT_ATTEMPTS : 1;
    }

    @Override
    public ProbeKind kind() {
        return ProbeKind.UDP_RANGE;
    }

    @Override
    public Map<String, String> toParams() {
        return new ParamWriter().flag(RESPONDER, responder)
                .expectState(EXPECT_STATE, expectState).choice(CHECK, check)
                .integer(RATE, rate).integer(CONCURRENCY, concurrency).text(DETAIL, perPort ? "ports" : null)
                .integer(ATTEMPTS, attempts).choice(PAYLOAD, payload).text(NONCE, nonce).map();
    }

    @Override
    public UdpRangeParams withResponder(boolean value) {
        return new UdpRangeParams(value, expectState, check, rate, concurrency, perPort, attempts, payload, nonce,
                timeout);
    }

    @Override
    public UdpRangeParams withExpectState(ExpectState value) {
        return new UdpRangeParams(responder, value, check, rate, concurrency, perPort, attempts, payload, nonce,
                timeout);
    }

    @Override
    public UdpRangeParams withRate(int value) {
        return new UdpRangeParams(responder, expectState, check, value, concurrency, perPort, attempts, payload,
                nonce, timeout);
    }
}
