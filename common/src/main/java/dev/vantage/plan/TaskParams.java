package dev.vantage.plan;

import java.util.Set;

/**
 * The names of the {@link dev.vantage.wire.ProbeTask#params() task parameters} the planner writes.
 * This is the one place they are defined; probes read them by these constants. Every value is a string.
 *
 * <table>
 *   <caption>Task parameters</caption>
 *   <tr><th>name</th><th>kinds</th><th>meaning</th></tr>
 *   <tr><td>{@code transport}</td><td>sip, respond, nat</td><td>sip: {@code udp}, {@code tcp} or {@code tls}; nat: {@code tcp} for a TCP responder;
 *       respond: {@code tcp} or {@code udp}, the listener to open</td></tr>
 *   <tr><td>{@code responder}</td><td>all port kinds</td><td>{@code true} when a Vantage responder is expected on the
 *       far side (pre-install surveys, the NAT check): a UDP echo carrying the task's nonce proves {@code OPEN}</td></tr>
 *   <tr><td>{@code expectState}</td><td>tcp, udp, tcp-range, udp-range</td><td>{@code blocked}: the requirement is
 *       that the port must NOT be reachable from this vantage; absent means reachable</td></tr>
 *   <tr><td>{@code check}</td><td>http, tcp, sip, tls</td><td>what to prove beyond reachability: {@code registry}
 *       (HTTP {@code /v2/} answers 401 with the registry API header), {@code no-proxy} (no proxy evidence:
 *       407, {@code Via}, captive portal), {@code hairpin} (reached from inside through the public address),
 *       {@code interception} (the chain must lead to a public root)</td></tr>
 *   <tr><td>{@code record}</td><td>dns</td><td>{@code A}, {@code AAAA}, {@code CNAME} or {@code SRV}</td></tr>
 *   <tr><td>{@code expect}</td><td>dns</td><td>comma-separated addresses the answer must contain (the site's internal or
 *       external view); absent: any answer passes</td></tr>
 *   <tr><td>{@code server}</td><td>dns</td><td>resolver address to ask; absent: the vantage's own resolver</td></tr>
 *   <tr><td>{@code sni}</td><td>tls, http, sip (tls)</td><td>server name to send and to validate the certificate against</td></tr>
 *   <tr><td>{@code public}</td><td>tls</td><td>{@code true} for an external destination: its chain must lead to a public root, else it is {@code INTERCEPTED}</td></tr>
 *   <tr><td>{@code scheme}</td><td>http</td><td>{@code http} or {@code https}</td></tr>
 *   <tr><td>{@code path}</td><td>http</td><td>request path, e.g. {@code /v2/}</td></tr>
 *   <tr><td>{@code rate}</td><td>tcp-range, udp-range, rtp</td><td>probes (ranges) or packets (rtp) per second, upper bound</td></tr>
 *   <tr><td>{@code concurrency}</td><td>tcp-range, udp-range</td><td>ports in flight at once, upper bound</td></tr>
 *   <tr><td>{@code duration}</td><td>rtp, respond</td><td>ISO-8601 duration: length of the RTP stream, or of the
 *       responder window</td></tr>
 *   <tr><td>{@code maxLossPct}</td><td>rtp</td><td>highest acceptable packet loss in percent</td></tr>
 *   <tr><td>{@code maxJitterMs}</td><td>rtp</td><td>highest acceptable interarrival jitter (RFC 3550) in ms</td></tr>
 *   <tr><td>{@code minMos}</td><td>rtp</td><td>lowest acceptable MOS estimate (E-model)</td></tr>
 *   <tr><td>{@code serve}</td><td>respond</td><td>what the listener does: {@code accept} (TCP accept, identifying line),
 *       {@code echo} (UDP nonce echo), {@code sip} (SIP UAS answering OPTIONS, and nonce echo on UDP),
 *       {@code rtp} (RTP reflector, and nonce echo), {@code nat} (reports the source address it saw)</td></tr>
 *   <tr><td>{@code requirements}</td><td>respond</td><td>comma-separated ids of the requirements the window serves
 *       (one listener may serve several; the task's {@code requirementId} is the first)</td></tr>
 * </table>
 */
public final class TaskParams {
    public static final String TRANSPORT = "transport";
    public static final String RESPONDER = "responder";
    public static final String EXPECT_STATE = "expectState";
    public static final String CHECK = "check";
    public static final String RECORD = "record";
    public static final String EXPECT = "expect";
    public static final String SERVER = "server";
    public static final String SNI = "sni";
    public static final String PUBLIC = "public";
    public static final String SCHEME = "scheme";
    public static final String PATH = "path";
    public static final String RATE = "rate";
    public static final String CONCURRENCY = "concurrency";
    public static final String DURATION = "duration";
    public static final String MAX_LOSS_PCT = "maxLossPct";
    public static final String MAX_JITTER_MS = "maxJitterMs";
    public static final String MIN_MOS = "minMos";
    public static final String SERVE = "serve";
    public static final String REQUIREMENTS = "requirements";

    /** Parameters a catalog may set on a probe; the others are computed by the planner. */
    public static final Set<String> CATALOG_SETTABLE = Set.of(TRANSPORT, CHECK, RECORD, SNI, SCHEME, PATH, RATE,
            CONCURRENCY, DURATION, MAX_LOSS_PCT, MAX_JITTER_MS, MIN_MOS);

    private TaskParams() {
    }
}
