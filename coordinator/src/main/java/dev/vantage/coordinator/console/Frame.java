package dev.vantage.coordinator.console;

import dev.vantage.coordinator.auth.Caller;
import dev.vantage.coordinator.auth.Role;

/**
 * What every console page shows around its content: who is signed in with which role, the CSRF token of the
 * sign-out form, and the REST resource (JSON) the page shows.
 */
public record Frame(String user, String role, String csrf, String json, boolean operator, boolean admin) {

    /** The frame of a page that shows the REST resource at {@code json} (a path, or null). */
    public static Frame of(Caller caller, String json) {
        return new Frame(caller.name(), caller.role() == null ? "" : caller.role().wireName(),
                caller.session().map(s -> s.csrf()).orElse(""), json, caller.may(Role.OPERATOR), caller.may(Role.ADMIN));
    }

    /** The frame of a page shown to nobody in particular (sign-in, errors before sign-in). */
    public static Frame anonymous() {
        return new Frame(null, "", "", null, false, false);
    }
}
