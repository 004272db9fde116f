package dev.vantage.trust;

import dev.vantage.wire.Outcome;
import dev.vantage.wire.PortRange;
import dev.vantage.wire.ProbeKind;
import dev.vantage.wire.ProbeResult;
import dev.vantage.wire.SignedResult;
import dev.vantage.wire.Wire;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class ResultSignerTest {
    private final KeyPair agent = Ed25519Keys.generate();
    private final ResultSigner signer = new ResultSigner(agent.getPrivate(), agent.getPublic());

    @Test
    void signsTheExactJsonItCarriesAndNamesTheKeyByItsFingerprint() {
        String json = Wire.encodeToString(result("a \"quoted\" summary, ünïcödé ✓"));
        SignedResult signed = signer.sign(json);
        assertThat(signed.schemaVersion()).isEqualTo(Wire.SCHEMA_VERSION);
        assertThat(signed.result()).isEqualTo(json);
        assertThat(signed.keyId()).isEqualTo(Ed25519Keys.fingerprint(agent.getPublic()));
        SignedResult back = Wire.decode(Wire.encode(signed), SignedResult.class);
        assertThat(back.result()).as("the envelope round-trips to the very characters signed").isEqualTo(json);
        assertThat(Signatures.verifies(agent.getPublic(), back.result(), back.signature())).isTrue();
    }

    @Test
    void aSignatureDoesNotCoverChangedBytesOrVerifyWithAnotherKey() {
        SignedResult signed = signer.sign(Wire.encodeToString(result("open")));
        String tampered = signed.result().replace("\"OPEN\"", "\"FILTERED\"");
        assertThat(tampered).isNotEqualTo(signed.result());
        assertThat(Signatures.verifies(agent.getPublic(), tampered, signed.signature())).isFalse();
        assertThat(Signatures.verifies(Ed25519Keys.generate().getPublic(), signed.result(), signed.signature())).isFalse();
        assertThat(Signatures.verifies(agent.getPublic(), signed.result(), "%%%")).isFalse();
    }

    @Test
    void fingerprintIsTheStartOfTheSha256OfTheEncodedKey() throws Exception {
        byte[] digest = MessageDigest.getInstance("SHA-256").digest(agent.getPublic().getEncoded());
        assertThat(Ed25519Keys.fingerprint(agent.getPublic())).hasSize(Ed25519Keys.FINGERPRINT_CHARS)
                .isEqualTo(HexFormat.of().formatHex(digest).substring(0, 32));
        assertThat(Ed25519Keys.fingerprint(Ed25519Keys.publicKey(Ed25519Keys.encode(agent.getPublic()))))
                .as("the same from the base64 text").isEqualTo(Ed25519Keys.fingerprint(agent.getPublic()));
        assertThat(Ed25519Keys.raw(agent.getPublic())).hasSize(32);
    }

    @Test
    void tellsWhetherAResultStillFitsTheMessageLimitOnceEnveloped() {
        // quotes are escaped in the envelope: a result just under the limit on its own no longer fits
        String quotes = "\"".repeat(Wire.MAX_MESSAGE_BYTES / 4 + 10);
        String json = Wire.encodeToString(result(quotes));
        assertThat(json.getBytes(StandardCharsets.UTF_8).length).isLessThan(Wire.MAX_MESSAGE_BYTES);
        assertThat(ResultSigner.fits(json)).isFalse();
        assertThat(ResultSigner.fits(Wire.encodeToString(result("open")))).isTrue();
    }

    private static ProbeResult result(String summary) {
        return new ProbeResult(Wire.SCHEMA_VERSION, "r1", "t1", "s1", "acme", "end-users", "agent-a", "1.0",
                "inbound.https", ProbeKind.TCP, "192.0.2.10", PortRange.of(443), Outcome.OPEN, null, null, "ipv4",
                "tcp", Instant.parse("2026-11-26T06:00:00Z"), Map.of("total", 10L), summary, null);
    }
}
