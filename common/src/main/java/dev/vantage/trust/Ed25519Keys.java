package dev.vantage.trust;

import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;

/**
 * Reading and writing the coordinator's Ed25519 keys as base64 text (X.509 SubjectPublicKeyInfo for
 * public keys, PKCS#8 for private keys — the DER inside the usual PEM files, so {@code openssl pkey}
 * output works after removing the armour lines).
 */
public final class Ed25519Keys {
    private Ed25519Keys() {
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
