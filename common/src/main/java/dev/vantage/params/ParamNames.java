package dev.vantage.params;

import java.util.Set;

/**
 * The wire names of the {@link dev.vantage.wire.ProbeTask#params() task parameters}, defined once. The wire
 * format is a map of these names to strings (schema version 1); the records of this package are the only code
 * that reads or writes it: the planner writes every task through them, every probe reads its task through the
 * record of its kind, and a name a kind does not take makes the task malformed.
 *
 * <table>
 *   <caption>Task parameters</caption>
 *   <tr><th>name</th><th>kinds</th><th>meaning</th></tr>
 *   <tr><td>{@code transport}</td><td>sip, nat, respond</td><td>sip: {@code udp} (default), {@code tcp} or
 *       {@code tls}; nat: {@code udp} (default) or {@code tcp} for a TCP responder; respond: {@code tcp} or
 *       {@code udp}, the listener to open</td></tr>
 *   <tr><td>{@code responder}</td><td>tcp, udp, tcp-range, udp-range, sip, rtp, nat</td><td>{@code true} when a
 *       Vantage responder is expected on the far side (pre-install surveys, the NAT check): a UDP echo carrying
 *       the task's nonce proves {@code OPEN}</td></tr>
 *   <tr><td>{@code expectState}</td><td>tcp, udp, tcp-range, udp-range</td><td>{@code blocked}: the requirement
 *       is that the port must NOT be reachable from this vantage; absent means reachable</td></tr>
 *   <tr><td>{@code check}</td><td>http, tls, nat, sip and the port kinds</td><td>what to prove beyond
 *       reachability: http {@code registry} ({@code /v2/} answers 401 with the registry API header) or
 *       {@code no-proxy} (no proxy evidence: 407, {@code Via}, captive portal); tls {@code interception} (the
 *       chain must lead to a public root); nat {@code nat} (default) or {@code hairpin}; sip and the port kinds
 *       {@code hairpin} (reached from inside through the public address; recorded, the analysis judges it by the
 *       requirement)</td></tr>
 *   <tr><td>{@code record}</td><td>dns</td><td>{@code A} (default), {@code AAAA}, {@code CNAME} or {@code SRV}</td></tr>
 *   <tr><td>{@code expect}</td><td>dns</td><td>comma-separated values the answer must contain (the site's
 *       internal or external view); absent: any answer passes</td></tr>
 *   <tr><td>{@code server}</td><td>dns</td><td>resolver to ask, {@code host[:port]}; absent: the vantage's own
 *       resolver</td></tr>
 *   <tr><td>{@code sni}</td><td>tls, http (https), sip (tls)</td><td>server name to send in the TLS handshake (and,
 *       for http, in {@code Host}) and to validate the certificate against; absent: the target when it is a
 *       name</td></tr>
 *   <tr><td>{@code public}</td><td>tls</td><td>{@code true} for an external destination: its chain must lead to a
 *       public root, else it is {@code INTERCEPTED}</td></tr>
 *   <tr><td>{@code scheme}</td><td>http</td><td>{@code http} or {@code https}; absent: https on port 443, else
 *       http</td></tr>
 *   <tr><td>{@code path}</td><td>http</td><td>request path starting with {@code /}; absent: {@code /v2/} for the
 *       registry check, else {@code /}</td></tr>
 *   <tr><td>{@code siteHosts}</td><td>http</td><td>comma-separated names and addresses of the site itself, written
 *       by the planner when the destination is a role of the site: its FQDN, the names its DNS requirements check,
 *       the role's addresses and the FQDN's addresses. A redirect to one of them (or to a name below one of the
 *       names) is the site answering (port 80 sending to https on the FQDN), not a sign of a proxy or captive
 *       portal; absent: only the probed host counts as the site</td></tr>
 *   <tr><td>{@code rate}</td><td>tcp-range, udp-range, rtp</td><td>probes (ranges, default 1000, capped by the
 *       agent) or packets (rtp, default 50) per second</td></tr>
 *   <tr><td>{@code concurrency}</td><td>tcp-range, udp-range</td><td>ports in flight at once (default 100)</td></tr>
 *   <tr><td>{@code detail}</td><td>tcp-range, udp-range</td><td>{@code ports}: also report every port's outcome,
 *       not only the segments</td></tr>
 *   <tr><td>{@code attempts}</td><td>udp, udp-range, dns, sip, nat</td><td>datagrams sent before giving up
 *       (default 3 for udp and nat, 2 for the others; per port on udp-range, and 1 there for an echo without
 *       responder, which nothing but ICMP can answer; an answer that comes after a port's last attempt timed out
 *       but while the sweep still runs counts too)</td></tr>
 *   <tr><td>{@code payload}</td><td>udp, udp-range</td><td>{@code echo}, {@code sip} or {@code dns}; absent: by
 *       port</td></tr>
 *   <tr><td>{@code nonce}</td><td>udp, udp-range, rtp, nat</td><td>the nonce to send (8-32 characters of
 *       {@code [0-9A-Za-z._-]}); absent: derived from the task id plus random digits</td></tr>
 *   <tr><td>{@code sdp}</td><td>sip</td><td>{@code false} to send OPTIONS without the SDP body a SIP ALG would
 *       rewrite</td></tr>
 *   <tr><td>{@code publicAddress}</td><td>nat</td><td>with {@code check=hairpin}: the stack's public
 *       {@code ip[:port]} to reach from inside</td></tr>
 *   <tr><td>{@code duration}</td><td>rtp, respond</td><td>ISO-8601 duration (or {@code 5s}, {@code 500ms}): the
 *       RTP stream's length (default 2 s, at most 5 min), or the responder window's (default 15 min, at most
 *       24 h)</td></tr>
 *   <tr><td>{@code maxLossPct}</td><td>rtp</td><td>highest acceptable packet loss in percent (default 1)</td></tr>
 *   <tr><td>{@code maxJitterMs}</td><td>rtp</td><td>highest acceptable interarrival jitter (RFC 3550) in ms
 *       (default 30)</td></tr>
 *   <tr><td>{@code minMos}</td><td>rtp</td><td>lowest acceptable MOS estimate, E-model (default 3.6)</td></tr>
 *   <tr><td>{@code serve}</td><td>respond</td><td>what the listener does: {@code accept} (TCP accept, identifying
 *       line), {@code echo} (UDP nonce echo), {@code sip} (SIP UAS answering OPTIONS, and nonce echo on UDP),
 *       {@code rtp} (RTP reflector, and nonce echo), {@code nat} (reports the source address it saw)</td></tr>
 *   <tr><td>{@code requirements}</td><td>respond</td><td>comma-separated ids of the requirements the window serves
 *       (one listener may serve several; the task's {@code requirementId} is the first)</td></tr>
 *   <tr><td>{@code freeOnly}</td><td>respond</td><td>{@code true}: take only the ports no other process holds,
 *       skip (and report) the others; after installation, beside the real services (the survey's media
 *       option). Absent: every port or none</td></tr>
 * </table>
 *
 * <p>The task's own {@code timeout} is not a parameter; when a task has none, a probe uses
 * {@link DefaultTimeouts}, the table the planner uses too.
 */
public final class ParamNames {
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
    public static final String SITE_HOSTS = "siteHosts";
    public static final String RATE = "rate";
    public static final String CONCURRENCY = "concurrency";
    public static final String DETAIL = "detail";
    public static final String ATTEMPTS = "attempts";
    public static final String PAYLOAD = "payload";
    public static final String NONCE = "nonce";
    public static final String SDP = "sdp";
    public static final String PUBLIC_ADDRESS = "publicAddress";
    public static final String DURATION = "duration";
    public static final String MAX_LOSS_PCT = "maxLossPct";
    public static final String MAX_JITTER_MS = "maxJitterMs";
    public static final String MIN_MOS = "minMos";
    public static final String SERVE = "serve";
    public static final String REQUIREMENTS = "requirements";
    public static final String FREE_ONLY = "freeOnly";

    /**
     * Parameters a catalog may set on a probe (each only on the kinds that take it); the others are the
     * planner's, computed from the site and the requirement, or knobs for the {@code probe} command.
     */
    public static final Set<String> CATALOG_SETTABLE = Set.of(TRANSPORT, CHECK, RECORD, SNI, SCHEME, PATH, RATE,
            CONCURRENCY, DURATION, MAX_LOSS_PCT, MAX_JITTER_MS, MIN_MOS);

    private ParamNames() {
    }
}
