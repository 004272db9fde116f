package dev.vantage.params;

import dev.vantage.wire.ProbeKind;
import dev.vantage.wire.ProbeTask;

import java.time.Duration;
import java.util.Map;

/**
 * The typed parameters of one task: one record per probe kind ({@link TcpParams}, {@link HttpParams}, ...),
 * written by the planner and read by the probe of that kind through the same type.
 *
 * <p>On the wire a task carries its parameters as a map of {@link ParamNames names} to strings; a record reads
 * that map once, checking every value and refusing names its kind does not take, and writes it back in one
 * spelling ({@link #toParams()}). A component that is absent on the wire is null (or false, or empty) in the
 * record, so reading and writing a valid map gives the same map, and the {@code ...OrDefault()} methods give
 * the value the probe uses. The task's timeout is part of the record: the task's own, else
 * {@link DefaultTimeouts}.
 */
public interface ProbeParams {

    ProbeKind kind();

    /** The per-attempt timeout (for {@code respond}: the window); never null. */
    Duration timeout();

    /** The wire form: only the parameters that are set, in their one spelling. */
    Map<String, String> toParams();

    /**
     * The task's parameters as the record of its kind.
     *
     * @throws MalformedParamException naming the field and value when a parameter is unknown to the kind or
     *                                 malformed, or the timeout is not positive
     * @throws IllegalArgumentException for a {@code close} task, which has no parameters
     */
    static ProbeParams read(ProbeTask task) {
        return of(task.kind(), task.params(), task.timeout());
    }

    /**
     * Parameters of a kind from their wire form (a catalog's probe, the {@code probe} command's options).
     *
     * @param timeout the task's timeout, null for the kind's default
     * @throws MalformedParamException naming the field and value as {@link #read} does
     */
    static ProbeParams of(ProbeKind kind, Map<String, String> params, Duration timeout) {
        return switch (kind) {
            case TCP -> TcpParams.of(params, timeout);
            case UDP -> UdpParams.of(params, timeout);
            case TCP_RANGE -> TcpRangeParams.of(params, timeout);
            case UDP_RANGE -> UdpRangeParams.of(params, timeout);
            case DNS -> DnsParams.of(params, timeout);
            case TLS -> TlsParams.of(params, timeout);
            case HTTP -> HttpParams.of(params, timeout);
            case SSH -> SshParams.of(params, timeout);
            case SIP -> SipParams.of(params, timeout);
            case RTP -> RtpParams.of(params, timeout);
            case NAT -> NatParams.of(params, timeout);
            case RESPOND -> RespondParams.of(params, timeout);
            case CLOSE -> throw new IllegalArgumentException("close tasks carry no parameters");
        };
    }

    /** True when tasks of the kind take {@code responder}: the kinds a responder window can answer. */
    static boolean takesResponder(ProbeKind kind) {
        return !kind.control() && of(kind, Map.of(), null) instanceof ResponderAware;
    }

    /** True when tasks of the kind take {@code expectState}: the kinds that can prove a port is blocked. */
    static boolean takesExpectState(ProbeKind kind) {
        return !kind.control() && of(kind, Map.of(), null) instanceof PortParams;
    }

    /** Checks that a task is of the kind a record reads; anything else is a bug in the caller. */
    static ProbeTask requireKind(ProbeTask task, ProbeKind kind) {
        if (task.kind() != kind) {
            throw new IllegalArgumentException("a " + task.kind().wireName() + " task read as " + kind.wireName());
        }
        return task;
    }
}
