package dev.vantage.agent.probe;

import dev.vantage.params.HttpParams;
import dev.vantage.params.MalformedParamException;
import dev.vantage.wire.HttpEvidence;
import dev.vantage.wire.Outcome;
import dev.vantage.wire.ProbeKind;
import dev.vantage.wire.ProbeResult;
import dev.vantage.wire.ProbeTask;
import jakarta.enterprise.context.ApplicationScoped;

import javax.net.ssl.SSLSocket;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * HTTP(S): one GET over a plain socket, so every phase is timed and an answer that is not HTTP is
 * still seen byte for byte. No proxy is configured or honoured: a proxy that answers anyway is
 * what this probe is there to notice.
 *
 * <p>Parameters ({@link HttpParams}): {@code scheme} (default https on port 443, else http),
 * {@code path} (default {@code /}, or {@code /v2/} for the registry check), {@code sni} (over https the
 * name sent in the handshake and as {@code Host}; default the target when it is a name),
 * {@code check=registry} (the answer must be 401 with {@code Docker-Distribution-Api-Version: registry/2.0})
 * or {@code check=no-proxy} (the answer must show no proxy signs; the outcome stays {@code RESPONDED} for a
 * {@code Via} header, the analysis judges the signs).
 *
 * <p>A redirect to the probed host, or to one of the site's own hosts the planner names in {@code siteHosts}
 * (the FQDN and names below it, the role's addresses: port 80 sending to https on the FQDN is the documented
 * behaviour), is the site answering; a redirect to any other host is a proxy sign (captive portal).
 *
 * <p>Outcome: {@code RESPONDED} when an HTTP answer of the expected shape arrived;
 * {@code UNEXPECTED} for a failed check, a 407, a redirect to a foreign host (captive portal) or an
 * answer that is not HTTP; {@code TIMEOUT} when the server accepted but never answered; the port
 * outcomes when the TCP connect failed. The certificate is not judged here (that is the tls probe).
 */
@ApplicationScoped
public class HttpProbe implements Probe {
    private static final int MAX_HEAD = 64 * 1024;
    private static final int BODY_START = 256;
    private static final List<String> PROXY_HEADERS =
            List.of("via", "x-cache", "x-cache-lookup", "proxy-agent", "proxy-authenticate", "x-squid-error");

    @Override
    public ProbeKind kind() {
        return ProbeKind.HTTP;
    }

    @Override
    public ProbeResult run(ProbeTask task, ProbeContext context) {
        Instant started = context.clock().instant();
        ProbeContext.ResultBuilder result = context.result(task, started);
        Deadline deadline = Deadline.of(task, context);
        String host;
        String check;
        Duration timeout;
        HttpParams params;
        try {
            params = HttpParams.read(task);
            host = TaskInput.target(task);
            check = params.check() == null ? null : params.check().wireName();
            timeout = params.timeout();
        } catch (MalformedTaskException | MalformedParamException e) {
            return result.outcome(Outcome.ERROR).summary(e.getMessage()).build();
        }
        int port = params.portFor(task.ports());
        boolean tls = params.schemeFor(task.ports()) == HttpParams.Scheme.HTTPS;
        String path = params.pathOrDefault();
        // over https the server name goes into the handshake and into Host alike: a server that checks they match
        // (421, 400) must not fail the probe
        String serverName = params.serverName(host, task.ports());
        String name = serverName != null ? serverName : host;
        String hostHeader = (name.indexOf(':') >= 0 ? "[" + name + "]" : name)
                + (port == (tls ? 443 : 80) ? "" : ":" + port);
        String url = (tls ? "https://" : "http://") + hostHeader + path;
        result.protocol(tls ? "https" : "http");

        TcpConnect.Attempt tcp = TcpConnect.open(host, port, timeout, deadline);
        tcp.timings(result);
        if (!tcp.connected()) {
            return result.outcome(tcp.failure()).summary("GET " + url + ": " + tcp.describe(host, port))
                    .evidence(failed(url, check, null, tcp.error())).build();
        }
        Socket plain = tcp.socket();
        Socket socket = plain;
        String tlsIssuer = null;
        try {
            if (tls) {
                TlsProbe.Capture capture = new TlsProbe.Capture();
                long h0 = System.nanoTime();
                deadline.phase("handshake");
                try (Deadline.Guard guard = deadline.guard(plain, timeout)) {
                    try {
                        SSLSocket ssl = TlsProbe.wrap(plain, name, port, capture);
                        socket = ssl;
                        ssl.startHandshake();
                    } catch (IOException e) {
                        result.timing("handshake", System.nanoTime() - h0);
                        String error = "TLS " + (guard.fired() ? TlsProbe.handshakeCut(guard)
                                : "handshake failed: " + TcpConnect.message(e));
                        return result.outcome(Outcome.UNEXPECTED).summary("GET " + url + ": " + error)
                                .evidence(failed(url, check, null, error)).build();
                    }
                }
                result.timing("handshake", System.nanoTime() - h0);
                List<X509Certificate> chain = capture.chain;
                tlsIssuer = chain.isEmpty() ? null : chain.get(0).getIssuerX500Principal().getName();
            }
            deadline.phase("request");
            // over TLS a record trickled byte by byte satisfies every read of the answer: the guard bounds it
            try (Deadline.Guard guard = tls ? deadline.guard(plain, timeout) : null) {
                return exchange(result, socket, new Hosts(name, params.siteHosts()), hostHeader, path, url, check,
                        tlsIssuer, deadline.cap(timeout), guard);
            }
        } finally {
            TcpConnect.closeQuietly(socket);
        }
    }

    /** The probed host and the site's own hosts: where a redirect may go without being a proxy sign. */
    private record Hosts(String probed, List<String> site) {
    }

    /** The GET and its answer, within {@code timeout}; {@code guard} (over TLS) closed the socket when it fired. */
    private ProbeResult exchange(ProbeContext.ResultBuilder result, Socket socket, Hosts hosts, String hostHeader,
                                 String path, String url, String check, String tlsIssuer, Duration timeout,
                                 Deadline.Guard guard) {
        long r0 = System.nanoTime();
        byte[] head;
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        try {
            OutputStream out = socket.getOutputStream();
            out.write(("GET " + path + " HTTP/1.1\r\nHost: " + hostHeader + "\r\nUser-Agent: vantage-agent\r\n"
                    + "Accept: */*\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = DeadlineInput.of(socket, timeout);
            head = readHead(in);
            result.timing("request", System.nanoTime() - r0);
            if (head.length == 0) {
                return result.outcome(Outcome.UNEXPECTED)
                        .summary("GET " + url + ": connection closed without an answer")
                        .evidence(failed(url, check, tlsIssuer, "connection closed without an answer")).build();
            }
            readBodyStart(in, body);
        } catch (IOException e) {
            result.timing("request", System.nanoTime() - r0);
            if (e instanceof SocketTimeoutException || guard != null && guard.fired()) {
                String error = "no answer within " + timeout.toMillis() + " ms";
                return result.outcome(Outcome.TIMEOUT).summary("GET " + url + ": " + error)
                        .evidence(failed(url, check, tlsIssuer, error)).build();
            }
            String error = TcpConnect.message(e);
            return result.outcome(Outcome.UNEXPECTED).summary("GET " + url + ": " + error)
                    .evidence(failed(url, check, tlsIssuer, error)).build();
        }

        String text = new String(head, StandardCharsets.ISO_8859_1);
        String[] lines = text.split("\r?\n");
        String[] status = lines[0].split(" ", 3);
        Integer code = null;
        if (status.length >= 2 && status[0].startsWith("HTTP/")) {
            try {
                code = Integer.parseInt(status[1]);
            } catch (NumberFormatException e) {
                code = null;
            }
        }
        if (code == null) {
            byte[] all = concat(head, body.toByteArray());
            String start = Printable.of(all, 0, all.length, BODY_START);
            return result.outcome(Outcome.UNEXPECTED).summary("GET " + url + ": answer is not HTTP: " + start)
                    .evidence(new HttpEvidence(url, null, null, Map.of(), check, check == null ? null : false, null,
                            List.of(), false, start, tlsIssuer, "answer is not HTTP"))
                    .build();
        }
        String reason = status.length > 2 ? status[2] : "";
        Map<String, List<String>> headers = new LinkedHashMap<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            if (colon > 0) {
                headers.computeIfAbsent(lines[i].substring(0, colon).strip().toLowerCase(Locale.ROOT),
                        k -> new ArrayList<>()).add(lines[i].substring(colon + 1).strip());
            }
        }
        List<String> proxy = new ArrayList<>();
        if (code == 407) {
            proxy.add("status 407");
        }
        for (String h : PROXY_HEADERS) {
            for (String v : headers.getOrDefault(h, List.of())) {
                proxy.add(canonical(h) + ": " + v);
            }
        }
        String location = first(headers, "location");
        boolean captive = false;
        String siteRedirect = null;
        if (code >= 300 && code < 400 && location != null) {
            Redirect to = redirect(url, location, hosts);
            if (to.foreign()) {
                captive = true;
                proxy.add("redirect to other host " + to.host());
            } else if (to.host() != null && !sameHost(to.host(), hosts.probed())) {
                siteRedirect = to.host();
            }
        }
        Boolean checkPassed = null;
        String shape;
        Outcome outcome;
        if ("registry".equals(check)) {
            String api = first(headers, "docker-distribution-api-version");
            checkPassed = code == 401 && api != null && api.strip().equalsIgnoreCase("registry/2.0");
            outcome = checkPassed ? Outcome.RESPONDED : Outcome.UNEXPECTED;
            shape = checkPassed ? "answers like a registry" : "does not answer like a registry (want 401 with "
                    + "Docker-Distribution-Api-Version: registry/2.0)";
        } else {
            boolean proxied = code == 407 || captive;
            if ("no-proxy".equals(check)) {
                checkPassed = !proxied && proxy.isEmpty();
            }
            outcome = proxied ? Outcome.UNEXPECTED : Outcome.RESPONDED;
            shape = code == 407 ? "a proxy asks for authentication"
                    : captive ? "redirected to another host (captive portal?)"
                    : Boolean.FALSE.equals(checkPassed) ? "answered through a proxy"
                    : siteRedirect != null ? "answered with a redirect to the site's own " + siteRedirect : "answered";
        }
        String summary = "GET " + url + ": " + code + " " + reason + ", " + shape
                + (proxy.isEmpty() ? "" : "; proxy signs: " + String.join("; ", proxy));
        String bodyStart = body.size() == 0 ? null
                : Printable.of(body.toByteArray(), 0, body.size(), BODY_START);
        return result.outcome(outcome).summary(summary)
                .evidence(new HttpEvidence(url, code, reason, headers, check, checkPassed, location, proxy, captive,
                        bodyStart, tlsIssuer, null))
                .build();
    }

    private static HttpEvidence failed(String url, String check, String tlsIssuer, String error) {
        return new HttpEvidence(url, null, null, Map.of(), check, check == null ? null : false, null, List.of(),
                false, null, tlsIssuer, error);
    }

    /** Reads up to the blank line after the headers (bounded); returns what arrived when the peer closed. */
    private static byte[] readHead(InputStream in) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int state = 0;
        while (out.size() < MAX_HEAD) {
            int b = in.read();
            if (b < 0) {
                break;
            }
            out.write(b);
            if (b == '\n') {
                state++;
                if (state == 2) {
                    break;
                }
            } else if (b != '\r') {
                state = 0;
            }
        }
        return out.toByteArray();
    }

    private static void readBodyStart(InputStream in, ByteArrayOutputStream body) {
        byte[] buf = new byte[BODY_START];
        try {
            while (body.size() < BODY_START) {
                int n = in.read(buf, 0, BODY_START - body.size());
                if (n < 0) {
                    return;
                }
                body.write(buf, 0, n);
            }
        } catch (IOException e) {
            // the body is only a sample; whatever arrived is enough
        }
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    private static String first(Map<String, List<String>> headers, String name) {
        List<String> values = headers.get(name);
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    private static String canonical(String header) {
        StringBuilder out = new StringBuilder();
        for (String part : header.split("-")) {
            if (out.length() > 0) {
                out.append('-');
            }
            out.append(Character.toUpperCase(part.charAt(0))).append(part.substring(1));
        }
        return out.toString();
    }

    /**
     * Where a redirect goes: {@code host} (without brackets) is null for a redirect within the same URL's host,
     * {@code foreign} true when it is neither the probed host nor one of the site's.
     */
    private record Redirect(String host, boolean foreign) {
    }

    private static Redirect redirect(String url, String location, Hosts hosts) {
        try {
            URI target = new URI(url).resolve(location.strip());
            String to = target.getHost();
            if (to == null) {
                return new Redirect(null, false);
            }
            String bare = to.startsWith("[") ? to.substring(1, to.length() - 1) : to;
            boolean own = sameHost(bare, hosts.probed()) || hosts.site().stream().anyMatch(h -> sameHost(bare, h)
                    || below(bare, h));
            return new Redirect(own ? bare : to, !own);
        } catch (URISyntaxException | IllegalArgumentException e) {
            return new Redirect(location, true);
        }
    }

    /** Names compare without case and a trailing dot; address literals as addresses ({@code ::1} is {@code 0::1}). */
    private static boolean sameHost(String a, String b) {
        String x = trimDot(a);
        String y = trimDot(b);
        if (x.equalsIgnoreCase(y)) {
            return true;
        }
        if (TlsProbe.isAddressLiteral(x) && TlsProbe.isAddressLiteral(y)) {
            try {
                // literals only: parsed, never looked up
                return InetAddress.getByName(x).equals(InetAddress.getByName(y));
            } catch (UnknownHostException e) {
                return false;
            }
        }
        return false;
    }

    /** A name below a name of the site ({@code portal.jtelacd.example.com} below the FQDN) is the site's too. */
    private static boolean below(String host, String siteName) {
        return !TlsProbe.isAddressLiteral(siteName)
                && trimDot(host).toLowerCase(Locale.ROOT).endsWith("." + trimDot(siteName).toLowerCase(Locale.ROOT));
    }

    private static String trimDot(String host) {
        return host.endsWith(".") ? host.substring(0, host.length() - 1) : host;
    }
}
