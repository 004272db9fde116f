package dev.vantage.wire;

/**
 * A task as it travels on Kafka: the signed bytes and the signature over exactly those bytes.
 *
 * <p>{@code grant} is the JSON of a {@link TaskGrant}, carried as a string so that the signature covers
 * the very bytes the coordinator produced (no re-encoding, hence no canonicalisation pitfalls). The agent
 * verifies the signature before it reads the grant.
 *
 * @param schemaVersion {@link Wire#SCHEMA_VERSION}
 * @param keyId         which coordinator key signed it (lets agents trust several keys during a rotation)
 * @param grant         JSON of the {@link TaskGrant}
 * @param signature     Ed25519 signature over the UTF-8 bytes of {@code grant}, base64
 */
public record SignedTask(int schemaVersion, String keyId, String grant, String signature) {
}
