package dev.vantage.coordinator.console;

import dev.vantage.coordinator.DurationRange;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

/**
 * The {@code vantage.console.*} settings of the operations console, kept apart from {@code CoordinatorConfig};
 * the durations are checked for their range when the configuration is read, the cookie mode by
 * {@link dev.vantage.coordinator.auth.Sessions}.
 */
@ConfigMapping(prefix = "vantage.console")
public interface ConsoleConfig {
    /** How long a console session lasts after sign-in (it also ends with sign-out or when its token is revoked). */
    @WithDefault("8h")
    @DurationRange(min = "1m", max = "7d")
    Duration sessionLifetime();

    /** How long a one-time sign-in link (POST /sign-in-links) can be used. */
    @WithDefault("10m")
    @DurationRange(min = "10s", max = "1d")
    Duration signInLinkValidity();

    /**
     * {@code auto}: the session cookie is {@code Secure} when the request came over TLS (behind a TLS-terminating
     * proxy, enable {@code quarkus.http.proxy.proxy-address-forwarding}); {@code always}: whatever the scheme.
     */
    @WithDefault("auto")
    String secureCookie();
}
