package dev.vantage.net;

import java.util.Optional;

/**
 * A host with an optional port, as results and task parameters write it: {@code host},
 * {@code host:port}, {@code [v6]} or {@code [v6]:port}. A bare IPv6 address without brackets is an
 * address without a port (its colons cannot be told from a port separator). The host is a name or an
 * address as written; {@link #ip()} reads it as an {@link IpAddress}. Nothing is resolved.
 *
 * @param host the host without brackets
 * @param port 1-65535, or -1 when none was given
 */
public record Endpoint(String host, int port) {
    public static final int NO_PORT = -1;

    public Endpoint {
        if (host == null || host.isBlank()) {
            throw new IllegalArgumentException("an endpoint needs a host");
        }
        if (port != NO_PORT && (port < 1 || port > 65535)) {
            throw new IllegalArgumentException("port " + port + " is out of range 1-65535");
        }
    }

    /**
     * Reads {@code host}, {@code host:port}, {@code [v6]}, {@code [v6]:port} or a bare IPv6 address.
     *
     * @throws IllegalArgumentException naming the text: an unclosed or non-IPv6 bracket, no host, or a port
     *                                  that is not a number 1-65535
     */
    public static Endpoint parse(String text) {
        String t = text == null ? "" : text.strip();
        String host = t;
        String port = null;
        if (t.startsWith("[")) {
            int end = t.indexOf(']');
            if (end < 0) {
                throw new IllegalArgumentException("'" + text + "' has an unclosed '['");
            }
            host = t.substring(1, end);
            IpAddress ip;
            try {
                ip = IpAddress.parse(host);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("'" + text + "' has no IPv6 address in brackets: " + e.getMessage());
            }
            if (ip.family() != IpAddress.Family.IPV6) {
                throw new IllegalArgumentException("'" + text + "': brackets are for IPv6 addresses, write " + host
                        + " without them");
            }
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
        if (host.isEmpty()) {
            throw new IllegalArgumentException("'" + text + "' has no host");
        }
        if (port == null) {
            return new Endpoint(host, NO_PORT);
        }
        if (port.isEmpty() || port.length() > 5 || !port.chars().allMatch(c -> c >= '0' && c <= '9')
                || Integer.parseInt(port) < 1 || Integer.parseInt(port) > 65535) {
            throw new IllegalArgumentException("'" + text + "' has no valid port (1-65535)");
        }
        return new Endpoint(host, Integer.parseInt(port));
    }

    /** The endpoint, or empty when the text is not one (or null). */
    public static Optional<Endpoint> tryParse(String text) {
        try {
            return Optional.of(parse(text));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** The host as an address, or empty when it is a name (or an address in a spelling that is not accepted). */
    public Optional<IpAddress> ip() {
        return IpAddress.tryParse(host);
    }

    public boolean hasPort() {
        return port != NO_PORT;
    }

    /** {@code host}, {@code host:port}, {@code [v6]:port}. */
    @Override
    public String toString() {
        if (!hasPort()) {
            return host;
        }
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    }
}
