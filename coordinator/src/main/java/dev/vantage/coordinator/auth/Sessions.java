package dev.vantage.coordinator.auth;

import dev.vantage.coordinator.console.ConsoleConfig;
import io.agroal.api.AgroalDataSource;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;

import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;

/**
 * Console sessions and one-time sign-in codes, stored in PostgreSQL so that every replica knows them.
 *
 * <p>A session is opened with an API token and stands for it: the row keeps the SHA-256 of the token, which is
 * resolved on every request exactly like a bearer token ({@link Tokens#resolveHash}), so a revoked token ends its
 * sessions with the next request and the session has the token's role and sites, never more. The cookie holds 32
 * random bytes; only their SHA-256 is stored. Each session has its own CSRF token for its forms.
 *
 * <p>A one-time code (for a sign-in link) is stored the same way and deleted by the statement that uses it, so of
 * two requests with the same code (on any replicas) exactly one signs in.
 */
@ApplicationScoped
@Startup
public class Sessions {
    /** The session cookie. */
    public static final String COOKIE = "vantage_session";

    /** An open session: who it stands for, its CSRF token and when it ends. */
    public record Session(String idHash, String tokenHash, Tokens.Grant grant, String csrf, Instant expiresAt) {
    }

    /** A session just opened: the cookie value (shown once, to the browser) and the session. */
    public record Opened(String cookie, Session session) {
    }

    private final SecureRandom random = new SecureRandom();
    private final Tokens tokens;
    private final AgroalDataSource db;
    private final Duration lifetime;
    private final Duration linkValidity;
    private final boolean alwaysSecure;

    public Sessions(Tokens tokens, AgroalDataSource db, ConsoleConfig config) {
        this.tokens = tokens;
        this.db = db;
        this.lifetime = config.sessionLifetime();
        this.linkValidity = config.signInLinkValidity();
        this.alwaysSecure = switch (config.secureCookie()) {
            case "auto" -> false;
            case "always" -> true;
            default -> throw new IllegalArgumentException("vantage.console.secure-cookie is '" + config.secureCookie()
                    + "': use auto (Secure over TLS) or always");
        };
    }

    public Duration lifetime() {
        return lifetime;
    }

    /** Whether the cookie gets {@code Secure} for a request with this scheme. */
    public boolean secure(String scheme) {
        return alwaysSecure || "https".equalsIgnoreCase(scheme);
    }

    /** Opens a session for an API token; empty when the token is unknown or revoked. */
    public Optional<Opened> open(String tokenSecret) {
        if (tokenSecret == null || tokenSecret.isBlank()) {
            return Optional.empty();
        }
        return openFor(Tokens.hash(tokenSecret.strip()));
    }

    private Optional<Opened> openFor(String tokenHash) {
        Optional<Tokens.Grant> grant = tokens.resolveHash(tokenHash);
        if (grant.isEmpty()) {
            return Optional.empty();
        }
        String cookie = secret();
        String csrf = secret();
        Instant now = Instant.now();
        Instant expires = now.plus(lifetime);
        update("DELETE FROM console_session WHERE expires_at < now()");
        update("INSERT INTO console_session (id_hash, token_hash, csrf, created_at, expires_at) VALUES (?, ?, ?, ?, ?)",
                Tokens.hash(cookie), tokenHash, csrf, Timestamp.from(now), Timestamp.from(expires));
        return Optional.of(new Opened(cookie, new Session(Tokens.hash(cookie), tokenHash, grant.get(), csrf, expires)));
    }

    /** The session of a cookie, if it is open, unexpired and its token still valid. */
    public Optional<Session> resolve(String cookie) {
        if (cookie == null || cookie.isEmpty() || cookie.length() > 100) {
            return Optional.empty();
        }
        String idHash = Tokens.hash(cookie);
        try (Connection c = db.getConnection();
             PreparedStatement s = c.prepareStatement("SELECT token_hash, csrf, expires_at FROM console_session "
                     + "WHERE id_hash = ? AND expires_at > now()")) {
            s.setString(1, idHash);
            try (ResultSet rs = s.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                String tokenHash = rs.getString(1);
                String csrf = rs.getString(2);
                Instant expires = rs.getTimestamp(3).toInstant();
                return tokens.resolveHash(tokenHash).map(g -> new Session(idHash, tokenHash, g, csrf, expires));
            }
        } catch (SQLException e) {
            throw new IllegalStateException("looking up a console session: " + e.getMessage(), e);
        }
    }

    /** Ends a session (sign-out). */
    public void close(Session session) {
        update("DELETE FROM console_session WHERE id_hash = ?", session.idHash());
    }

    /** A one-time code that signs in once with the token of this hash, within the link validity. */
    public Issued issueCode(String tokenHash, String createdBy) {
        String code = secret();
        Instant expires = Instant.now().plus(linkValidity);
        update("DELETE FROM console_sign_in_code WHERE expires_at < now()");
        update("INSERT INTO console_sign_in_code (code_hash, token_hash, created_by, expires_at) VALUES (?, ?, ?, ?)",
                Tokens.hash(code), tokenHash, createdBy, Timestamp.from(expires));
        return new Issued(code, expires);
    }

    /** A one-time code and when it stops working. */
    public record Issued(String code, Instant expiresAt) {
    }

    /** Uses a one-time code: a session when the code was valid and unused (it is gone afterwards), else empty. */
    public Optional<Opened> redeem(String code) {
        if (code == null || code.isEmpty() || code.length() > 100) {
            return Optional.empty();
        }
        String tokenHash;
        try (Connection c = db.getConnection();
             PreparedStatement s = c.prepareStatement("DELETE FROM console_sign_in_code WHERE code_hash = ? "
                     + "RETURNING token_hash, expires_at > now()")) {
            s.setString(1, Tokens.hash(code));
            try (ResultSet rs = s.executeQuery()) {
                if (!rs.next() || !rs.getBoolean(2)) {
                    return Optional.empty();
                }
                tokenHash = rs.getString(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("using a sign-in code: " + e.getMessage(), e);
        }
        return openFor(tokenHash);
    }

    private String secret() {
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private void update(String sql, Object... args) {
        try (Connection c = db.getConnection(); PreparedStatement s = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                s.setObject(i + 1, args[i]);
            }
            s.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("console session storage: " + e.getMessage(), e);
        }
    }
}
