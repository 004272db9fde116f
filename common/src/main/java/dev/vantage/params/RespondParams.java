package dev.vantage.params;

import dev.vantage.wire.ProbeKind;
import dev.vantage.wire.ProbeTask;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import static dev.vantage.params.ParamNames.DURATION;
import static dev.vantage.params.ParamNames.FREE_ONLY;
import static dev.vantage.params.ParamNames.REQUIREMENTS;
import static dev.vantage.params.ParamNames.SERVE;
import static dev.vantage.params.ParamNames.TRANSPORT;

/**
 * Parameters of a {@code respond} task: a responder window on the task's ports.
 *
 * @param transport    tcp or udp; null for tcp when the listener accepts, udp otherwise
 * @param serve        what the listener does; null for accept
 * @param duration     the window's length, null for 15 minutes; at most 24 hours
 * @param requirements the requirements the window serves (one listener may serve several)
 * @param freeOnly     take only the ports no other process holds and report the others as skipped (after
 *                     installation, beside the real services: the survey's media option); false: every port or
 *                     none
 * @param timeout      the task's timeout (the planner sets the window)
 */
public record RespondParams(Transport transport, Serve serve, Duration duration, List<String> requirements,
                            boolean freeOnly, Duration timeout) implements ProbeParams {
    /** How long a responder window stays open unless the task says otherwise. */
    public static final Duration DEFAULT_WINDOW = Duration.ofMinutes(15);
    public static final Duration MAX_WINDOW = Duration.ofHours(24);

    /**
     * Parameter {@code serve}: what a listener does. A later constant does everything an earlier one on the same
     * transport does, so one listener serving several requirements serves the latest of theirs.
     */
    public enum Serve implements Choice {
        /** TCP accept, then an identifying line naming the source it saw. */
        ACCEPT,
        /** UDP nonce echo. */
        ECHO,
        /** SIP UAS answering OPTIONS (and nonce echo on UDP). */
        SIP,
        /** RTP reflector (and nonce echo). */
        RTP,
        /** Reports the source address it saw. */
        NAT;

        @Override
        public String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public RespondParams {
        requirements = requirements == null ? List.of() : List.copyOf(requirements);
    }

    /** @throws MalformedParamException naming the field and value */
    public static RespondParams read(ProbeTask task) {
        ProbeParams.requireKind(task, ProbeKind.RESPOND);
        return of(task.params(), task.timeout());
    }

    /** @throws MalformedParamException naming the field and value */
    public static RespondParams of(Map<String, String> params, Duration timeout) {
        ParamReader in = new ParamReader(ProbeKind.RESPOND, params);
        RespondParams p = new RespondParams(in.choice(TRANSPORT, Transport.TCP, Transport.UDP),
                in.choice(SERVE, Serve.values()), in.duration(DURATION, MAX_WINDOW, "the " + MAX_WINDOW + " a window may last"),
                in.list(REQUIREMENTS), in.flag(FREE_ONLY), in.timeout(timeout));
        in.rejectOthers();
        return p;
    }

    public Serve serveOrDefault() {
        return serve == null ? Serve.ACCEPT : serve;
    }

    public Transport transportOrDefault() {
        return transport != null ? transport : serveOrDefault() == Serve.ACCEPT ? Transport.TCP : Transport.UDP;
    }

    public Duration durationOrDefault() {
        return duration == null ? DEFAULT_WINDOW : duration;
    }

    @Override
    public ProbeKind kind() {
        return ProbeKind.RESPOND;
    }

    @Override
    public Map<String, String> toParams() {
        return new ParamWriter().choice(TRANSPORT, transport).choice(SERVE, serve).duration(DURATION, duration)
                .list(REQUIREMENTS, requirements).flag(FREE_ONLY, freeOnly).map();
    }
}
