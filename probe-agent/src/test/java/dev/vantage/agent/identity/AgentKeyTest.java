package dev.vantage.agent.identity;

import dev.vantage.trust.Ed25519Keys;
import dev.vantage.trust.Signatures;
import dev.vantage.wire.SignedResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AgentKeyTest {

    @Test
    void makesItsKeyOnceOwnerOnlyAndReusesItOnEveryLaterStart(@TempDir Path state) throws Exception {
        Path file = state.resolve("agent.key");
        AgentKey first = AgentKey.loadOrCreate(file);
        assertThat(first.created()).isTrue();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        byte[] written = Files.readAllBytes(file);

        AgentKey restarted = AgentKey.loadOrCreate(file);
        AgentKey again = AgentKey.loadOrCreate(file);
        assertThat(restarted.created()).isFalse();
        assertThat(restarted.keyId()).isEqualTo(first.keyId()).isEqualTo(again.keyId());
        assertThat(restarted.publicKeyText()).isEqualTo(first.publicKeyText());
        assertThat(Files.readAllBytes(file)).as("the file is left as it was").isEqualTo(written);
        assertThat(state.toFile().list()).as("no temporary file left behind").containsExactly("agent.key");

        // what the restarted agent signs verifies with the key the first start announced
        SignedResult signed = restarted.signer().sign("{\"resultId\":\"r1\"}");
        assertThat(signed.keyId()).isEqualTo(first.keyId());
        assertThat(Signatures.verifies(Ed25519Keys.publicKey(first.publicKeyText()), signed.result(), signed.signature()))
                .isTrue();
    }

    @Test
    void theFileIsPemThatNamesNoSecretWhenPrinted(@TempDir Path state) throws Exception {
        Path file = state.resolve("agent.key");
        AgentKey key = AgentKey.loadOrCreate(file);
        String text = Files.readString(file);
        assertThat(text).startsWith("-----BEGIN PRIVATE KEY-----\n").contains("-----BEGIN PUBLIC KEY-----\n");
        String privateBody = text.substring(text.indexOf('\n') + 1, text.indexOf("-----END PRIVATE KEY-----"))
                .replace("\n", "");
        assertThat(key.toString()).isEqualTo("agent key " + key.keyId()).doesNotContain(privateBody);
    }

    @Test
    void refusesAKeyFileOthersMayRead(@TempDir Path state) throws Exception {
        Path file = state.resolve("agent.key");
        AgentKey.loadOrCreate(file);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        assertThatThrownBy(() -> AgentKey.loadOrCreate(file)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("the agent key file " + file + " may be read by others (mode rw-r--r--): make it the agent "
                        + "user's alone, chmod 600 " + file);
    }

    @Test
    void refusesAFileWhosePublicKeyIsNotItsPrivateKeysHalf(@TempDir Path state) throws Exception {
        Path file = state.resolve("agent.key");
        AgentKey.loadOrCreate(file);
        String text = Files.readString(file);
        String otherPublic = Ed25519Keys.encode(Ed25519Keys.generate().getPublic());
        Files.writeString(file, text.substring(0, text.indexOf("-----BEGIN PUBLIC KEY-----"))
                + "-----BEGIN PUBLIC KEY-----\n" + otherPublic + "\n-----END PUBLIC KEY-----\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        assertThatThrownBy(() -> AgentKey.loadOrCreate(file)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("cannot be used: its public key is not the public half of its private key")
                .hasMessageContaining("move it away");
        Files.writeString(file, "garbage");
        assertThatThrownBy(() -> AgentKey.loadOrCreate(file))
                .hasMessageContaining("it lacks the PEM block of the private key");
    }
}
