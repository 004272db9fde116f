package dev.vantage.analysis;

/** The little IPv4 arithmetic the rules need, on text, without resolving anything. */
final class Ipv4 {
    private Ipv4() {
    }

    /** The address of {@code ip:port} (or a bare IPv4 address), null when it is not IPv4. */
    static String hostOf(String endpoint) {
        if (endpoint == null) {
            return null;
        }
        String host = endpoint.strip();
        int colon = host.lastIndexOf(':');
        if (colon > 0 && host.indexOf(':') == colon) {
            host = host.substring(0, colon);
        }
        return toInt(host) == null ? null : host;
    }

    static boolean isPrivate(String ip) {
        return contains("10.0.0.0/8", ip) || contains("172.16.0.0/12", ip) || contains("192.168.0.0/16", ip)
                || contains("100.64.0.0/10", ip);
    }

    /** Whether {@code ip} equals an address or lies in a CIDR block written as in a site file. */
    static boolean contains(String addressOrCidr, String ip) {
        Long address = toInt(ip);
        if (address == null || addressOrCidr == null) {
            return false;
        }
        int slash = addressOrCidr.indexOf('/');
        Long base = toInt(slash < 0 ? addressOrCidr : addressOrCidr.substring(0, slash));
        if (base == null) {
            return false;
        }
        int prefix;
        try {
            prefix = slash < 0 ? 32 : Integer.parseInt(addressOrCidr.substring(slash + 1));
        } catch (NumberFormatException e) {
            return false;
        }
        if (prefix < 0 || prefix > 32) {
            return false;
        }
        long mask = prefix == 0 ? 0 : (0xFFFFFFFFL << (32 - prefix)) & 0xFFFFFFFFL;
        return (address & mask) == (base & mask);
    }

    private static Long toInt(String ip) {
        String[] parts = ip.split("\\.", -1);
        if (parts.length != 4) {
            return null;
        }
        long value = 0;
        for (String p : parts) {
            if (!p.matches("\\d{1,3}") || Integer.parseInt(p) > 255) {
                return null;
            }
            value = value * 256 + Integer.parseInt(p);
        }
        return value;
    }
}
