package dev.vantage.catalog;

import java.util.Locale;

/** When the agent on a destination role must open a responder for a requirement's probes. */
public enum ResponderPolicy {
    /** Only in pre-install surveys, when nothing else listens yet (the default). */
    PRE_INSTALL,
    /** In every survey (e.g. the NAT check needs a responder that reports the source address it saw). */
    ALWAYS,
    /** Never: the destination is external or needs no listener. */
    NEVER;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
