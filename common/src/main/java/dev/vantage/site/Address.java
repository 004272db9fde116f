package dev.vantage.site;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * An address of a role as written in a site file: an IPv4 or IPv6 address, a CIDR block, or a host
 * name. Parsed by hand, never through {@code InetAddress}, so a host name is not resolved while a
 * file is read.
 *
 * @param text as written (normalised to lower case for host names)
 * @param type what it is
 */
public record Address(String text, Type type) {
    private static final Pattern HOST = Pattern.compile(
            "([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?\\.)*[A-Za-z]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?");

    public enum Type { IPV4, IPV6, CIDR, HOST }

    /** An address a probe can aim at: anything but a CIDR block. */
    public boolean isTarget() {
        return type != Type.CIDR;
    }

    public boolean isIp() {
        return type == Type.IPV4 || type == Type.IPV6;
    }

    /**
     * @throws IllegalArgumentException with a sentence naming the text and what is allowed
     */
    public static Address parse(String text) {
        String t = text.strip();
        int slash = t.indexOf('/');
        if (slash >= 0) {
            String ip = t.substring(0, slash);
            String prefix = t.substring(slash + 1);
            int max = isIpv4(ip) ? 32 : isIpv6(ip) ? 128 : -1;
            if (max < 0) {
                throw new IllegalArgumentException("'" + text + "' is not a CIDR block: '" + ip
                        + "' is not an IP address (expected e.g. 10.0.0.0/24 or 2001:db8::/32)");
            }
            if (!prefix.matches("\\d{1,3}") || Integer.parseInt(prefix) > max) {
                throw new IllegalArgumentException("'" + text + "' is not a CIDR block: the prefix length must be 0-" + max);
            }
            return new Address(t, Type.CIDR);
        }
        if (isIpv4(t)) {
            return new Address(t, Type.IPV4);
        }
        if (t.contains(":")) {
            if (isIpv6(t)) {
                return new Address(t.toLowerCase(Locale.ROOT), Type.IPV6);
            }
            throw new IllegalArgumentException("'" + text + "' is not an IPv6 address");
        }
        if (t.length() <= 253 && HOST.matcher(t).matches() && !t.matches("[0-9.]+")) {
            return new Address(t.toLowerCase(Locale.ROOT), Type.HOST);
        }
        throw new IllegalArgumentException("'" + text + "' is not an IP address, CIDR block or host name");
    }

    static boolean isIpv4(String s) {
        String[] parts = s.split("\\.", -1);
        if (parts.length != 4) {
            return false;
        }
        for (String p : parts) {
            if (!p.matches("\\d{1,3}") || Integer.parseInt(p) > 255 || (p.length() > 1 && p.startsWith("0"))) {
                return false;
            }
        }
        return true;
    }

    static boolean isIpv6(String s) {
        int lastColon = s.lastIndexOf(':');
        if (lastColon < 0) {
            return false;
        }
        String h = s;
        String tail = s.substring(lastColon + 1);
        if (tail.contains(".")) {
            if (!isIpv4(tail)) {
                return false;
            }
            h = s.substring(0, lastColon + 1) + "0:0"; // an embedded IPv4 address counts as two groups
        }
        int dbl = h.indexOf("::");
        if (dbl >= 0 && h.indexOf("::", dbl + 1) >= 0) {
            return false;
        }
        String[] sides = dbl >= 0 ? new String[] {h.substring(0, dbl), h.substring(dbl + 2)} : new String[] {h};
        int groups = 0;
        for (String side : sides) {
            if (side.isEmpty()) {
                continue;
            }
            for (String g : side.split(":", -1)) {
                if (!g.matches("[0-9A-Fa-f]{1,4}")) {
                    return false;
                }
                groups++;
            }
        }
        return dbl >= 0 ? groups <= 7 : groups == 8;
    }

    @Override
    public String toString() {
        return text;
    }
}
