package dev.vantage.agent.probe;

import dev.vantage.wire.TlsEvidence.Problem;

import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import javax.security.auth.x500.X500Principal;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertPath;
import java.security.cert.CertPathValidator;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertPathValidatorException.BasicReason;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXCertPathValidatorResult;
import java.security.cert.PKIXParameters;
import java.security.cert.PKIXReason;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Date;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Decides whether a presented chain leads to a public root, with the JDK's PKIX
 * {@link CertPathValidator} (revocation off) rather than a walk of our own, so a chain that real
 * clients reject (an intermediate that is not a CA, a weak signature) is not reported trusted.
 *
 * <p>The public roots are the runtime's default trust anchors - a {@link TrustManagerFactory}
 * initialised without a key store reads the runtime's own {@code cacerts}, or the store that
 * {@code javax.net.ssl.trustStore} names - plus the extra roots given. Unlike a path under
 * {@code java.home} this also works in a native executable, which has no {@code java.home} and
 * carries the trust store it was built with.
 *
 * <p>The evidence keeps dates apart from the rest: {@link Verdict#anchor()} says whether the chain
 * leads to a root whatever the dates, and the date problems are listed beside it, as before.
 */
final class ChainTrust {
    private final List<X509Certificate> extraRoots;
    private volatile Set<TrustAnchor> anchors;

    ChainTrust(Collection<X509Certificate> extraRoots) {
        this.extraRoots = List.copyOf(extraRoots);
    }

    /**
     * What PKIX says about a chain.
     *
     * @param anchor       the public root the chain leads to (dates aside), null when none
     * @param dates        EXPIRED / NOT_YET_VALID for the certificates validated: the presented chain
     *                     in issuer order up to the first one a root issued (those beyond are not used)
     * @param chainProblem why the chain is not trusted apart from dates and name, null when it is
     * @param detail       the validator's message for {@code chainProblem}, null when there is none
     */
    record Verdict(X509Certificate anchor, List<Problem> dates, Problem chainProblem, String detail) {
    }

    /**
     * Judges a chain as presented (leaf first) at {@code now}.
     *
     * @throws IllegalStateException when the runtime's roots cannot be read (an incomplete runtime)
     */
    Verdict judge(List<X509Certificate> presented, Instant now) {
        if (presented.isEmpty()) {
            return new Verdict(null, List.of(), Problem.UNKNOWN_ISSUER, null);
        }
        Set<TrustAnchor> roots = anchors();
        List<X509Certificate> path = path(presented, roots);
        List<Problem> dates = dateProblems(path, now);
        try {
            X509Certificate anchor = validate(path, roots, !dates.isEmpty(), now);
            return new Verdict(anchor, dates, null, null);
        } catch (CertPathValidatorException e) {
            Problem problem = problem(e);
            X509Certificate anchor = problem == null ? null : anchorOfTop(path, roots, now);
            if (anchor == null) {
                return new Verdict(null, dates, noRoot(path), null);
            }
            return new Verdict(anchor, dates, problem, e.getMessage());
        }
    }

    /**
     * The presented certificates in issuer order from the leaf, ending with the first one a root
     * issued (or a self-issued one): servers send certificates clients do not use (an expired
     * cross-signed copy of a root, say), and some send them out of order.
     */
    private static List<X509Certificate> path(List<X509Certificate> presented, Set<TrustAnchor> roots) {
        Set<X500Principal> rootNames = new HashSet<>();
        for (TrustAnchor a : roots) {
            rootNames.add(a.getTrustedCert().getSubjectX500Principal());
        }
        List<X509Certificate> path = new ArrayList<>();
        Set<X509Certificate> left = new LinkedHashSet<>(presented);
        X509Certificate current = presented.get(0);
        while (current != null) {
            path.add(current);
            left.remove(current);
            X500Principal issuer = current.getIssuerX500Principal();
            if (rootNames.contains(issuer) || issuer.equals(current.getSubjectX500Principal())) {
                break;
            }
            current = left.stream().filter(c -> c.getSubjectX500Principal().equals(issuer)).findFirst().orElse(null);
        }
        return path;
    }

    private static List<Problem> dateProblems(List<X509Certificate> path, Instant now) {
        List<Problem> out = new ArrayList<>();
        for (X509Certificate c : path) {
            if (now.isAfter(c.getNotAfter().toInstant()) && !out.contains(Problem.EXPIRED)) {
                out.add(Problem.EXPIRED);
            }
            if (now.isBefore(c.getNotBefore().toInstant()) && !out.contains(Problem.NOT_YET_VALID)) {
                out.add(Problem.NOT_YET_VALID);
            }
        }
        return out;
    }

    /**
     * PKIX validation of the path; the root it leads to. With {@code datesAside} the certificates'
     * own validity is not checked: PKIX stops at the first expired certificate, and the evidence
     * must still say whether the rest of the chain would be trusted (the dates are reported apart).
     */
    private static X509Certificate validate(List<X509Certificate> path, Set<TrustAnchor> roots, boolean datesAside,
                                            Instant now) throws CertPathValidatorException {
        if (roots.isEmpty()) {
            throw new CertPathValidatorException("the runtime has no trust anchors", null, null, -1,
                    PKIXReason.NO_TRUST_ANCHOR);
        }
        try {
            List<X509Certificate> certificates = datesAside ? path.stream().map(DatesAside::new)
                    .map(X509Certificate.class::cast).toList() : path;
            CertPath certPath = CertificateFactory.getInstance("X.509").generateCertPath(certificates);
            PKIXParameters parameters = new PKIXParameters(roots);
            parameters.setRevocationEnabled(false);
            parameters.setDate(Date.from(now));
            PKIXCertPathValidatorResult result = (PKIXCertPathValidatorResult) CertPathValidator.getInstance("PKIX")
                    .validate(certPath, parameters);
            return result.getTrustAnchor().getTrustedCert();
        } catch (CertPathValidatorException e) {
            throw e;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this runtime cannot validate certificate chains (PKIX): "
                    + e.getMessage(), e);
        }
    }

    /**
     * The problem a PKIX rejection names; null when the chain leads to no root at all (no anchor
     * for it, or a link whose issuer name or signature does not match).
     */
    private static Problem problem(CertPathValidatorException e) {
        if (e.getReason() == PKIXReason.NO_TRUST_ANCHOR || e.getReason() == BasicReason.INVALID_SIGNATURE
                || e.getReason() == PKIXReason.NAME_CHAINING) {
            return null;
        }
        if (e.getReason() == PKIXReason.NOT_CA_CERT || e.getReason() == PKIXReason.INVALID_KEY_USAGE
                || e.getReason() == PKIXReason.PATH_TOO_LONG) {
            return Problem.ISSUER_NOT_CA;
        }
        if (e.getReason() == BasicReason.ALGORITHM_CONSTRAINED) {
            return Problem.WEAK_ALGORITHM;
        }
        return Problem.INVALID_CHAIN;
    }

    /**
     * The root above the path's topmost certificate, when the chain broke a rule lower down: that
     * certificate alone is validated against the roots (for a rule it breaks itself, the root of
     * that name is taken).
     */
    private static X509Certificate anchorOfTop(List<X509Certificate> path, Set<TrustAnchor> roots, Instant now) {
        X509Certificate top = path.get(path.size() - 1);
        try {
            return validate(List.of(top), roots, true, now);
        } catch (CertPathValidatorException e) {
            if (problem(e) == null) {
                return null;
            }
            return roots.stream().map(TrustAnchor::getTrustedCert)
                    .filter(r -> r.getSubjectX500Principal().equals(top.getIssuerX500Principal()))
                    .findFirst().orElse(null);
        }
    }

    private static Problem noRoot(List<X509Certificate> path) {
        return path.size() == 1 && selfSigned(path.get(0)) ? Problem.SELF_SIGNED : Problem.UNKNOWN_ISSUER;
    }

    /** Issuer equals subject and the signature verifies with the certificate's own key. */
    static boolean selfSigned(X509Certificate c) {
        if (!c.getSubjectX500Principal().equals(c.getIssuerX500Principal())) {
            return false;
        }
        try {
            c.verify(c.getPublicKey());
            return true;
        } catch (GeneralSecurityException | RuntimeException e) {
            return false;
        }
    }

    private Set<TrustAnchor> anchors() {
        Set<TrustAnchor> a = anchors;
        if (a == null) {
            Set<TrustAnchor> all = new HashSet<>();
            for (X509Certificate root : extraRoots) {
                all.add(new TrustAnchor(root, null));
            }
            for (X509Certificate root : runtimeRoots()) {
                all.add(new TrustAnchor(root, null));
            }
            a = Set.copyOf(all);
            anchors = a;
        }
        return a;
    }

    private static List<X509Certificate> runtimeRoots() {
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
}
