package dev.vantage.params;

import dev.vantage.wire.PortRange;
import dev.vantage.wire.ProbeKind;
import dev.vantage.wire.ProbeTask;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

import static dev.vantage.params.ParamNames.CHECK;
import static dev.vantage.params.ParamNames.PATH;
import static dev.vantage.params.ParamNames.SCHEME;
import static dev.vantage.params.ParamNames.SITE_HOSTS;
import static dev.vantage.params.ParamNames.SNI;

/**
 * Parameters of an {@code http} task: one GET.
 *
 * @param scheme  http or https; null for https on port 443, else http
 * @param path    the request path, starting with {@code /}; null for {@code /v2/} with the registry check,
 *                else {@code /}
 * @param check   {@link Check#REGISTRY} or {@link Check#NO_PROXY}; null to prove only that HTTP answers
 * @param sni       over https, the server name to send in the handshake and in {@code Host}; null for the target
 *                  when it is a name
 * @param siteHosts the site's own names and addresses when the destination is a role of the site (its FQDN, the
 *                  names its DNS requirements check, the role's addresses, the FQDN's addresses): a redirect to
 *                  one of them, or to a name below one of the names, is the site answering (port 80 sending to
 *                  https on its FQDN), not a proxy or captive portal; empty otherwise
 * @param timeout   how long the connect, the handshake and the answer may take
 */
public record HttpParams(Scheme scheme, String path, Check check, String sni, List<String> siteHosts,
                         Duration timeout) implements ProbeParams {
    /** A host name or an address literal, as a URL's host is compared with it. */
    private static final Pattern HOST = Pattern.compile("[0-9A-Za-z._:-]+");

    public HttpParams {
        siteHosts = siteHosts == null ? List.of() : List.copyOf(siteHosts);
    }

    /** Parameter {@code scheme}. */
    public enum Scheme implements Choice {
        HTTP(80), HTTPS(443);

        private final int defaultPort;

        Scheme(int defaultPort) {
            this.defaultPort = defaultPort;
        }

        public int defaultPort() {
            return defaultPort;
        }

        @Override
        public String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** @throws MalformedParamException naming the field and value */
    public static HttpParams read(ProbeTask task) {
        ProbeParams.requireKind(task, ProbeKind.HTTP);
        return of(task.params(), task.timeout());
    }

    /** @throws MalformedParamException naming the field and value */
    public static HttpParams of(Map<String, String> params, Duration timeout) {
        ParamReader in = new ParamReader(ProbeKind.HTTP, params);
        Scheme scheme = in.choice(SCHEME, Scheme.values());
        String path = in.text(PATH);
        // the path goes into the request line as it is: no room for a space or a line break
        if (path != null && (!path.startsWith("/") || !path.chars().allMatch(c -> c > 0x20 && c < 0x7f))) {
            throw in.bad(PATH, path, "must start with / and be printable ASCII without spaces");
        }
        Check check = in.choice(CHECK, Check.REGISTRY, Check.NO_PROXY);
        String sni = ServerName.read(in, SNI);
        List<String> siteHosts = in.list(SITE_HOSTS);
        for (String host : siteHosts) {
            if (!HOST.matcher(host).matches()) {
                throw in.bad(SITE_HOSTS, String.join(",", siteHosts), "'" + host + "' is not a host name or an IP address");
            }
        }
        HttpParams p = new HttpParams(scheme, path, check, sni, siteHosts, in.timeout(timeout));
        in.rejectOthers();
        return p;
    }

    /** The scheme to use on {@code ports}: the one set, else https on 443 and http elsewhere (or without a port). */
    public Scheme schemeFor(PortRange ports) {
        if (scheme != null) {
            return scheme;
        }
        return ports != null && ports.first() == Scheme.HTTPS.defaultPort() ? Scheme.HTTPS : Scheme.HTTP;
    }

    /** The port to connect to: the task's, else the scheme's well-known one. */
    public int portFor(PortRange ports) {
        return ports != null ? ports.first() : schemeFor(null).defaultPort();
    }

    public String pathOrDefault() {
        return path != null ? path : check == Check.REGISTRY ? "/v2/" : "/";
    }

    /** Over https, the name to send to {@code target}; null over http or for an address without {@code sni}. */
    public String serverName(String target, PortRange ports) {
        return schemeFor(ports) == Scheme.HTTPS ? ServerName.forTarget(sni, target) : null;
    }

    /** The scheme and path made explicit for {@code ports}: what the planner writes. */
    public HttpParams withDefaults(PortRange ports) {
        return new HttpParams(schemeFor(ports), pathOrDefault(), check, sni, siteHosts, timeout);
    }

    public HttpParams withSni(String value) {
        return new HttpParams(scheme, path, check, value, siteHosts, timeout);
    }

    public HttpParams withSiteHosts(List<String> value) {
        return new HttpParams(scheme, path, check, sni, value, timeout);
    }

    @Override
    public ProbeKind kind() {
        return ProbeKind.HTTP;
    }

    @Override
    public Map<String, String> toParams() {
        return new ParamWriter().choice(SCHEME, scheme).text(PATH, path).choice(CHECK, check).text(SNI, sni)
                .list(SITE_HOSTS, siteHosts).map();
    }
}
