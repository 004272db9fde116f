package dev.vantage.agent.probe;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedKeyManager;
import java.math.BigInteger;
import java.net.Socket;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Certificates made for a test: CAs and leaves, valid, expired or for another name, and the broken
 * shapes real clients reject (an intermediate that is not a CA or may not sign certificates).
 */
final class TestCertificates {
    private static final AtomicLong SERIAL = new AtomicLong(System.currentTimeMillis());
    private static final int CA_USAGE = KeyUsage.keyCertSign | KeyUsage.cRLSign;
    private static final int LEAF_USAGE = KeyUsage.digitalSignature | KeyUsage.keyEncipherment;

    /**
     * How a certificate is marked (basicConstraints and key usage): a CA, an end entity, or a CA
     * whose key usage does not allow signing certificates. The last two must not issue others.
     */
    enum Shape {
        CA(true, CA_USAGE), END_ENTITY(false, LEAF_USAGE), CA_WITHOUT_CERT_SIGN(true, KeyUsage.digitalSignature);

        final boolean ca;
        final int keyUsage;

        Shape(boolean ca, int keyUsage) {
            this.ca = ca;
            this.keyUsage = keyUsage;
        }
    }

    private TestCertificates() {
    }

    /** A key and the chain presented with it, leaf first. */
    record Identity(KeyPair keys, List<X509Certificate> chain) {
        X509Certificate certificate() {
            return chain.get(0);
        }

        /** A server context presenting this identity, its chain exactly as listed (any order). */
        SSLContext serverContext() throws Exception {
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(new KeyManager[] {new Presenting(keys.getPrivate(), chain)}, null, null);
            return ctx;
        }
    }

    /** Presents one key and chain; unlike a key store it does not insist on the chain's order. */
    private static final class Presenting extends X509ExtendedKeyManager {
        private final PrivateKey key;
        private final X509Certificate[] chain;

        Presenting(PrivateKey key, List<X509Certificate> chain) {
            this.key = key;
            this.chain = chain.toArray(new X509Certificate[0]);
        }

        @Override
        public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
            return chooseServerAlias(keyType, issuers, (Socket) null);
        }

        @Override
        public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
            return keyType.equals(key.getAlgorithm()) ? "server" : null;
        }

        @Override
        public String[] getServerAliases(String keyType, Principal[] issuers) {
            return new String[] {"server"};
        }

        @Override
        public X509Certificate[] getCertificateChain(String alias) {
            return chain.clone();
        }

        @Override
        public PrivateKey getPrivateKey(String alias) {
            return key;
        }

        @Override
        public String[] getClientAliases(String keyType, Principal[] issuers) {
            return new String[0];
        }

        @Override
        public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
            return null;
        }
    }

    static KeyPair keys() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"));
        return g.generateKeyPair();
    }

    static Identity ca(String dn) throws Exception {
        KeyPair kp = keys();
        Instant now = Instant.now();
        X509Certificate cert = build(dn, kp, name(dn), kp.getPrivate(), now.minus(Duration.ofDays(1)),
                now.plus(Duration.ofDays(365)), Shape.CA, List.of());
        return new Identity(kp, List.of(cert));
    }

    /** A leaf for {@code names} issued by {@code issuer}; its chain is the leaf plus the issuer's chain. */
    static Identity leaf(Identity issuer, String cn, List<String> names, Instant notBefore, Instant notAfter)
            throws Exception {
        return leafWithSubject(issuer, "CN=" + cn, names, notBefore, notAfter);
    }

    /** A leaf whose subject is the distinguished name {@code dn} (RFC 2253, escapes and all). */
    static Identity leafWithSubject(Identity issuer, String dn, List<String> names, Instant notBefore,
                                    Instant notAfter) throws Exception {
        KeyPair kp = keys();
        X509Certificate cert = build(dn, kp, X500Name.getInstance(issuer.certificate().getSubjectX500Principal().getEncoded()),
                issuer.keys().getPrivate(), notBefore, notAfter, Shape.END_ENTITY, names);
        List<X509Certificate> chain = new java.util.ArrayList<>();
        chain.add(cert);
        chain.addAll(issuer.chain());
        return new Identity(kp, chain);
    }

    static Identity leaf(Identity issuer, String cn, List<String> names) throws Exception {
        Instant now = Instant.now();
        return leaf(issuer, cn, names, now.minus(Duration.ofDays(1)), now.plus(Duration.ofDays(90)));
    }

    /** An intermediate CA issued by {@code issuer}. */
    static Identity intermediate(Identity issuer, String dn) throws Exception {
        return intermediate(issuer, dn, Shape.CA);
    }

    /** An intermediate issued by {@code issuer}, marked as {@code shape} says (it may not be a CA at all). */
    static Identity intermediate(Identity issuer, String dn, Shape shape) throws Exception {
        KeyPair kp = keys();
        Instant now = Instant.now();
        X509Certificate cert = build(dn, kp, X500Name.getInstance(issuer.certificate().getSubjectX500Principal().getEncoded()),
                issuer.keys().getPrivate(), now.minus(Duration.ofDays(1)), now.plus(Duration.ofDays(365)), shape,
                List.of());
        List<X509Certificate> chain = new java.util.ArrayList<>();
        chain.add(cert);
        chain.addAll(issuer.chain());
        return new Identity(kp, chain);
    }

    static Identity selfSigned(String cn, List<String> names) throws Exception {
        KeyPair kp = keys();
        Instant now = Instant.now();
        X509Certificate cert = build("CN=" + cn, kp, name("CN=" + cn), kp.getPrivate(), now.minus(Duration.ofDays(1)),
                now.plus(Duration.ofDays(90)), Shape.END_ENTITY, names);
        return new Identity(kp, List.of(cert));
    }

    /**
     * {@code subject}'s CA certificate issued again, by {@code issuer}, for the dates given: the
     * cross-signed copy of a root that servers still send after the old root expired.
     */
    static X509Certificate crossSigned(Identity subject, Identity issuer, Instant notBefore, Instant notAfter)
            throws Exception {
        return build(subject.certificate().getSubjectX500Principal().getName(), subject.keys(),
                X500Name.getInstance(issuer.certificate().getSubjectX500Principal().getEncoded()),
                issuer.keys().getPrivate(), notBefore, notAfter, Shape.CA, List.of());
    }

    /** As {@link javax.security.auth.x500.X500Principal} reads it, so getName() gives the same text back. */
    private static X500Name name(String dn) {
        return X500Name.getInstance(new javax.security.auth.x500.X500Principal(dn).getEncoded());
    }

    private static X509Certificate build(String subject, KeyPair subjectKeys, X500Name issuer, PrivateKey issuerKey,
                                         Instant notBefore, Instant notAfter, Shape shape, List<String> names)
            throws Exception {
        JcaX509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(issuer,
                BigInteger.valueOf(SERIAL.incrementAndGet()), Date.from(notBefore), Date.from(notAfter),
                name(subject), subjectKeys.getPublic());
        b.addExtension(Extension.basicConstraints, true, new BasicConstraints(shape.ca));
        b.addExtension(Extension.keyUsage, true, new KeyUsage(shape.keyUsage));
        if (!names.isEmpty()) {
            GeneralName[] gn = names.stream()
                    .map(n -> n.matches("[0-9.]+|.*:.*") ? new GeneralName(GeneralName.iPAddress, n)
                            : new GeneralName(GeneralName.dNSName, n))
                    .toArray(GeneralName[]::new);
            b.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(gn));
        }
        return new JcaX509CertificateConverter().getCertificate(
                b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(issuerKey)));
    }
}
