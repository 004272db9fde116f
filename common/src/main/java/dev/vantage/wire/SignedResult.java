package dev.vantage.wire;

/**
 * A result as it travels on {@link Topics#RESULTS}: the JSON of a {@link ProbeResult} and the signature of the
 * agent that produced it, over exactly those bytes.
 *
 * <p>Like {@link SignedTask}, the result is carried as a string so that the signature covers the very bytes the
 * agent produced (no re-encoding, hence no canonicalisation pitfalls). The coordinator verifies the signature with
 * the key bound to the agent the task was signed for before it trusts anything in the result; {@code keyId} only
 * says which key the agent used, it never chooses the key that verifies.
 *
 * @param schemaVersion {@link Wire#SCHEMA_VERSION}
 * @param keyId         fingerprint of the agent key that signed ({@code dev.vantage.trust.Ed25519Keys#fingerprint})
 * @param result        JSON of the {@link ProbeResult}
 * @param signature     Ed25519 signature over the UTF-8 bytes of {@code result}, base64
 */
public record SignedResult(int schemaVersion, String keyId, String result, String signature) {
}
