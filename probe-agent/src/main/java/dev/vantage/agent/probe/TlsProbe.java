package dev.vantage.agent.probe;

import dev.vantage.params.MalformedParamException;
import dev.vantage.params.TlsParams;
import dev.vantage.wire.Outcome;
import dev.vantage.wire.ProbeKind;
import dev.vantage.wire.ProbeResult;
import dev.vantage.wire.ProbeTask;
import dev.vantage.wire.TlsEvidence;
import dev.vantage.wire.TlsEvidence.Problem;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.cert.Certificate;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Date;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;

/**
 * TLS: completes a handshake with SNI whatever the server presents, then judges the chain itself
 * against the bundled public roots and the name, so an untrusted chain is evidence rather than a
 * failed handshake.
 *
 * <p>Parameters: {@code sni} (default the target when it is a name), {@code public=true} (set by the
 * planner for external destinations: a chain that does not lead to a public root is then
 * {@code INTERCEPTED}, naming the issuer).
 *
 * <p>The public roots are the runtime's default trust store (its {@code cacerts}), so the runtime
 * shipped with the agent decides, not the operating system's certificate bundle.
 */
@ApplicationScoped
public class TlsProbe implements Probe {
    private final List<X509Certificate> extraRoots;
    private volatile List<X509Certificate> roots;

    @Inject
    public TlsProbe() {
        this(List.of());
    }

    /** A probe that also treats {@code extraRoots} as public roots (tests, private deployments). */
    TlsProbe(Collection<X509Certificate> extraRoots) {
        this.extraRoots = List.copyOf(extraRoots);
    }

    @Override
    public ProbeKind kind() {
        return ProbeKind.TLS;
    }

    @Override
    public ProbeResult run(ProbeTask task, ProbeContext context) {
        Instant started = context.clock().instant();
        ProbeContext.ResultBuilder result = context.result(task, started).protocol("tls");
        String host;
        Duration timeout;
        TlsParams taskParams;
        try {
            taskParams = TlsParams.read(task);
            host = TaskInput.target(task);
            timeout = taskParams.timeout();
        } catch (MalformedTaskException | MalformedParamException e) {
            return result.outcome(Outcome.ERROR).summary(e.getMessage()).build();
        }
        int port = TaskInput.port(task, 443);
        boolean literal = isAddressLiteral(host);
        String sni = taskParams.serverName(host);
        boolean publicDestination = taskParams.publicDestination();
        String where = host + ":" + port;

        TcpConnect.Attempt tcp = TcpConnect.open(host, port, timeout);
        tcp.timings(result);
        if (!tcp.connected()) {
            return result.outcome(tcp.failure()).summary("TLS: " + tcp.describe(host, port))
                    .evidence(new TlsEvidence(sni, null, null, List.of(), publicDestination, false, null, false,
                            List.of(), null, tcp.error()))
                    .build();
        }
        Capture capture = new Capture();
        long t0 = System.nanoTime();
        try (Socket plain = tcp.socket();
             SSLSocket tls = (SSLSocket) context(capture).getSocketFactory()
                     .createSocket(plain, sni != null ? sni : host, port, true)) {
            SSLParameters params = tls.getSSLParameters();
            if (sni != null) {
                try {
                    params.setServerNames(List.of(new SNIHostName(sni)));
                } catch (IllegalArgumentException e) {
                    return result.outcome(Outcome.ERROR).summary("tls task has sni '" + sni + "', not a host name")
                            .build();
                }
            }
            tls.setSSLParameters(params);
            tls.startHandshake();
            result.timing("handshake", System.nanoTime() - t0);
            SSLSession session = tls.getSession();
            List<X509Certificate> chain = new ArrayList<>();
            for (Certificate c : session.getPeerCertificates()) {
                if (c instanceof X509Certificate x) {
                    chain.add(x);
                }
            }
            List<X509Certificate> anchors;
            try {
                anchors = roots();
            } catch (IllegalStateException e) {
                return result.outcome(Outcome.ERROR).summary("TLS to " + where + ": " + e.getMessage()).build();
            }
            return judge(result, where, sni, literal ? host : null, publicDestination, session.getProtocol(),
                    session.getCipherSuite(), chain, anchors);
        } catch (IOException e) {
            result.timing("handshake", System.nanoTime() - t0);
            String error = "handshake failed: " + TcpConnect.message(e);
            return result.outcome(Outcome.UNEXPECTED)
                    .summary("TLS to " + where + (sni == null ? "" : " (SNI " + sni + ")") + ": " + error)
                    .evidence(new TlsEvidence(sni, null, null, describe(capture.chain), publicDestination, false,
                            null, false, List.of(), null, error))
                    .build();
        }
    }

    private ProbeResult judge(ProbeContext.ResultBuilder result, String where, String sni, String address,
                              boolean publicDestination, String protocol, String cipher, List<X509Certificate> chain,
                              List<X509Certificate> anchors) {
        X509Certificate anchor = anchorOf(chain, anchors);
        List<Problem> problems = new ArrayList<>();
        Date now = new Date();
        for (X509Certificate c : chain) {
            if (now.after(c.getNotAfter()) && !problems.contains(Problem.EXPIRED)) {
                problems.add(Problem.EXPIRED);
            }
            if (now.before(c.getNotBefore()) && !problems.contains(Problem.NOT_YET_VALID)) {
                problems.add(Problem.NOT_YET_VALID);
            }
        }
        boolean nameMatches = !chain.isEmpty() && matchesName(chain.get(0), sni, address);
        if (!nameMatches) {
            problems.add(Problem.NAME_MISMATCH);
        }
        if (anchor == null) {
            problems.add(chain.size() == 1 && selfSigned(chain.get(0)) ? Problem.SELF_SIGNED : Problem.UNKNOWN_ISSUER);
        }
        String top = chain.isEmpty() ? null : chain.get(chain.size() - 1).getIssuerX500Principal().getName();
        String interceptedBy = null;
        Outcome outcome;
        String detail;
        if (anchor == null && publicDestination) {
            outcome = Outcome.INTERCEPTED;
            interceptedBy = top;
            detail = "INTERCEPTED: a public destination presented a chain issued by " + top
                    + " that leads to no public root (TLS inspection)";
        } else if (problems.isEmpty()) {
            outcome = Outcome.TRUSTED;
            detail = "TRUSTED, chain to " + anchor.getSubjectX500Principal().getName();
        } else {
            outcome = Outcome.UNTRUSTED;
            detail = "UNTRUSTED (" + String.join(", ", problems.stream().map(p -> p.name().toLowerCase(Locale.ROOT)
                    .replace('_', ' ')).toList()) + "), issued by " + top;
        }
        String leaf = chain.isEmpty() ? "no certificate" : chain.get(0).getSubjectX500Principal().getName();
        return result.outcome(outcome)
                .summary("TLS to " + where + (sni == null ? "" : " (SNI " + sni + ")") + ", " + protocol + ", "
                        + leaf + ": " + detail)
                .evidence(new TlsEvidence(sni, protocol, cipher, describe(chain), publicDestination, anchor != null,
                        anchor == null ? null : anchor.getSubjectX500Principal().getName(), nameMatches, problems,
                        interceptedBy, null))
                .build();
    }

    /** The public root the presented chain leads to, following issuer links that verify; null when none. */
    private static X509Certificate anchorOf(List<X509Certificate> chain, List<X509Certificate> anchors) {
        if (chain.isEmpty()) {
            return null;
        }
        X509Certificate current = chain.get(0);
        for (int i = 0; i <= chain.size(); i++) {
            for (X509Certificate root : anchors) {
                if (root.getSubjectX500Principal().equals(current.getIssuerX500Principal()) && signs(root, current)) {
                    return root;
                }
            }
            if (i + 1 >= chain.size()) {
                return null;
            }
            X509Certificate next = chain.get(i + 1);
            if (!next.getSubjectX500Principal().equals(current.getIssuerX500Principal()) || !signs(next, current)) {
                return null;
            }
            current = next;
        }
        return null;
    }

    private static boolean signs(X509Certificate issuer, X509Certificate subject) {
        try {
            subject.verify(issuer.getPublicKey());
            return true;
        } catch (GeneralSecurityException | RuntimeException e) {
            return false;
        }
    }

    private static boolean selfSigned(X509Certificate c) {
        return c.getSubjectX500Principal().equals(c.getIssuerX500Principal()) && signs(c, c);
    }

    private List<X509Certificate> roots() {
        List<X509Certificate> r = roots;
        if (r == null) {
            r = new ArrayList<>(extraRoots);
            r.addAll(bundledRoots());
            roots = List.copyOf(r);
        }
        return r;
    }

    /**
     * The runtime's default trust anchors: a {@link TrustManagerFactory} initialised without a key
     * store reads the runtime's own {@code cacerts} (unless {@code javax.net.ssl.trustStore} names
     * another), and unlike a path under {@code java.home} this also works in a native executable,
     * which has no {@code java.home} and carries the trust store it was built with.
     */
    private static List<X509Certificate> bundledRoots() {
        List<X509Certificate> out = new ArrayList<>();
        try {
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init((KeyStore) null);
            for (TrustManager manager : factory.getTrustManagers()) {
                if (manager instanceof X509TrustManager x509) {
                    out.addAll(List.of(x509.getAcceptedIssuers()));
                }
            }
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot read the runtime's public roots: " + e.getMessage()
                    + "; the agent's runtime is incomplete", e);
        }
        return out;
    }

    static boolean matchesName(X509Certificate leaf, String sni, String address) {
        List<String> dnsNames = new ArrayList<>();
        List<String> ips = new ArrayList<>();
        try {
            Collection<List<?>> sans = leaf.getSubjectAlternativeNames();
            if (sans != null) {
                for (List<?> san : sans) {
                    if (Integer.valueOf(2).equals(san.get(0))) {
                        dnsNames.add(String.valueOf(san.get(1)));
                    } else if (Integer.valueOf(7).equals(san.get(0))) {
                        ips.add(String.valueOf(san.get(1)));
                    }
                }
            }
        } catch (CertificateParsingException e) {
            return false;
        }
        if (sni != null) {
            if (dnsNames.isEmpty()) {
                String cn = commonName(leaf);
                return cn != null && dnsMatch(cn, sni);
            }
            return dnsNames.stream().anyMatch(pattern -> dnsMatch(pattern, sni));
        }
        if (address != null) {
            try {
                InetAddress want = InetAddress.getByName(address);
                for (String ip : ips) {
                    if (InetAddress.getByName(ip).equals(want)) {
                        return true;
                    }
                }
            } catch (IOException e) {
                return false;
            }
        }
        return false;
    }

    private static boolean dnsMatch(String pattern, String name) {
        String p = trimDot(pattern.toLowerCase(Locale.ROOT));
        String n = trimDot(name.toLowerCase(Locale.ROOT));
        if (p.startsWith("*.")) {
            int dot = n.indexOf('.');
            return dot > 0 && n.substring(dot + 1).equals(p.substring(2));
        }
        return p.equals(n);
    }

    private static String trimDot(String s) {
        return s.endsWith(".") ? s.substring(0, s.length() - 1) : s;
    }

    private static String commonName(X509Certificate c) {
        for (String part : c.getSubjectX500Principal().getName().split(",")) {
            if (part.startsWith("CN=")) {
                return part.substring(3);
            }
        }
        return null;
    }

    static List<TlsEvidence.Certificate> describe(List<X509Certificate> chain) {
        List<TlsEvidence.Certificate> out = new ArrayList<>();
        for (X509Certificate c : chain) {
            List<String> sans = new ArrayList<>();
            try {
                if (c.getSubjectAlternativeNames() != null) {
                    for (List<?> san : c.getSubjectAlternativeNames()) {
                        if (Integer.valueOf(2).equals(san.get(0))) {
                            sans.add("DNS:" + san.get(1));
                        } else if (Integer.valueOf(7).equals(san.get(0))) {
                            sans.add("IP:" + san.get(1));
                        }
                    }
                }
            } catch (CertificateParsingException e) {
                sans.add("unparseable: " + e.getMessage());
            }
            String sha256;
            try {
                sha256 = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(c.getEncoded()));
            } catch (GeneralSecurityException e) {
                sha256 = null;
            }
            out.add(new TlsEvidence.Certificate(c.getSubjectX500Principal().getName(),
                    c.getIssuerX500Principal().getName(), c.getSerialNumber().toString(16),
                    c.getNotBefore().toInstant(), c.getNotAfter().toInstant(), sans, sha256, selfSigned(c)));
        }
        return out;
    }

    static boolean isAddressLiteral(String host) {
        return host.indexOf(':') >= 0 || host.matches("\\d{1,3}(\\.\\d{1,3}){3}");
    }

    /**
     * Layers a client TLS socket over a connected one, sending SNI for names (not for addresses),
     * accepting whatever chain comes and keeping it in {@code capture}. The handshake is the
     * caller's.
     */
    static SSLSocket wrap(Socket plain, String host, int port, Capture capture) throws IOException {
        SSLSocket ssl = (SSLSocket) context(capture).getSocketFactory().createSocket(plain, host, port, true);
        if (!isAddressLiteral(host)) {
            SSLParameters p = ssl.getSSLParameters();
            p.setServerNames(List.of(new SNIHostName(host)));
            ssl.setSSLParameters(p);
        }
        return ssl;
    }

    /**
     * A client context that accepts any chain and keeps it: trust is judged after the handshake,
     * so that an untrusted chain is still seen in full.
     */
    static SSLContext context(Capture capture) {
        try {
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, new javax.net.ssl.TrustManager[] {capture}, null);
            return ctx;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this runtime has no TLS implementation", e);
        }
    }

    /** Keeps the chain the server presented; judges nothing. */
    static final class Capture implements X509TrustManager {
        volatile List<X509Certificate> chain = List.of();

        @Override
        public void checkClientTrusted(X509Certificate[] certs, String authType) {
            throw new UnsupportedOperationException("client side only");
        }

        @Override
        public void checkServerTrusted(X509Certificate[] certs, String authType) {
            chain = certs == null ? List.of() : List.of(certs);
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
