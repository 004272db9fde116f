package dev.vantage.catalog;

import java.util.Locale;

/** What must be observed for a requirement to pass. */
public enum Expectation {
    /** The port answers from every source role. */
    REACHABLE,
    /** The port must NOT answer from the source roles (the stack firewall blocks all inbound unless told). */
    BLOCKED,
    /** The name resolves to the site's expected internal answer. */
    RESOLVES_INTERNAL,
    /** The name resolves to the site's expected external answer. */
    RESOLVES_EXTERNAL,
    /** TLS to public destinations leads to a public root: no TLS inspection on the path. */
    NO_INTERCEPTION,
    /** Plain HTTP goes out directly: no transparent proxy answers in between. */
    NO_PROXY,
    /** From inside, the stack answers on its public address (hairpin NAT). */
    HAIRPIN_WORKS,
    /** Outbound NAT may or may not be present; the result is recorded, not judged. */
    NAT_ALLOWED;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
