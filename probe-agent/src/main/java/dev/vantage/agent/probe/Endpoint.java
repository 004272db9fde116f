package dev.vantage.agent.probe;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.channels.DatagramChannel;

/** How addresses appear in results: {@code ip:port}, {@code [v6]:port}, and the family name. */
final class Endpoint {
    private Endpoint() {
    }

    static String text(SocketAddress address) {
        if (!(address instanceof InetSocketAddress inet) || inet.getAddress() == null) {
            return address == null ? null : address.toString();
        }
        return text(inet.getAddress(), inet.getPort());
    }

    static String text(InetAddress address, int port) {
        String host = address.getHostAddress();
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    }

    static String family(InetAddress address) {
        return address instanceof Inet4Address ? "ipv4" : "ipv6";
    }

    /**
     * The source address the kernel would pick for this destination (a connected UDP socket sends
     * nothing), for results where the connection itself failed before a local address was known.
     */
    static InetAddress routeSource(InetSocketAddress destination) {
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
}
