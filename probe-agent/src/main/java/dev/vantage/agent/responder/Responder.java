package dev.vantage.agent.responder;

import dev.vantage.wire.PortRange;

import java.io.IOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The far side of agent-to-agent tests: listens on exactly the ports it was asked for, for a bounded
 * window, then closes everything by itself.
 *
 * <ul>
 *   <li>TCP: accepts, writes {@code VANTAGE-RESPONDER <agent> <port> <seen ip:port>\r\n}, closes.</li>
 *   <li>UDP echo: answers well-formed {@link EchoDatagram} requests with the nonce and the source it saw;
 *       silent to everything else; never answers with more bytes than it received.</li>
 *   <li>RTP reflector: sends back, unchanged, RTP version 2 packets whose payload starts with the
 *       Vantage magic and a nonce (see {@link EchoDatagram#RTP}), and answers echo requests like a UDP
 *       echo port; silent to everything else.</li>
 * </ul>
 *
 * All sockets are served by one selector thread, so thousands of UDP ports cost one thread and one
 * file descriptor each. Not thread-safe except for {@link #close()} and the counters.
 */
public final class Responder implements AutoCloseable {
    private static final int MAX_DATAGRAM = 2048;
    private static final int MIN_RTP = 12 + 6 + EchoDatagram.MIN_NONCE;
    /** Descriptors kept free beyond one per port: selector, accepted connections, the agent itself. */
    private static final int RESERVED_DESCRIPTORS = 64;

    private enum Role { TCP, UDP, RTP }

    /**
     * What to open.
     *
     * @param bind   local address to bind; null for all addresses
     * @param tcp    TCP ports to accept on
     * @param udp    UDP ports to echo on
     * @param rtp    UDP ports to reflect RTP on
     * @param window how long to listen
     * @param agent  name written in the TCP line
     */
    public record Config(InetAddress bind, List<PortRange> tcp, List<PortRange> udp, List<PortRange> rtp,
                         Duration window, String agent) {
        public Config {
            tcp = tcp == null ? List.of() : List.copyOf(tcp);
            udp = udp == null ? List.of() : List.copyOf(udp);
            rtp = rtp == null ? List.of() : List.copyOf(rtp);
            if (window == null || window.isNegative() || window.isZero()) {
                throw new IllegalArgumentException("the responder window must be positive, got " + window);
            }
        }

        int socketCount() {
            return count(tcp) + count(udp) + count(rtp);
        }

        private static int count(List<PortRange> ranges) {
            return ranges.stream().mapToInt(PortRange::size).sum();
        }
    }

    private final Config config;
    private final Selector selector;
    private final List<java.nio.channels.Channel> channels = new ArrayList<>();
    private final ByteBuffer in = ByteBuffer.allocateDirect(MAX_DATAGRAM);
    private final ByteBuffer out = ByteBuffer.allocateDirect(MAX_DATAGRAM);
    private final AtomicLong tcpAccepted = new AtomicLong();
    private final AtomicLong udpAnswered = new AtomicLong();
    private final AtomicLong rtpReflected = new AtomicLong();
    private final AtomicLong ignored = new AtomicLong();
    private volatile boolean closed;

    private Responder(Config config, Selector selector) {
        this.config = config;
        this.selector = selector;
    }

    /**
     * Binds every port asked for, or none: on the first failure everything already bound is closed.
     *
     * @throws ResponderException naming the port and the reason, with what to do about it
     */
    public static Responder open(Config config) throws ResponderException {
        checkOpenFileLimit(config);
        Selector selector;
        try {
            // the JDK initialises its descriptor-closing machinery on the first close, which itself needs
            // descriptors: do it now, so an open-file limit hit while binding can still be cleaned up
            DatagramChannel.open().close();
            selector = Selector.open();
        } catch (IOException e) {
            throw new ResponderException("cannot open a selector: " + e.getMessage(), e);
        }
        Responder responder = new Responder(config, selector);
        try {
            for (PortRange range : config.tcp()) {
                for (int port = range.first(); port <= range.last(); port++) {
                    responder.bindTcp(port);
                }
            }
            for (PortRange range : config.udp()) {
                for (int port = range.first(); port <= range.last(); port++) {
                    responder.bindUdp(port, Role.UDP);
                }
            }
            for (PortRange range : config.rtp()) {
                for (int port = range.first(); port <= range.last(); port++) {
                    responder.bindUdp(port, Role.RTP);
                }
            }
        } catch (ResponderException e) {
            responder.close();
            throw e;
        }
        return responder;
    }

    /** Refuses up front a window that needs more sockets than the open-file limit leaves (Linux /proc). */
    private static void checkOpenFileLimit(Config config) throws ResponderException {
        long limit = -1;
        long inUse;
        try {
            for (String line : java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc/self/limits"))) {
                if (line.startsWith("Max open files")) {
                    String soft = line.substring("Max open files".length()).strip().split("\\s+")[0];
                    limit = soft.equals("unlimited") ? Long.MAX_VALUE : Long.parseLong(soft);
                }
            }
            try (var fds = java.nio.file.Files.list(java.nio.file.Path.of("/proc/self/fd"))) {
                inUse = fds.count();
            }
        } catch (IOException | RuntimeException e) {
            return; // not Linux or no /proc: binding will say it when it fails
        }
        long needed = config.socketCount() + RESERVED_DESCRIPTORS;
        if (limit >= 0 && inUse + needed > limit) {
            throw new ResponderException("this window needs " + config.socketCount() + " sockets but the open-file"
                    + " limit is " + limit + " (" + inUse + " already in use): raise it"
                    + " (ulimit -n, or LimitNOFILE= in the systemd unit) to at least "
                    + (config.socketCount() + inUse + RESERVED_DESCRIPTORS), null);
        }
    }

    private InetSocketAddress local(int port) {
        return config.bind() == null ? new InetSocketAddress(port) : new InetSocketAddress(config.bind(), port);
    }

    private void bindTcp(int port) throws ResponderException {
        ServerSocketChannel channel = null;
        try {
            channel = ServerSocketChannel.open();
            channels.add(channel);
            channel.setOption(java.net.StandardSocketOptions.SO_REUSEADDR, true);
            channel.bind(local(port), 64);
            channel.configureBlocking(false);
            channel.register(selector, SelectionKey.OP_ACCEPT, new Listener(Role.TCP, port));
        } catch (IOException e) {
            throw bindFailure("tcp", port, e);
        }
    }

    private void bindUdp(int port, Role role) throws ResponderException {
        try {
            DatagramChannel channel = DatagramChannel.open();
            channels.add(channel);
            channel.bind(local(port));
            channel.configureBlocking(false);
            channel.register(selector, SelectionKey.OP_READ, new Listener(role, port));
        } catch (IOException e) {
            throw bindFailure(role == Role.RTP ? "rtp (udp)" : "udp", port, e);
        }
    }

    private ResponderException bindFailure(String protocol, int port, IOException e) {
        String where = protocol + " port " + port + " on " + (config.bind() == null ? "all addresses" : config.bind().getHostAddress());
        String reason = String.valueOf(e.getMessage());
        String message;
        if (reason.contains("Permission denied") || reason.contains("Operation not permitted")) {
            message = "cannot listen on " + where + ": permission denied"
                    + (port < 1024 ? "; ports below 1024 need CAP_NET_BIND_SERVICE (setcap cap_net_bind_service=+ep on the"
                    + " agent binary, or AmbientCapabilities=CAP_NET_BIND_SERVICE in its systemd unit)" : "");
        } else if (e instanceof BindException && reason.contains("in use")) {
            message = "cannot listen on " + where + ": another process already uses it";
        } else if (reason.contains("Too many open files")) {
            message = "cannot listen on " + where + ": the open-file limit is reached; this window needs "
                    + config.socketCount() + " sockets, raise the limit (ulimit -n, or LimitNOFILE= in the systemd unit)"
                    + " to at least " + (config.socketCount() + 4 * RESERVED_DESCRIPTORS);
        } else if (reason.contains("Cannot assign requested address")) {
            message = "cannot listen on " + where + ": that address is not configured on this host";
        } else {
            message = "cannot listen on " + where + ": " + reason;
        }
        return new ResponderException(message, e);
    }

    /** The addresses actually bound, one line per protocol, for a person to read. */
    public List<String> describe() {
        String at = config.bind() == null ? "*" : config.bind().getHostAddress();
        List<String> lines = new ArrayList<>();
        if (!config.tcp().isEmpty()) {
            lines.add("tcp accept on " + at + " ports " + join(config.tcp()));
        }
        if (!config.udp().isEmpty()) {
            lines.add("udp echo   on " + at + " ports " + join(config.udp()));
        }
        if (!config.rtp().isEmpty()) {
            lines.add("rtp reflect on " + at + " ports " + join(config.rtp()));
        }
        return lines;
    }

    private static String join(List<PortRange> ranges) {
        return String.join(",", ranges.stream().map(PortRange::toString).toList());
    }

    /** Serves until the window has passed (counted from this call) or {@link #close()} is called, then closes. */
    public void serve() {
        long deadline = System.nanoTime() + config.window().toNanos();
        try {
            while (!closed) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    break;
                }
                selector.select(Math.max(1, left / 1_000_000));
                for (SelectionKey key : selector.selectedKeys()) {
                    handle(key);
                }
                selector.selectedKeys().clear();
            }
        } catch (ClosedSelectorException e) {
            // closed from another thread: the window was ended early on purpose
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("the responder's selector failed", e);
        } finally {
            close();
        }
    }

    private void handle(SelectionKey key) {
        Listener listener = (Listener) key.attachment();
        try {
            if (listener.role == Role.TCP) {
                accept((ServerSocketChannel) key.channel(), listener.port);
            } else {
                receive((DatagramChannel) key.channel(), listener.role);
            }
        } catch (IOException e) {
            // one peer's failure (reset, ICMP error from an earlier answer) must not end the window
            ignored.incrementAndGet();
        }
    }

    private void accept(ServerSocketChannel server, int port) throws IOException {
        SocketChannel client = server.accept();
        if (client == null) {
            return;
        }
        try (client) {
            InetSocketAddress seen = (InetSocketAddress) client.getRemoteAddress();
            String line = "VANTAGE-RESPONDER " + config.agent() + " " + port + " "
                    + hostPort(seen) + "\r\n";
            client.configureBlocking(false);
            tcpAccepted.incrementAndGet();
            client.write(ByteBuffer.wrap(line.getBytes(StandardCharsets.US_ASCII)));
        }
    }

    static String hostPort(InetSocketAddress address) {
        String host = address.getAddress().getHostAddress();
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + address.getPort();
    }

    private void receive(DatagramChannel channel, Role role) throws IOException {
        while (true) {
            in.clear();
            InetSocketAddress from = (InetSocketAddress) channel.receive(in);
            if (from == null) {
                return;
            }
            in.flip();
            if (role == Role.RTP && isVantageRtp(in)) {
                rtpReflected.incrementAndGet();
                channel.send(in, from);
                continue;
            }
            // echo ports answer nonce requests; RTP ports do too, so a udp-range sweep of the RTP range
            // sees the ports a pre-install survey opened as reflectors
            out.clear();
            if (EchoDatagram.answer(in, from, out)) {
                // counted before sending, so a peer that has the answer also sees the count
                udpAnswered.incrementAndGet();
                channel.send(out, from);
            } else {
                ignored.incrementAndGet();
            }
        }
    }

    private static boolean isVantageRtp(ByteBuffer packet) {
        if (packet.remaining() < MIN_RTP || (packet.get(0) & 0xC0) != 0x80) {
            return false;
        }
        int csrc = packet.get(0) & 0x0F;
        int payload = 12 + 4 * csrc;
        if (packet.remaining() < payload + 6) {
            return false;
        }
        ByteBuffer view = packet.duplicate();
        view.position(payload);
        return EchoDatagram.readHeader(view, EchoDatagram.RTP) != null;
    }

    public long tcpAccepted() {
        return tcpAccepted.get();
    }

    public long udpAnswered() {
        return udpAnswered.get();
    }

    public long rtpReflected() {
        return rtpReflected.get();
    }

    /** Datagrams and connections that got no answer (malformed, wrong nonce format, too short). */
    public long ignored() {
        return ignored.get();
    }

    public boolean isClosed() {
        return closed;
    }

    /** Ends the window now; idempotent, callable from any thread. */
    @Override
    public void close() {
        if (closed && !selector.isOpen()) {
            return;
        }
        closed = true;
        selector.wakeup();
        synchronized (channels) {
            for (java.nio.channels.Channel channel : channels) {
                try {
                    channel.close();
                } catch (IOException e) {
                    // closing a listening socket cannot fail in a way we could act on
                }
            }
        }
        try {
            selector.close();
        } catch (IOException e) {
            // as above
        }
    }

    private record Listener(Role role, int port) {
    }
}
