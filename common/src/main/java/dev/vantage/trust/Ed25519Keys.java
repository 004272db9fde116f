package dev.vantage.trust;

import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;

/**
 * Reading and writing Ed25519 keys (the coordinator's task-signing key, each agent's result-signing key) as base64
 * text (X.509 SubjectPublicKeyInfo for public keys, PKCS#8 for private keys — the DER inside the usual PEM files, so
 * {@code openssl pkey} output works after removing the armour lines), and naming a public key by its fingerprint.
 */
public final class Ed25519Keys {
    /** Characters of a {@link #fingerprint}. */
    public static final int FINGERPRINT_CHARS = 32;
    /** The X.509 SubjectPublicKeyInfo of every Ed25519 public key starts with these bytes (RFC 8410). */
    private static final byte[] X509_PREFIX = HexFormat.of().parseHex("302a300506032b6570032100");

    private Ed25519Keys() {
    }

    /**
     * The key id of a public key: the first 32 hex digits of the SHA-256 of its X.509 encoding, so anyone can
     * recompute it from the base64 text ({@code base64 -d | sha256sum | cut -c1-32}) or from the PEM file
     * ({@code openssl pkey -pubin -in key.pub -outform DER | sha256sum}).
     */
    public static String fingerprint(PublicKey key) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(key.getEncoded());
            return HexFormat.of().formatHex(digest, 0, FINGERPRINT_CHARS / 2);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this Java runtime has no SHA-256", e);
        }
    }

    /** The 32 bytes of the key itself (RFC 8032), for libraries that take raw keys. */
    public static byte[] raw(PublicKey key) {
        byte[] der = key.getEncoded();
        if (der.length != X509_PREFIX.length + 32 || !Arrays.equals(der, 0, X509_PREFIX.length, X509_PREFIX, 0,
                X509_PREFIX.length)) {
            throw new IllegalArgumentException("not an Ed25519 public key: " + key.getAlgorithm() + ", "
                    + der.length + " bytes");
        }
        return Arrays.copyOfRange(der, X509_PREFIX.length, der.length);
    }

    public static KeyPair generate() {
        try {
            return KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this Java runtime has no Ed25519 (module jdk.crypto.ec missing?)", e);
        }
    }

    public static String encode(PublicKey key) {
        return Base64.getEncoder().encodeToString(key.getEncoded());
    }

    public static String encode(PrivateKey key) {
        return Base64.getEncoder().encodeToString(key.getEncoded());
    }

    /** @throws IllegalArgumentException when the text is not a base64 Ed25519 public key (or PEM of one) */
    public static PublicKey publicKey(String text) {
        try {
            return KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(der(text)));
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new IllegalArgumentException("not an Ed25519 public key (base64 X.509 / PEM expected): "
                    + abbreviate(text), e);
        }
    }

    /** @throws IllegalArgumentException when the text is not a base64 Ed25519 private key (or PEM of one) */
    public static PrivateKey privateKey(String text) {
        try {
            return KeyFactory.getInstance("Ed25519").generatePrivate(new PKCS8EncodedKeySpec(der(text)));
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new IllegalArgumentException("not an Ed25519 private key (base64 PKCS#8 / PEM expected)", e);
        }
    }

    private static byte[] der(String text) {
        if (text == null) {
            throw new IllegalArgumentException("no key given");
        }
        String body = text.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
        return Base64.getDecoder().decode(body);
    }

    private static String abbreviate(String text) {
        if (text == null) {
            return "null";
        }
        return text.length() <= 24 ? "'" + text + "'" : "'" + text.substring(0, 24) + "…'";
    }
}
