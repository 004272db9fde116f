package dev.vantage.agent.probe;

import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.channels.DatagramChannel;

/**
 * How addresses are written in results ({@code ip:port}, IPv6 in brackets, no zone id; the family
 * as {@code ipv4}/{@code ipv6}) and read from people ({@code host:port}).
 */
public final class Endpoints {
    private Endpoints() {
    }

    static String text(SocketAddress address) {
        if (!(address instanceof InetSocketAddress isa)) {
            return address == null ? null : address.toString();
        }
        InetAddress ip = isa.getAddress();
        if (ip == null) {
            return isa.getHostString() + ":" + isa.getPort();
        }
        return text(ip, isa.getPort());
    }

    static String text(InetAddress address, int port) {
        String host = address.getHostAddress();
        int zone = host.indexOf('%');
        if (zone >= 0) {
            host = host.substring(0, zone);
        }
        return (address instanceof Inet6Address ? "[" + host + "]" : host) + ":" + port;
    }

    static String family(InetAddress address) {
        return address instanceof Inet6Address ? "ipv6" : "ipv4";
    }

    static String family(SocketAddress address) {
        if (address instanceof InetSocketAddress isa && isa.getAddress() != null) {
            return family(isa.getAddress());
        }
        return null;
    }

    /**
     * The source address the kernel would pick for this destination (a connected UDP socket sends
     * nothing), for results where the connection itself failed before a local address was known.
     */
    private static InetAddress routeSource(InetSocketAddress destination) {
        try (DatagramChannel probe = DatagramChannel.open()) {
            probe.connect(destination);
            return ((InetSocketAddress) probe.getLocalAddress()).getAddress();
        } catch (IOException e) {
            return null;
        }
    }

    /**
     * {@code ip:port} with the route's source address and the local port when known (0: many ports,
     * as in a sweep, so just the address); null when there is no route.
     */
    static String source(InetSocketAddress destination, int localPort) {
        InetAddress source = routeSource(destination);
        if (source == null) {
            return null;
        }
        return localPort > 0 ? text(source, localPort) : source.getHostAddress();
    }

    /**
     * Splits {@code host}, {@code host:port}, {@code [v6]} or {@code [v6]:port}; a bare IPv6
     * address without brackets is a host. Returns the port as -1 when none is given.
     *
     * @throws IllegalArgumentException naming the text when the port is not a number in range
     */
    public static HostPort parse(String text, int defaultPort) {
        String t = text.strip();
        String host = t;
        String port = null;
        if (t.startsWith("[")) {
            int end = t.indexOf(']');
            if (end < 0) {
                throw new IllegalArgumentException("'" + text + "' has an unclosed '['");
            }
            host = t.substring(1, end);
            if (end + 1 < t.length()) {
                if (t.charAt(end + 1) != ':') {
                    throw new IllegalArgumentException("'" + text + "' is not host, host:port or [address]:port");
                }
                port = t.substring(end + 2);
            }
        } else if (t.indexOf(':') >= 0 && t.indexOf(':') == t.lastIndexOf(':')) {
            host = t.substring(0, t.indexOf(':'));
            port = t.substring(t.indexOf(':') + 1);
        }
        int p = defaultPort;
        if (port != null) {
            try {
                p = Integer.parseInt(port);
            } catch (NumberFormatException e) {
                p = -2;
            }
            if (p < 1 || p > 65535) {
                throw new IllegalArgumentException("'" + text + "' has no valid port (1-65535)");
            }
        }
        if (host.isEmpty()) {
            throw new IllegalArgumentException("'" + text + "' has no host");
        }
        return new HostPort(host, p);
    }

    /** A host (name or address, without brackets) and a port, -1 when none was given. */
    public record HostPort(String host, int port) {
    }
}
