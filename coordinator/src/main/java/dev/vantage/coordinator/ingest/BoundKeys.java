package dev.vantage.coordinator.ingest;

import dev.vantage.trust.Ed25519Keys;
import org.bouncycastle.math.ec.rfc8032.Ed25519;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The keys bound to agents, as ingest checks signed results against them. Which key is bound is read for the agents
 * of each batch (one query, in the batch's transaction), so an approved change of key, or a revoked one, counts from
 * the next batch on, on every replica. The keys themselves are decoded once and kept: turning a key's bytes into a
 * curve point costs about as much as a verification.
 *
 * <p>Verification is Bouncy Castle's RFC 8032 Ed25519, the same signatures the agents make with the JDK, at about an
 * eighth of the JDK 17 provider's cost per result (BENCHMARKS.md, "Signed results").
 */
final class BoundKeys {
    /** A key bound to an agent: its fingerprint, and its point ready for verification. */
    record Bound(String keyId, Ed25519.PublicPoint point) {
    }

    /** More distinct keys than this and the decoded ones are dropped and decoded again on use. */
    private static final int MAX_DECODED = 100_000;

    private final Map<String, Ed25519.PublicPoint> decoded = new ConcurrentHashMap<>();

    /** The keys bound to these agents; an agent without a bound key (or unknown) is absent. */
    Map<String, Bound> of(Connection c, Collection<String> agentIds) throws SQLException {
        Map<String, Bound> out = new HashMap<>();
        if (agentIds.isEmpty()) {
            return out;
        }
        try (PreparedStatement s = c.prepareStatement("SELECT id, key_id, public_key FROM agent WHERE id = ANY (?) "
                + "AND key_id IS NOT NULL")) {
            s.setArray(1, c.createArrayOf("text", agentIds.toArray()));
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    Ed25519.PublicPoint point = point(rs.getString(3));
                    if (point != null) {
                        out.put(rs.getString(1), new Bound(rs.getString(2), point));
                    }
                }
            }
        }
        return out;
    }

    /** Whether the 64-byte signature is the bound key's signature of the message. */
    static boolean verifies(Bound key, byte[] message, byte[] signature) {
        return signature.length == Ed25519.SIGNATURE_SIZE
                && Ed25519.verify(signature, 0, key.point(), message, 0, message.length);
    }

    /** The decoded key, or null for one that is no valid Ed25519 point (then nothing verifies with it). */
    private Ed25519.PublicPoint point(String publicKey) {
        Ed25519.PublicPoint point = decoded.get(publicKey);
        if (point == null) {
            try {
                point = Ed25519.validatePublicKeyFullExport(Ed25519Keys.raw(Ed25519Keys.publicKey(publicKey)), 0);
            } catch (IllegalArgumentException e) {
                return null;
            }
            if (point == null) {
                return null;
            }
            if (decoded.size() >= MAX_DECODED) {
                decoded.clear();
            }
            decoded.put(publicKey, point);
        }
        return point;
    }
}
