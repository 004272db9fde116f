package dev.vantage.params;

import java.util.Locale;

/**
 * Parameter {@code check}: what a probe proves beyond reachability. Each kind takes some of them (see
 * {@link ParamNames}).
 */
public enum Check implements Choice {
    /** http: {@code /v2/} answers 401 with {@code Docker-Distribution-Api-Version: registry/2.0}. */
    REGISTRY,
    /** http: no sign of a proxy (407, {@code Via}, a redirect to a captive portal). */
    NO_PROXY,
    /** The stack is reached from inside through its public address (hairpin NAT). */
    HAIRPIN,
    /** tls: the chain must lead to a public root, else something inspects TLS on the path. */
    INTERCEPTION,
    /** nat: compare the source the responder saw with our own (the nat probe's default). */
    NAT;

    @Override
    public String wireName() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
