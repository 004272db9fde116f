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
import javax.net.ssl.X509TrustManager;
import java.io.IOException;
import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;

/**
 * TLS: completes a handshake with SNI whatever the server presents, then judges the chain (the
 * JDK's PKIX validation against the public roots, see {@link ChainTrust}) and the name, so an
 * untrusted chain is evidence rather than a failed handshake.
 *
 * <p>Parameters: {@code sni} (default the target when it is a name), {@code public=true} (set by the
 * planner for external destinations: a chain that does not lead to a public root is then
 * {@code INTERCEPTED}, naming the issuer).
 *
 * <p>The public roots are the runtime's default trust store (its {@code cacerts}, or the store
 * {@code javax.net.ssl.trustStore} names), so the runtime shipped with the agent decides, not the
 * operating system's certificate bundle.
 */
@ApplicationScoped
public class TlsProbe implements Probe {
    private final ChainTrust trust;

    @Inject
    public TlsProbe() {
        this(List.of());
    }

    /** A probe that also treats {@code extraRoots} as public roots (tests, private deployments). */
    TlsProbe(Collection<X509Certificate> extraRoots) {
        this.trust = new ChainTrust(extraRoots);
    }

    @Override
    public ProbeKind kind() {
        return ProbeKind.TLS;
    }

    @Override
    public ProbeResult run(ProbeTask task, ProbeContext context) {
        Instant started = context.clock().instant();
        ProbeContext.ResultBuilder result = context.result(task, started).protocol("tls");
        Deadline deadline = Deadline.of(task, context);
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

        TcpConnect.Attempt tcp = TcpConnect.open(host, port, timeout, deadline);
        tcp.timings(result);
        if (!tcp.connected()) {
            return result.outcome(tcp.failure()).summary("TLS: " + tcp.describe(host, port))
                    .evidence(new TlsEvidence(sni, null, null, List.of(), publicDestination, false, null, false,
                            List.of(), null, tcp.error()))
                    .build();
        }
        Capture capture = new Capture();
        long t0 = System.nanoTime();
        deadline.phase("handshake");
        // a timeout per read does not bound a handshake whose records trickle in: the guard does
        Deadline.Guard guard = deadline.guard(tcp.socket(), timeout);
        try (guard; Socket plain = tcp.socket();
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
            guard.close();
            result.timing("handshake", System.nanoTime() - t0);
            SSLSession session = tls.getSession();
            List<X509Certificate> chain = new ArrayList<>();
            for (Certificate c : session.getPeerCertificates()) {
                if (c instanceof X509Certificate x) {
                    chain.add(x);
                }
            }
            ChainTrust.Verdict verdict;
            try {
                verdict = trust.judge(chain, context.clock().instant());
            } catch (IllegalStateException e) {
                return result.outcome(Outcome.ERROR).summary("TLS to " + where + ": " + e.getMessage()).build();
            }
            return judge(result, where, sni, literal ? host : null, publicDestination, session.getProtocol(),
                    session.getCipherSuite(), chain, verdict);
        } catch (IOException e) {
            result.timing("handshake", System.nanoTime() - t0);
            String error = guard.fired() ? handshakeCut(guard) : "handshake failed: " + TcpConnect.message(e);
            return result.outcome(Outcome.UNEXPECTED)
                    .summary("TLS to " + where + (sni == null ? "" : " (SNI " + sni + ")") + ": " + error)
                    .evidence(new TlsEvidence(sni, null, null, CertificateNames.describe(capture.chain),
                            publicDestination, false, null, false, List.of(), null, error))
                    .build();
        }
    }

    private ProbeResult judge(ProbeContext.ResultBuilder result, String where, String sni, String address,
                              boolean publicDestination, String protocol, String cipher, List<X509Certificate> chain,
                              ChainTrust.Verdict verdict) {
        X509Certificate anchor = verdict.anchor();
        List<Problem> problems = new ArrayList<>(verdict.dates());
        boolean nameMatches = !chain.isEmpty() && CertificateNames.matches(chain.get(0), sni, address);
        if (!nameMatches) {
            problems.add(Problem.NAME_MISMATCH);
        }
        if (verdict.chainProblem() != null) {
            problems.add(verdict.chainProblem());
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
                    .replace('_', ' ')).toList()) + "), issued by " + top
                    + (verdict.detail() == null ? "" : "; PKIX: " + verdict.detail());
        }
        String leaf = chain.isEmpty() ? "no certificate" : chain.get(0).getSubjectX500Principal().getName();
        return result.outcome(outcome)
                .summary("TLS to " + where + (sni == null ? "" : " (SNI " + sni + ")") + ", " + protocol + ", "
                        + leaf + ": " + detail)
                .evidence(new TlsEvidence(sni, protocol, cipher, CertificateNames.describe(chain), publicDestination,
                        anchor != null, anchor == null ? null : anchor.getSubjectX500Principal().getName(), nameMatches,
                        problems, interceptedBy, null))
                .build();
    }

    /** Why a handshake a {@link Deadline.Guard} cut short failed. */
    static String handshakeCut(Deadline.Guard guard) {
        return "handshake failed: not complete within " + guard.waited().toMillis()
                + " ms (the server's answer stalled or trickled)";
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
