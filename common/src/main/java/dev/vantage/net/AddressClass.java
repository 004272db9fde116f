package dev.vantage.net;

/**
 * What an address is used for, as far as reasoning about NAT needs to know. An IPv4-mapped IPv6 address
 * is classified like the IPv4 address it names.
 */
public enum AddressClass {
    /** RFC 1918: 10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16. */
    PRIVATE,
    /** RFC 6598 shared address space, 100.64.0.0/10: the inside of a provider's carrier-grade NAT. */
    CARRIER_GRADE_NAT,
    /** RFC 4193 unique local IPv6 addresses, fc00::/7 (in practice fd00::/8). */
    UNIQUE_LOCAL,
    /** 127.0.0.0/8 and ::1. */
    LOOPBACK,
    /** 169.254.0.0/16 and fe80::/10. */
    LINK_LOCAL,
    /**
     * Anything else: globally routed, but also documentation, multicast and unspecified addresses (the
     * examples use documentation ranges as public addresses, so they must not count as private).
     */
    OTHER;

    /** Private, unique local or carrier-grade NAT space: used behind a NAT, never routed on the internet. */
    public boolean isPrivateUse() {
        return this == PRIVATE || this == CARRIER_GRADE_NAT || this == UNIQUE_LOCAL;
    }

    static AddressClass of(byte[] b) {
        int b0 = b[0] & 0xff;
        int b1 = b[1] & 0xff;
        if (b.length == 4) {
            if (b0 == 10 || (b0 == 172 && (b1 & 0xf0) == 16) || (b0 == 192 && b1 == 168)) {
                return PRIVATE;
            }
            if (b0 == 100 && (b1 & 0xc0) == 64) {
                return CARRIER_GRADE_NAT;
            }
            if (b0 == 127) {
                return LOOPBACK;
            }
            return b0 == 169 && b1 == 254 ? LINK_LOCAL : OTHER;
        }
        if ((b0 & 0xfe) == 0xfc) {
            return UNIQUE_LOCAL;
        }
        if (b0 == 0xfe && (b1 & 0xc0) == 0x80) {
            return LINK_LOCAL;
        }
        boolean loopback = b[15] == 1;
        for (int i = 0; i < 15 && loopback; i++) {
            loopback = b[i] == 0;
        }
        return loopback ? LOOPBACK : OTHER;
    }
}
