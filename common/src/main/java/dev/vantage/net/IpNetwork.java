package dev.vantage.net;

import java.util.Objects;

/**
 * An IPv4 or IPv6 network in CIDR notation, {@code 10.20.0.0/24} or {@code 2001:db8::/32}; the address is
 * spelled as {@link IpAddress} accepts it, the prefix length is decimal (0-32 or 0-128). Bits beyond the
 * prefix may be set ({@code 10.20.0.5/24} is the network 10.20.0.0/24 written from one of its hosts).
 *
 * @param address the address as written
 * @param prefix  the number of leading bits that make up the network
 */
public record IpNetwork(IpAddress address, int prefix) {
    public IpNetwork {
        Objects.requireNonNull(address, "address");
        int max = bits(address);
        if (prefix < 0 || prefix > max) {
            throw new IllegalArgumentException("prefix length " + prefix + " is out of range 0-" + max + " for " + address);
        }
    }

    /** The network of exactly one address (/32 or /128). */
    public static IpNetwork of(IpAddress address) {
        return new IpNetwork(address, bits(address));
    }

    /**
     * Reads {@code address/prefix}.
     *
     * @throws IllegalArgumentException naming the text: no '/', the address is not one, or the prefix is out of range
     */
    public static IpNetwork parse(String text) {
        String t = text == null ? "" : text.strip();
        int slash = t.indexOf('/');
        if (slash < 0) {
            throw new IllegalArgumentException("'" + text + "' is not a CIDR block: no '/prefix' (expected e.g."
                    + " 10.0.0.0/24 or 2001:db8::/32)");
        }
        IpAddress address;
        try {
            address = IpAddress.parse(t.substring(0, slash));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("'" + text + "' is not a CIDR block: " + e.getMessage());
        }
        String p = t.substring(slash + 1);
        int max = bits(address);
        if (p.isEmpty() || p.length() > 3 || !p.chars().allMatch(c -> c >= '0' && c <= '9') || Integer.parseInt(p) > max) {
            throw new IllegalArgumentException("'" + text + "' is not a CIDR block: the prefix length must be 0-" + max);
        }
        return new IpNetwork(address, Integer.parseInt(p));
    }

    /**
     * Reads a CIDR block, or a single address as the network of just that address.
     *
     * @throws IllegalArgumentException naming the text
     */
    public static IpNetwork parseAddressOrBlock(String text) {
        return text != null && text.indexOf('/') >= 0 ? parse(text) : of(IpAddress.parse(text));
    }

    /**
     * Whether the address lies in this network. Families must match, except that an IPv4-mapped IPv6
     * address lies in the IPv4 networks that contain the address it names.
     */
    public boolean contains(IpAddress candidate) {
        if (candidate == null) {
            return false;
        }
        byte[] net = address.raw();
        byte[] a = candidate.raw();
        if (a.length != net.length) {
            a = net.length == 4 ? candidate.mappedIpv4().map(IpAddress::raw).orElse(null) : null;
            if (a == null) {
                return false;
            }
        }
        int full = prefix / 8;
        for (int i = 0; i < full; i++) {
            if (a[i] != net[i]) {
                return false;
            }
        }
        int rest = prefix % 8;
        if (rest == 0) {
            return true;
        }
        int mask = (0xff << (8 - rest)) & 0xff;
        return (a[full] & mask) == (net[full] & mask);
    }

    @Override
    public String toString() {
        return address + "/" + prefix;
    }

    private static int bits(IpAddress address) {
        return address.family() == IpAddress.Family.IPV4 ? 32 : 128;
    }
}
