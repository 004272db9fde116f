package dev.vantage.trust;

import dev.vantage.wire.SignedResult;
import dev.vantage.wire.Wire;

import java.security.PrivateKey;
import java.security.PublicKey;

/**
 * The agent's side of result signing: wraps the JSON of each result it sends into a {@link SignedResult} signed
 * with the agent's own Ed25519 key. The coordinator accepts the result only when the signature verifies with the
 * key bound to the agent the task was signed for.
 */
public final class ResultSigner {
    /** Base64 characters of an Ed25519 signature (64 bytes). */
    private static final int SIGNATURE_CHARS = 88;

    private final String keyId;
    private final PrivateKey key;

    /** @param publicKey the public half of {@code key}, named by its fingerprint in every envelope */
    public ResultSigner(PrivateKey key, PublicKey publicKey) {
        this.key = key;
        this.keyId = Ed25519Keys.fingerprint(publicKey);
    }

    /** The fingerprint of the signing key. */
    public String keyId() {
        return keyId;
    }

    /** Signs the result's JSON exactly as given; the envelope carries these very characters. */
    public SignedResult sign(String resultJson) {
        return new SignedResult(Wire.SCHEMA_VERSION, keyId, resultJson, Signatures.sign(key, resultJson,
                "agent key " + keyId));
    }

    /**
     * Whether the result's JSON, once carried in a signed envelope (where escaping its quotes makes it longer),
     * stays within {@link Wire#MAX_MESSAGE_BYTES}.
     */
    public static boolean fits(String resultJson) {
        SignedResult largest = new SignedResult(Wire.SCHEMA_VERSION, "0".repeat(Ed25519Keys.FINGERPRINT_CHARS),
                resultJson, "0".repeat(SIGNATURE_CHARS));
        return Wire.encode(largest).length <= Wire.MAX_MESSAGE_BYTES;
    }
}
