package dev.vantage.net;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * An IPv4 or IPv6 address. Every part of Vantage that reads an address from text (site files, the
 * agent's scope, the analysis of results) reads it here, so all of them accept the same spellings.
 * Parsed by hand, never through {@code InetAddress}: no text is ever resolved as a host name.
 *
 * <p><b>Accepted spellings</b> (white space around the text is ignored, nothing else is):
 * <ul>
 *   <li><b>IPv4</b>: four decimal octets 0-255 separated by dots, {@code 192.0.2.1}. No leading zeros
 *       ({@code 010.0.0.1} is refused: C's {@code inet_aton} reads it as octal, 8.0.0.1, where others read
 *       10.0.0.1), no shortened forms ({@code 10.1}), no hexadecimal or octal octets, ASCII digits only.</li>
 *   <li><b>IPv6</b>: the text forms of RFC 4291 section 2.2: eight groups of one to four hexadecimal digits
 *       (either case) separated by colons, one {@code ::} standing for one or more groups of zeros, and
 *       optionally an IPv4 address spelled as above in place of the last two groups
 *       ({@code ::ffff:192.0.2.1}, {@code 64:ff9b::198.51.100.7}). No zone id ({@code fe80::1%eth0}), no
 *       brackets (those belong to {@link Endpoint}), no prefix length (that is {@link IpNetwork}).</li>
 * </ul>
 *
 * <p>{@link #toString()} writes the canonical form: dotted decimal, or RFC 5952 for IPv6 (lower case, no
 * leading zeros, the first longest run of two or more zero groups as {@code ::}, an IPv4-mapped address
 * with a dotted tail). An IPv4-mapped IPv6 address ({@code ::ffff:a.b.c.d}, RFC 4291 section 2.5.5.2)
 * stays an IPv6 address, but it names the IPv4 node a.b.c.d: it lies in the IPv4 networks that contain
 * a.b.c.d and is classified like it.
 */
public final class IpAddress {
    /** The address family. */
    public enum Family { IPV4, IPV6 }

    private static final byte[] MAPPED_PREFIX = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte) 0xff, (byte) 0xff};

    private final byte[] bytes;

    private IpAddress(byte[] bytes) {
        this.bytes = bytes;
    }

    /**
     * The address in network byte order: 4 bytes for IPv4, 16 for IPv6.
     *
     * @throws IllegalArgumentException when there are not 4 or 16 bytes
     */
    public static IpAddress of(byte[] bytes) {
        if (bytes == null || (bytes.length != 4 && bytes.length != 16)) {
            throw new IllegalArgumentException("an IP address has 4 or 16 bytes, got "
                    + (bytes == null ? "none" : bytes.length));
        }
        return new IpAddress(bytes.clone());
    }

    /**
     * Reads an address in one of the accepted spellings (see the class description).
     *
     * @throws IllegalArgumentException naming the text and what is wrong with it
     */
    public static IpAddress parse(String text) {
        if (text == null) {
            throw new IllegalArgumentException("no IP address given");
        }
        String t = text.strip();
        if (t.indexOf(':') >= 0) {
            return new IpAddress(ipv6(text, t));
        }
        if (t.indexOf('.') >= 0 && !t.isEmpty() && Character.isDigit(t.charAt(0))) {
            return new IpAddress(ipv4(text, t, "IPv4 address"));
        }
        throw new IllegalArgumentException("'" + text + "' is not an IP address (expected e.g. 192.0.2.1 or 2001:db8::1)");
    }

    /** The address, or empty when the text is none of the accepted spellings (or null). */
    public static Optional<IpAddress> tryParse(String text) {
        try {
            return Optional.of(parse(text));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** Whether the text is an address in one of the accepted spellings. */
    public static boolean isLiteral(String text) {
        return tryParse(text).isPresent();
    }

    public Family family() {
        return bytes.length == 4 ? Family.IPV4 : Family.IPV6;
    }

    /** The address in network byte order (a copy). */
    public byte[] bytes() {
        return bytes.clone();
    }

    /** For an IPv4-mapped IPv6 address ({@code ::ffff:a.b.c.d}) the IPv4 address it names; else empty. */
    public Optional<IpAddress> mappedIpv4() {
        if (bytes.length == 16 && Arrays.equals(bytes, 0, 12, MAPPED_PREFIX, 0, 12)) {
            return Optional.of(new IpAddress(Arrays.copyOfRange(bytes, 12, 16)));
        }
        return Optional.empty();
    }

    /** What the address is used for: private, unique local, carrier-grade NAT, ... */
    public AddressClass addressClass() {
        return AddressClass.of(mappedIpv4().orElse(this).bytes);
    }

    /** Private, unique local or carrier-grade NAT space: used behind a NAT, never routed on the internet. */
    public boolean isPrivateUse() {
        return addressClass().isPrivateUse();
    }

    /** The bytes without copying, for the package's own arithmetic. */
    byte[] raw() {
        return bytes;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof IpAddress other && Arrays.equals(bytes, other.bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }

    /** The canonical text: dotted decimal, or RFC 5952 for IPv6. */
    @Override
    public String toString() {
        if (bytes.length == 4) {
            return dotted(bytes, 0);
        }
        if (mappedIpv4().isPresent()) {
            return "::ffff:" + dotted(bytes, 12);
        }
        int[] groups = new int[8];
        for (int i = 0; i < 8; i++) {
            groups[i] = ((bytes[2 * i] & 0xff) << 8) | (bytes[2 * i + 1] & 0xff);
        }
        int bestStart = -1;
        int bestLength = 1; // RFC 5952 4.2.2: a single zero group is not shortened
        for (int i = 0; i < 8; ) {
            int j = i;
            while (j < 8 && groups[j] == 0) {
                j++;
            }
            if (j - i > bestLength) {
                bestStart = i;
                bestLength = j - i;
            }
            i = j == i ? i + 1 : j;
        }
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                sb.append("::");
                i += bestLength - 1;
                continue;
            }
            if (sb.length() > 0 && sb.charAt(sb.length() - 1) != ':') {
                sb.append(':');
            }
            sb.append(Integer.toHexString(groups[i]));
        }
        return sb.toString();
    }

    private static String dotted(byte[] b, int from) {
        return (b[from] & 0xff) + "." + (b[from + 1] & 0xff) + "." + (b[from + 2] & 0xff) + "." + (b[from + 3] & 0xff);
    }

    private static byte[] ipv4(String original, String t, String what) {
        String[] parts = t.split("\\.", -1);
        if (parts.length != 4) {
            throw bad(original, what, "it has " + parts.length + " dot-separated parts, an IPv4 address has 4");
        }
        byte[] out = new byte[4];
        for (int i = 0; i < 4; i++) {
            String p = parts[i];
            if (p.isEmpty() || p.length() > 3 || !p.chars().allMatch(c -> c >= '0' && c <= '9')) {
                throw bad(original, what, "'" + p + "' is not an octet (0-255, decimal digits)");
            }
            if (p.length() > 1 && p.charAt(0) == '0') {
                throw bad(original, what, "octet '" + p + "' has a leading zero, which some programs read as octal;"
                        + " write " + Integer.parseInt(p));
            }
            int v = Integer.parseInt(p);
            if (v > 255) {
                throw bad(original, what, "octet " + v + " is above 255");
            }
            out[i] = (byte) v;
        }
        return out;
    }

    private static byte[] ipv6(String original, String t) {
        if (t.indexOf('%') >= 0) {
            throw bad(original, "IPv6 address", "zone ids ('" + t.substring(t.indexOf('%')) + "') are not accepted");
        }
        if (t.startsWith("[") || t.endsWith("]")) {
            throw bad(original, "IPv6 address", "write it without brackets (brackets belong to [address]:port)");
        }
        int dbl = t.indexOf("::");
        if (dbl >= 0 && t.indexOf("::", dbl + 1) >= 0) {
            throw bad(original, "IPv6 address", "'::' may appear only once");
        }
        List<Integer> head = groups(original, dbl >= 0 ? t.substring(0, dbl) : t, dbl < 0);
        List<Integer> tail = dbl >= 0 ? groups(original, t.substring(dbl + 2), true) : List.of();
        int n = head.size() + tail.size();
        if (dbl < 0 && n != 8) {
            throw bad(original, "IPv6 address", "it has " + n + " groups and no '::', an IPv6 address has 8");
        }
        if (dbl >= 0 && n > 7) {
            throw bad(original, "IPv6 address", "it has " + n + " groups besides '::', at most 7 fit");
        }
        byte[] out = new byte[16];
        for (int i = 0; i < head.size(); i++) {
            put(out, i, head.get(i));
        }
        for (int i = 0; i < tail.size(); i++) {
            put(out, 8 - tail.size() + i, tail.get(i));
        }
        return out;
    }

    /** The 16-bit groups of one side of {@code ::}; an IPv4 tail counts as two groups when it may end the address. */
    private static List<Integer> groups(String original, String side, boolean last) {
        List<Integer> out = new ArrayList<>();
        if (side.isEmpty()) {
            return out;
        }
        String[] parts = side.split(":", -1);
        for (int i = 0; i < parts.length; i++) {
            String g = parts[i];
            if (g.indexOf('.') >= 0) {
                if (!last || i != parts.length - 1) {
                    throw bad(original, "IPv6 address", "an embedded IPv4 address may only stand for the last 32 bits");
                }
                byte[] v4 = ipv4(original, g, "IPv6 address");
                out.add(((v4[0] & 0xff) << 8) | (v4[1] & 0xff));
                out.add(((v4[2] & 0xff) << 8) | (v4[3] & 0xff));
                continue;
            }
            if (g.isEmpty()) {
                throw bad(original, "IPv6 address", "it has an empty group (a single ':' at the start or end, or ':::')");
            }
            if (g.length() > 4 || !g.chars().allMatch(IpAddress::isHex)) {
                throw bad(original, "IPv6 address", "'" + g + "' is not a group of one to four hexadecimal digits");
            }
            out.add(Integer.parseInt(g, 16));
        }
        return out;
    }

    private static boolean isHex(int c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    }

    private static void put(byte[] out, int group, int value) {
        out[2 * group] = (byte) (value >> 8);
        out[2 * group + 1] = (byte) value;
    }

    private static IllegalArgumentException bad(String original, String what, String why) {
        return new IllegalArgumentException("'" + original + "' is not an " + what + ": " + why);
    }
}
