package dev.vantage.site;

import dev.vantage.net.IpAddress;
import dev.vantage.net.IpNetwork;

import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * An address of a role as written in a site file: an IPv4 or IPv6 address, a CIDR block, or a host
 * name. Addresses and blocks are read by {@link IpAddress} and {@link IpNetwork}, so a site file accepts
 * exactly the spellings the agent's scope and the analysis accept (stated there). Nothing is resolved, so
 * a host name is not looked up while a file is read.
 *
 * @param text as written (normalised to lower case for IPv6 addresses and host names); planned tasks
 *             aim at this text
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

    /** The IP address, for {@link Type#IPV4} and {@link Type#IPV6}; empty for blocks and names. */
    public Optional<IpAddress> ip() {
        return isIp() ? Optional.of(IpAddress.parse(text)) : Optional.empty();
    }

    /** Whether the IP address is this address or lies in this block; a host name contains nothing (it is not resolved). */
    public boolean contains(IpAddress ip) {
        return switch (type) {
            case CIDR -> IpNetwork.parse(text).contains(ip);
            case IPV4, IPV6 -> IpNetwork.of(IpAddress.parse(text)).contains(ip);
            case HOST -> false;
        };
    }

    /**
     * @throws IllegalArgumentException with a sentence naming the text and what is allowed
     */
    public static Address parse(String text) {
        String t = text.strip();
        if (t.indexOf('/') >= 0) {
            IpNetwork.parse(text);
            return new Address(t, Type.CIDR);
        }
        Optional<IpAddress> ip = IpAddress.tryParse(t);
        if (ip.isPresent()) {
            return ip.get().family() == IpAddress.Family.IPV4 ? new Address(t, Type.IPV4)
                    : new Address(t.toLowerCase(Locale.ROOT), Type.IPV6);
        }
        if (t.indexOf(':') >= 0 || t.matches("[0-9.]+")) {
            IpAddress.parse(text); // throws, saying why it is no IPv4 or IPv6 address
        }
        if (t.length() <= 253 && HOST.matcher(t).matches() && !t.matches("[0-9.]+")) {
            return new Address(t.toLowerCase(Locale.ROOT), Type.HOST);
        }
        throw new IllegalArgumentException("'" + text + "' is not an IP address, CIDR block or host name");
    }

    @Override
    public String toString() {
        return text;
    }
}
