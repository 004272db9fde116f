package dev.vantage.trust;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.util.Base64;

/**
 * Ed25519 signatures over the UTF-8 bytes of a text, base64 on the wire: what tasks (coordinator) and results
 * (agents) are signed with.
 */
public final class Signatures {
    private Signatures() {
    }

    /** The base64 signature of the text's UTF-8 bytes; {@code whose} names the key in the error. */
    public static String sign(PrivateKey key, String text, String whose) {
        try {
            Signature s = Signature.getInstance("Ed25519");
            s.initSign(key);
            s.update(text.getBytes(StandardCharsets.UTF_8));
            return Base64.getEncoder().encodeToString(s.sign());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot sign with " + whose, e);
        }
    }

    /** Whether {@code signature} (base64) is the key's signature of the text's UTF-8 bytes; false for garbage. */
    public static boolean verifies(PublicKey key, String text, String signature) {
        if (text == null || signature == null) {
            return false;
        }
        try {
            Signature s = Signature.getInstance("Ed25519");
            s.initVerify(key);
            s.update(text.getBytes(StandardCharsets.UTF_8));
            return s.verify(Base64.getDecoder().decode(signature));
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            return false;
        }
    }
}
