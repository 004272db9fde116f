package dev.vantage.agent.probe;

import dev.vantage.params.DnsParams;
import dev.vantage.params.HttpParams;
import dev.vantage.params.MalformedParamException;
import dev.vantage.params.NatParams;
import dev.vantage.params.ProbeParams;
import dev.vantage.params.RespondParams;
import dev.vantage.params.RtpParams;
import dev.vantage.params.SipParams;
import dev.vantage.params.TcpParams;
import dev.vantage.params.TcpRangeParams;
import dev.vantage.params.Transport;
import dev.vantage.params.UdpParams;
import dev.vantage.params.UdpRangeParams;
import dev.vantage.wire.ProbeTask;

import java.time.Duration;

/**
 * How long a run of a task may take at most: the sum of the waits its probe makes one after the other, each
 * bounded by the task's timeout {@code t}. Probes end by it on their own ({@link Deadline}); the
 * {@link TaskWatchdog} stops a run that does not.
 *
 * <table>
 *   <caption>Budget per kind (every kind but respond adds one {@code t} for looking up a name in the system
 *   resolver)</caption>
 *   <tr><th>kind</th><th>budget</th></tr>
 *   <tr><td>tcp</td><td>{@code t} connect, {@code t} more for the responder's line</td></tr>
 *   <tr><td>udp, sip over udp, nat over udp</td><td>{@code t x attempts}</td></tr>
 *   <tr><td>tcp-range, udp-range</td><td>{@code ports x attempts / rate} (sending) + {@code ceil(ports / concurrency)
 *       x attempts x t} (waiting, a slot at a time) + {@code attempts x t} (the last port); tcp makes one
 *       attempt</td></tr>
 *   <tr><td>dns</td><td>{@code t x attempts} over UDP, {@code 2t} for the TCP fallback (connect, answer)</td></tr>
 *   <tr><td>tls, ssh, sip over tcp, nat over tcp, http</td><td>{@code 2t}: connect, then handshake or answer</td></tr>
 *   <tr><td>https, sip over tls</td><td>{@code 3t}: connect, handshake, answer</td></tr>
 *   <tr><td>rtp</td><td>the stream's duration + {@code t} for the last reflections</td></tr>
 *   <tr><td>respond</td><td>the window + 10 s to take over ports a window of the previous survey still
 *       holds</td></tr>
 * </table>
 */
public final class TaskBudget {
    /** How long a respond task waits for the ports of a window it supersedes. */
    private static final Duration TAKEOVER = Duration.ofSeconds(10);
    /** For a task whose parameters are malformed: its probe refuses it at once. */
    private static final Duration MALFORMED = Duration.ofSeconds(10);

    private TaskBudget() {
    }

    /** The budget of {@code task}, as its probe reads the task (defaults included). */
    public static Duration of(ProbeTask task) {
        ProbeParams params;
        try {
            params = ProbeParams.read(task);
        } catch (MalformedParamException | IllegalArgumentException e) {
            return MALFORMED;
        }
        if (params instanceof RespondParams p) {
            // a respond task's timeout is its window; it looks nothing up
            return p.durationOrDefault().plus(TAKEOVER);
        }
        Duration t = params.timeout();
        return t.plus(waits(task, params, t));
    }

    private static Duration waits(ProbeTask task, ProbeParams params, Duration t) {
        if (params instanceof TcpParams p) {
            return t.multipliedBy(p.responder() ? 2 : 1);
        }
        if (params instanceof UdpParams p) {
            return t.multipliedBy(p.attemptsOrDefault());
        }
        if (params instanceof TcpRangeParams p) {
            return sweep(task, p.rateOrDefault(), p.concurrencyOrDefault(), 1, t);
        }
        if (params instanceof UdpRangeParams p) {
            UdpPayload payload = UdpRangeProbe.payload(p, task.ports() == null ? 0 : task.ports().first());
            return sweep(task, p.rateOrDefault(), p.concurrencyOrDefault(), UdpRangeProbe.attempts(p, payload), t);
        }
        if (params instanceof DnsParams p) {
            return t.multipliedBy(p.attemptsOrDefault() + 2L);
        }
        if (params instanceof HttpParams p) {
            return t.multipliedBy(p.schemeFor(task.ports()) == HttpParams.Scheme.HTTPS ? 3 : 2);
        }
        if (params instanceof SipParams p) {
            return switch (p.transportOrDefault()) {
                case UDP -> t.multipliedBy(p.attemptsOrDefault());
                case TCP -> t.multipliedBy(2);
                case TLS -> t.multipliedBy(3);
            };
        }
        if (params instanceof RtpParams p) {
            return p.durationOrDefault().plus(t);
        }
        if (params instanceof NatParams p) {
            return p.transportOrDefault() == Transport.TCP ? t.multipliedBy(2) : t.multipliedBy(p.attemptsOrDefault());
        }
        // tls, ssh: connect, then the handshake or the banner
        return t.multipliedBy(2);
    }

    private static Duration sweep(ProbeTask task, int rate, int concurrency, int attempts, Duration t) {
        long ports = task.ports() == null ? 1 : task.ports().size();
        Duration sending = Duration.ofNanos(ports * attempts * 1_000_000_000L / Math.max(1, rate));
        long rounds = (ports + concurrency - 1) / Math.max(1, concurrency);
        return sending.plus(t.multipliedBy(rounds * attempts)).plus(t.multipliedBy(attempts));
    }
}
