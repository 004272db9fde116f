package dev.vantage.params;

import java.util.Locale;

/**
 * Parameter {@code payload} of the udp kinds: what a datagram carries. Absent, the probe chooses: SIP OPTIONS
 * on 5060 and 15060, a DNS query on 53 without a responder, else a Vantage echo request.
 */
public enum Payload implements Choice {
    /** A Vantage echo request carrying the nonce; a responder answers it. */
    ECHO,
    /** A SIP OPTIONS request; any SIP stack answers it. */
    SIP,
    /** A DNS query; any resolver answers it. */
    DNS;

    @Override
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
