package dev.vantage.params;

import dev.vantage.wire.ProbeKind;
import dev.vantage.wire.ProbeTask;

import java.time.Duration;
import java.util.Map;

import static dev.vantage.params.ParamNames.DURATION;
import static dev.vantage.params.ParamNames.MAX_JITTER_MS;
import static dev.vantage.params.ParamNames.MAX_LOSS_PCT;
import static dev.vantage.params.ParamNames.MIN_MOS;
import static dev.vantage.params.ParamNames.NONCE;
import static dev.vantage.params.ParamNames.RATE;
import static dev.vantage.params.ParamNames.RESPONDER;

/**
 * Parameters of an {@code rtp} task: a paced stream to a reflector and the thresholds it must meet.
 *
 * @param duration    the stream's length, null for 2 s; at most 5 minutes
 * @param rate        packets per second, null for 50
 * @param maxLossPct  highest acceptable loss in percent, null for 1
 * @param maxJitterMs highest acceptable jitter in ms, null for 30
 * @param minMos      lowest acceptable MOS estimate, null for 3.6
 * @param nonce       the nonce to send, null for one derived from the task
 * @param responder   the far side is a Vantage responder (its reflector)
 * @param timeout     how long to wait for reflections after the last packet
 */
public record RtpParams(Duration duration, Integer rate, Double maxLossPct, Double maxJitterMs, Double minMos,
                        String nonce, boolean responder, Duration timeout) implements ResponderAware {
    public static final Duration DEFAULT_DURATION = Duration.ofSeconds(2);
    public static final Duration MAX_DURATION = Duration.ofMinutes(5);
    public static final int DEFAULT_RATE = 50;
    public static final double DEFAULT_MAX_LOSS_PCT = 1.0;
    public static final double DEFAULT_MAX_JITTER_MS = 30.0;
    public static final double DEFAULT_MIN_MOS = 3.6;

    /** @throws MalformedParamException naming the field and value */
    public static RtpParams read(ProbeTask task) {
        ProbeParams.requireKind(task, ProbeKind.RTP);
        return of(task.params(), task.timeout());
    }

    /** @throws MalformedParamException naming the field and value */
    public static RtpParams of(Map<String, String> params, Duration timeout) {
        ParamReader in = new ParamReader(ProbeKind.RTP, params);
        RtpParams p = new RtpParams(in.duration(DURATION, MAX_DURATION, "the 5 minutes an RTP probe may run"),
                in.integer(RATE, 1, 1000), in.number(MAX_LOSS_PCT, 0, 100), in.number(MAX_JITTER_MS, 0, 60_000),
                in.number(MIN_MOS, 0, 5), in.nonce(NONCE), in.flag(RESPONDER), in.timeout(timeout));
        in.rejectOthers();
        return p;
    }

    public Duration durationOrDefault() {
        return duration == null ? DEFAULT_DURATION : duration;
    }

    public int rateOrDefault() {
        return rate == null ? DEFAULT_RATE : rate;
    }

    public double maxLossPctOrDefault() {
        return maxLossPct == null ? DEFAULT_MAX_LOSS_PCT : maxLossPct;
    }

    public double maxJitterMsOrDefault() {
        return maxJitterMs == null ? DEFAULT_MAX_JITTER_MS : maxJitterMs;
    }

    public double minMosOrDefault() {
        return minMos == null ? DEFAULT_MIN_MOS : minMos;
    }

    @Override
    public RtpParams withResponder(boolean value) {
        return new RtpParams(duration, rate, maxLossPct, maxJitterMs, minMos, nonce, value, timeout);
    }

    @Override
    public ProbeKind kind() {
        return ProbeKind.RTP;
    }

    @Override
    public Map<String, String> toParams() {
        return new ParamWriter().duration(DURATION, duration).integer(RATE, rate).number(MAX_LOSS_PCT, maxLossPct)
                .number(MAX_JITTER_MS, maxJitterMs).number(MIN_MOS, minMos).text(NONCE, nonce)
                .flag(RESPONDER, responder).map();
    }
}
