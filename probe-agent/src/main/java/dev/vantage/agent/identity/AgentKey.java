package dev.vantage.agent.identity;

import dev.vantage.trust.Ed25519Keys;
import dev.vantage.trust.ResultSigner;
import dev.vantage.trust.Signatures;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.util.EnumSet;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The agent's own Ed25519 key pair: it signs every result the agent sends, and its public half is announced in the
 * heartbeats. The coordinator trusts the key only once it is bound to the agent id (by the site file listing the
 * agent, or by an operator), so a sibling agent of the site cannot answer this agent's tasks.
 *
 * <p>The key is made on the first start of {@code run} and kept in one file (mode 600, owner only): the private key
 * as a PKCS#8 PEM block, then the public key as an X.509 PEM block ({@code openssl pkey -in <file> -pubout} prints the
 * latter too). Every later start reuses it; a new key means an operator must approve it before the agent's results
 * count again. A file that others may read, or that holds no matching pair, stops the start with what to do. The
 * private key is never logged or printed; the key id (the public key's fingerprint) is, so an operator can compare
 * it with what the coordinator shows.
 */
public final class AgentKey {
    private static final Pattern PEM = Pattern.compile("-----BEGIN ([A-Z ]+)-----([^-]+)-----END \\1-----");
    private static final Set<PosixFilePermission> OWNER_ONLY = EnumSet.of(PosixFilePermission.OWNER_READ,
            PosixFilePermission.OWNER_WRITE);

    private final PrivateKey privateKey;
    private final PublicKey publicKey;
    private final String keyId;
    private final boolean created;

    private AgentKey(PrivateKey privateKey, PublicKey publicKey, boolean created) {
        this.privateKey = privateKey;
        this.publicKey = publicKey;
        this.keyId = Ed25519Keys.fingerprint(publicKey);
        this.created = created;
    }

    /**
     * The key pair in {@code file}, made and written there first when the file does not exist.
     *
     * @throws IllegalArgumentException when the file cannot be read or written, may be read by others, or holds no
     *                                  matching Ed25519 key pair; the message names the file and what to do
     */
    public static AgentKey loadOrCreate(Path file) {
        try {
            return load(file);
        } catch (NoSuchFileException e) {
            return create(file);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read the agent key file " + file + ": " + e.getMessage(), e);
        }
    }

    /** The fingerprint of the public key: what heartbeats and signed results name the key by. */
    public String keyId() {
        return keyId;
    }

    /** The public key, base64 X.509, as the heartbeat announces it. */
    public String publicKeyText() {
        return Ed25519Keys.encode(publicKey);
    }

    /** Whether this start made the key (the first start, or after the file was removed). */
    public boolean created() {
        return created;
    }

    /** Signs results with this key. */
    public ResultSigner signer() {
        return new ResultSigner(privateKey, publicKey);
    }

    @Override
    public String toString() {
        return "agent key " + keyId; // never the private key
    }

    private static AgentKey load(Path file) throws IOException {
        String text = Files.readString(file, StandardCharsets.US_ASCII);
        Set<PosixFilePermission> mode = permissions(file);
        if (mode != null && !OWNER_ONLY.containsAll(mode)) {
            throw new IllegalArgumentException("the agent key file " + file + " may be read by others (mode "
                    + PosixFilePermissions.toString(mode) + "): make it the agent user's alone, chmod 600 " + file);
        }
        String privateText = null;
        String publicText = null;
        Matcher m = PEM.matcher(text);
        while (m.find()) {
            if (m.group(1).equals("PRIVATE KEY")) {
                privateText = m.group(2);
            } else if (m.group(1).equals("PUBLIC KEY")) {
                publicText = m.group(2);
            }
        }
        if (privateText == null || publicText == null) {
            throw unusable(file, "it lacks the PEM block of the " + (privateText == null ? "private" : "public") + " key");
        }
        PrivateKey privateKey;
        PublicKey publicKey;
        try {
            privateKey = Ed25519Keys.privateKey(privateText);
            publicKey = Ed25519Keys.publicKey(publicText);
        } catch (IllegalArgumentException e) {
            throw unusable(file, "it holds no Ed25519 key pair (" + e.getMessage() + ")");
        }
        String probe = "vantage agent key check";
        if (!Signatures.verifies(publicKey, probe, Signatures.sign(privateKey, probe, "the agent key in " + file))) {
            throw unusable(file, "its public key is not the public half of its private key");
        }
        return new AgentKey(privateKey, publicKey, false);
    }

    private static IllegalArgumentException unusable(Path file, String why) {
        return new IllegalArgumentException("the agent key file " + file + " cannot be used: " + why + ". Restore it "
                + "from a backup, or move it away to let the agent make a new key, which an operator must then approve "
                + "(POST /agents/<id>/key/approve)");
    }

    /** Writes a new key pair to a temporary file that is owner-only from its creation, then renames it into place. */
    private static AgentKey create(Path file) {
        KeyPair pair = Ed25519Keys.generate();
        String text = pem("PRIVATE KEY", Ed25519Keys.encode(pair.getPrivate()))
                + pem("PUBLIC KEY", Ed25519Keys.encode(pair.getPublic()));
        Path dir = file.toAbsolutePath().getParent();
        Path tmp = dir.resolve(file.getFileName() + ".new");
        try {
            Files.createDirectories(dir);
            Files.deleteIfExists(tmp);
            try {
                Files.createFile(tmp, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
            } catch (UnsupportedOperationException noPosix) {
                Files.createFile(tmp);
            }
            try (FileChannel out = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                out.write(ByteBuffer.wrap(text.getBytes(StandardCharsets.US_ASCII)));
                out.force(true);
            }
            try {
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot write a new agent key to " + file + ": " + e.getMessage()
                    + " (vantage.agent.key-file must lie in a directory the agent user may write, its state directory)", e);
        }
        return new AgentKey(pair.getPrivate(), pair.getPublic(), true);
    }

    private static String pem(String type, String base64) {
        StringBuilder out = new StringBuilder("-----BEGIN " + type + "-----\n");
        for (int i = 0; i < base64.length(); i += 64) {
            out.append(base64, i, Math.min(base64.length(), i + 64)).append('\n');
        }
        return out.append("-----END ").append(type).append("-----\n").toString();
    }

    private static Set<PosixFilePermission> permissions(Path file) throws IOException {
        try {
            return Files.getPosixFilePermissions(file);
        } catch (UnsupportedOperationException noPosix) {
            return null;
        }
    }
}
