package dev.vantage.coordinator.auth;

import dev.vantage.coordinator.CoordinatorConfig;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Issues and resolves API tokens. A token is 32 random bytes; only its SHA-256 is stored. A fast hash is
 * enough here (unlike for passwords) because the secret has 256 bits of entropy: there is nothing to
 * guess from the hash.
 *
 * <p>{@link #resolve} runs for every API call. It reads the token's row on every call, with one indexed
 * plain JDBC query outside any transaction (about 0.2 ms, where a Hibernate query in a JTA transaction
 * cost 2-3 ms), and keeps no cache: a token revoked on any replica stops working
 * on every replica with the next request.
 */
@ApplicationScoped
public class Tokens {
    /** What a resolved token grants. */
    public record Grant(String name, Role role, List<String> sites) {
    }

    /** A freshly issued token: the secret is shown once and never again. */
    public record Issued(ApiToken token, String secret) {
    }

    private static final String PREFIX = "vtk_";
    private static final String RESOLVE = "SELECT name, role, CASE WHEN sites IS NULL THEN NULL "
            + "ELSE ARRAY(SELECT jsonb_array_elements_text(sites)) END FROM api_token "
            + "WHERE secret_hash = ? AND revoked_at IS NULL";
    private final SecureRandom random = new SecureRandom();
    private final Optional<String> bootstrapHash;
    private final AgroalDataSource db;

    public Tokens(CoordinatorConfig config, AgroalDataSource db) {
        this.bootstrapHash = config.auth().bootstrapAdminToken().filter(t -> !t.isBlank()).map(Tokens::hash);
        this.db = db;
    }

    /** What the token grants; empty when it is unknown or revoked. */
    public Optional<Grant> resolve(String secret) {
        return resolveHash(hash(secret));
    }

    /**
     * What the token with this SHA-256 ({@link #hash}) grants; empty when it is unknown or revoked. Console sessions
     * keep the hash of the token they were opened with and resolve it on every request, like an API call.
     */
    public Optional<Grant> resolveHash(String h) {
        if (bootstrapHash.isPresent() && MessageDigest.isEqual(bootstrapHash.get().getBytes(StandardCharsets.US_ASCII),
                h.getBytes(StandardCharsets.US_ASCII))) {
            return Optional.of(new Grant("bootstrap-admin", Role.ADMIN, null));
        }
        try (Connection c = db.getConnection(); PreparedStatement s = c.prepareStatement(RESOLVE)) {
            s.setString(1, h);
            try (ResultSet rs = s.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                Array sites = rs.getArray(3);
                return Optional.of(new Grant(rs.getString(1), Role.fromWireName(rs.getString(2)),
                        sites == null ? null : List.of((String[]) sites.getArray())));
            }
        } catch (SQLException e) {
            throw new IllegalStateException("looking up an API token: " + e.getMessage(), e);
        }
    }

    @Transactional
    public Issued issue(String name, Role role, List<String> sites, String createdBy) {
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        String secret = PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        ApiToken t = new ApiToken();
        t.id = UUID.randomUUID();
        t.name = name;
        t.secretHash = hash(secret);
        t.role = role.wireName();
        t.sites = sites == null ? null : List.copyOf(sites);
        t.createdAt = Instant.now();
        t.createdBy = createdBy;
        t.persist();
        return new Issued(t, secret);
    }

    @Transactional
    public List<ApiToken> list() {
        return ApiToken.list("order by createdAt");
    }

    @Transactional
    public boolean revoke(UUID id) {
        ApiToken t = ApiToken.findById(id);
        if (t == null || t.revokedAt != null) {
            return false;
        }
        t.revokedAt = Instant.now();
        return true;
    }

    /** The SHA-256 of a token's secret, hex: what is stored instead of the secret. */
    public static String hash(String secret) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(secret.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 missing from this Java runtime", e);
        }
    }
}
