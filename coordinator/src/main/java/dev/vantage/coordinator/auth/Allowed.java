package dev.vantage.coordinator.auth;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The least role a REST method needs. Every resource method must carry it (on the method or its
 * class): {@link TokenFilter} refuses calls to a method without it, so a forgotten annotation fails
 * closed rather than open.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.METHOD, ElementType.TYPE})
public @interface Allowed {
    Role value();
}
