package dev.vantage.coordinator.auth;

import dev.vantage.coordinator.api.ApiProblem;
import jakarta.enterprise.context.RequestScoped;

import java.util.Collection;
import java.util.Optional;
import java.util.Set;

/**
 * Who is calling, set by {@link TokenFilter} for every API request. A token may be limited to some
 * sites; for any other site the API answers 404, exactly as for a site that does not exist, so ids
 * of other customers cannot be probed.
 */
@RequestScoped
public class Caller {
    private String name = "anonymous";
    private Role role;
    private Set<String> sites;
    private String tokenHash;
    private Sessions.Session session;

    void authenticate(String name, Role role, Collection<String> sites, String tokenHash, Sessions.Session session) {
        this.name = name;
        this.role = role;
        this.sites = sites == null ? null : Set.copyOf(sites);
        this.tokenHash = tokenHash;
        this.session = session;
    }

    /** The SHA-256 of the token the call was made with (a one-time sign-in link signs in with it). */
    public String tokenHash() {
        return tokenHash;
    }

    /** The console session the request came with; empty for a call with a bearer token. */
    public Optional<Sessions.Session> session() {
        return Optional.ofNullable(session);
    }

    /**
     * Checks the CSRF token a console form sent against the session's.
     *
     * @throws ApiProblem 403 when the request has no session or the token is missing or wrong
     */
    public void requireFormToken(String token) {
        if (session == null || token == null || !java.security.MessageDigest.isEqual(
                session.csrf().getBytes(java.nio.charset.StandardCharsets.US_ASCII),
                token.getBytes(java.nio.charset.StandardCharsets.US_ASCII))) {
            throw new ApiProblem(403, "Forbidden", "the form carries no valid CSRF token (it is older than the "
                    + "session, or it was not sent from this console): reload the page and send it again", "csrf", null);
        }
    }

    public boolean may(Role needed) {
        return role != null && role.covers(needed);
    }

    /** The token's name, recorded as the author of changes. */
    public String name() {
        return name;
    }

    public Role role() {
        return role;
    }

    /** The sites the token is limited to; empty when it may see every site. */
    public Optional<Set<String>> sites() {
        return Optional.ofNullable(sites);
    }

    public boolean maySee(String siteId) {
        return sites == null || sites.contains(siteId);
    }

    /** @throws ApiProblem 404 when the token may not see this site */
    public void requireSite(String siteId) {
        if (!maySee(siteId)) {
            throw ApiProblem.notFound("site", siteId);
        }
    }
}
