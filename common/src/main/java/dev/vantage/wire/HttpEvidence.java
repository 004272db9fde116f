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
 * @param location        the redirect target, when there was one
 * @param proxyIndicators one line per sign of a proxy: {@code status 407}, {@code Via: ...},
 *                        {@code X-Cache: ...}, {@code Proxy-Agent: ...}, {@code redirect to other
 *                        host ...}; empty when none
 * @param captivePortal   a redirect sent the request to another host
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
