import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.util.Base64;

/**
 * Makes a coordinator signing key pair where OpenSSL is missing; JDK 17 runs it as a single file:
 * {@code java Keygen.java <private-out> <public-out>}. Writes the Ed25519 private key as base64 PKCS#8 DER
 * (for VANTAGE_SIGNING_PRIVATE_KEY) and the public key as base64 X.509 SubjectPublicKeyInfo DER (for the
 * agents' vantage.agent.trusted-keys.<key-id>), one line each. The caller sets the file mode (umask 077).
 */
public class Keygen {
    public static void main(String[] args) throws Exception {
        if (args.length != 2) {
            System.err.println("usage: java Keygen.java <private-key-file> <public-key-file>");
            System.exit(2);
        }
        KeyPair pair = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        Base64.Encoder b64 = Base64.getEncoder();
        Files.writeString(Path.of(args[0]), b64.encodeToString(pair.getPrivate().getEncoded()) + "\n");
        Files.writeString(Path.of(args[1]), b64.encodeToString(pair.getPublic().getEncoded()) + "\n");
    }
}
