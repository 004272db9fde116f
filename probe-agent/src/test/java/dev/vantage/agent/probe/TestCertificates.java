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

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import java.math.BigInteger;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/** Certificates made for a test: CAs and leaves, valid, expired or for another name. */
final class TestCertificates {
    private static final AtomicLong SERIAL = new AtomicLong(System.currentTimeMillis());

    private TestCertificates() {
    }

    /** A key and the chain presented with it, leaf first. */
    record Identity(KeyPair keys, List<X509Certificate> chain) {
        X509Certificate certificate() {
            return chain.get(0);
        }

        /** A server context presenting this identity. */
        SSLContext serverContext() throws Exception {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(null, null);
            ks.setKeyEntry("server", keys.getPrivate(), "pw".toCharArray(),
                    chain.toArray(new X509Certificate[0]));
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(ks, "pw".toCharArray());
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(kmf.getKeyManagers(), null, null);
            return ctx;
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
                now.plus(Duration.ofDays(365)), true, List.of());
        return new Identity(kp, List.of(cert));
    }

    /** A leaf for {@code names} issued by {@code issuer}; its chain is the leaf plus the issuer's chain. */
    static Identity leaf(Identity issuer, String cn, List<String> names, Instant notBefore, Instant notAfter)
            throws Exception {
        KeyPair kp = keys();
        X509Certificate cert = build("CN=" + cn, kp, X500Name.getInstance(issuer.certificate().getSubjectX500Principal().getEncoded()),
                issuer.keys().getPrivate(), notBefore, notAfter, false, names);
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
        KeyPair kp = keys();
        Instant now = Instant.now();
        X509Certificate cert = build(dn, kp, X500Name.getInstance(issuer.certificate().getSubjectX500Principal().getEncoded()),
                issuer.keys().getPrivate(), now.minus(Duration.ofDays(1)), now.plus(Duration.ofDays(365)), true,
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
                now.plus(Duration.ofDays(90)), false, names);
        return new Identity(kp, List.of(cert));
    }

    /** As {@link javax.security.auth.x500.X500Principal} reads it, so getName() gives the same text back. */
    private static X500Name name(String dn) {
        return X500Name.getInstance(new javax.security.auth.x500.X500Principal(dn).getEncoded());
    }

    private static X509Certificate build(String subject, KeyPair subjectKeys, X500Name issuer, PrivateKey issuerKey,
                                         Instant notBefore, Instant notAfter, boolean ca, List<String> names)
            throws Exception {
        JcaX509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(issuer,
                BigInteger.valueOf(SERIAL.incrementAndGet()), Date.from(notBefore), Date.from(notAfter),
                name(subject), subjectKeys.getPublic());
        b.addExtension(Extension.basicConstraints, true, new BasicConstraints(ca));
        b.addExtension(Extension.keyUsage, true, ca ? new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign)
                : new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment));
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
