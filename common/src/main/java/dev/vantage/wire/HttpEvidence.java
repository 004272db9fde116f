package dev.vantage.wire;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What an HTTP(S) probe saw: the answer and anything that says a proxy or captive portal, not the
 * destination, answered.
 *
 * @param url             the URL asked for
 * @param status          status code, null when no HTTP answer arrived
 * @param reason          reason phrase
 * @param headers         response headers, names lower-case, in arrival order; repeated headers
 *                        keep every value
 * @param check           the shape the answer had to have ({@code registry}), null for any answer
 * @param checkPassed     whether it had it, null without a check
 * @param location        the redirect target, when there was one (as sent; whoever reads it can judge
 *                        it against the site again)
 * @param proxyIndicators one line per sign of a proxy: {@code status 407}, {@code Via: ...},
 *                        {@code X-Cache: ...}, {@code Proxy-Agent: ...}, {@code redirect to other
 *                        host ...} (a host that is neither the probed one nor one of the site's own the
 *                        task named in {@code siteHosts}); empty when none
 * @param captivePortal   a redirect sent the request to such another host. A redirect to the site's own
 *                        FQDN or addresses (port 80 sending to https, as documented) is not one; agents
 *                        before the {@code siteHosts} parameter counted every other host, the FQDN
 *                        included, so for their evidence the {@code location} decides
 * @param bodyStart       the first bytes of the body (or of a non-HTTP answer), printable, bounded
 * @param tlsIssuer       for HTTPS: issuer of the certificate presented (not validated here; the
 *                        tls probe judges trust)
 * @param error           the connection or protocol failure, null when an answer arrived
 */
public record HttpEvidence(
        String url,
        Integer status,
        String reason,
        Map<String, List<String>> headers,
        String check,
        Boolean checkPassed,
        String location,
        List<String> proxyIndicators,
        boolean captivePortal,
        String bodyStart,
        String tlsIssuer,
        String error) implements Evidence {

    public HttpEvidence {
        headers = headers == null ? Map.of() : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(headers));
        proxyIndicators = proxyIndicators == null ? List.of() : List.copyOf(proxyIndicators);
    }
}
