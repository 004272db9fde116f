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

    void authenticate(String name, Role role, Collection<String> sites) {
        this.name = name;
        this.role = role;
        this.sites = sites == null ? null : Set.copyOf(sites);
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
