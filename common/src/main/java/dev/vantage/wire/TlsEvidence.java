package dev.vantage.wire;

import java.time.Instant;
import java.util.List;

/**
 * What a TLS probe saw: the negotiated session, the chain exactly as presented (leaf first), and
 * the verdict of validating it (the JDK's PKIX validation) against the bundled public roots and the
 * name.
 *
 * @param sni               the server name sent
 * @param protocol          negotiated protocol ({@code TLSv1.3}), null when the handshake failed
 * @param cipher            negotiated cipher suite
 * @param chain             the presented chain, leaf first
 * @param publicDestination the task marked the destination public: a chain that does not lead to
 *                          a public root is then interception
 * @param chainTrusted      the chain leads to a bundled public root (dates aside); a chain that
 *                          reaches one but breaks a rule on the way (an issuer that is not a CA, a
 *                          weak algorithm) names it too, with the rule in {@code problems}
 * @param trustAnchor       subject of that root, null when none
 * @param nameMatches       the leaf is valid for the SNI name (or the address probed)
 * @param problems          why the chain is not trusted, empty when it is
 * @param interceptedBy     issuer of the topmost presented certificate when the outcome is
 *                          interception: that names the inspecting device or its CA
 * @param error             the handshake or connection failure, null when the handshake completed
 */
public record TlsEvidence(
        String sni,
        String protocol,
        String cipher,
        List<Certificate> chain,
        boolean publicDestination,
        boolean chainTrusted,
        String trustAnchor,
        boolean nameMatches,
        List<Problem> problems,
        String interceptedBy,
        String error) implements Evidence {

    public TlsEvidence {
        chain = chain == null ? List.of() : List.copyOf(chain);
        problems = problems == null ? List.of() : List.copyOf(problems);
    }

    /** Why a chain is not trusted. */
    public enum Problem {
        EXPIRED, NOT_YET_VALID, NAME_MISMATCH, UNKNOWN_ISSUER, SELF_SIGNED,
        /**
         * A certificate of the chain issued another without being allowed to: not a CA, no
         * keyCertSign key usage, or beyond its path length.
         */
        ISSUER_NOT_CA,
        /** A signature or key of the chain uses an algorithm or size the runtime refuses (MD5, short keys). */
        WEAK_ALGORITHM,
        /** PKIX rejects the chain for another rule (an unknown critical extension, name constraints, policies). */
        INVALID_CHAIN
    }

    /**
     * One certificate of a chain.
     *
     * @param subject         RFC 2253 subject
     * @param issuer          RFC 2253 issuer
     * @param subjectAltNames DNS names and addresses, as {@code DNS:name} / {@code IP:address}
     * @param sha256          SHA-256 fingerprint of the DER encoding, lower-case hex
     * @param selfSigned      issuer equals subject and the signature verifies with its own key
     */
    public record Certificate(
            String subject,
            String issuer,
            String serial,
            Instant notBefore,
            Instant notAfter,
            List<String> subjectAltNames,
            String sha256,
            boolean selfSigned) {

        public Certificate {
            subjectAltNames = subjectAltNames == null ? List.of() : List.copyOf(subjectAltNames);
        }
    }
}
