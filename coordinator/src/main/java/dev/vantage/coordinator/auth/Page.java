package dev.vantage.coordinator.auth;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a resource class of the operations console. Its methods are authenticated by the console session cookie
 * instead of a bearer token, still need their {@link Allowed} role (or {@link Open}), and a refusal is answered
 * for a browser: a redirect to the sign-in page, or an HTML page that says why.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface Page {
}
