package dev.vantage.agent.responder;

import dev.vantage.wire.PortRange;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

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
 * file descriptor each; what each kind of port answers is {@link PortAnswers}'. Not thread-safe
 * except for {@link #close()} and the counters.
 */
public final class Responder implements AutoCloseable {

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
    private final PortAnswers answers;
    private volatile boolean closed;

    private Responder(Config config, Selector selector) {
        this.config = config;
        this.selector = selector;
        this.answers = new PortAnswers(config.agent());
    }

    /**
     * Binds every port asked for, or none: on the first failure everything already bound is closed.
     *
     * @throws ResponderException naming the port and the reason, with what to do about it
     */
    public static Responder open(Config config) throws ResponderException {
        ListenRefusal.checkOpenFileLimit(config.socketCount());
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
            throw ListenRefusal.of("tcp", port, config.bind(), config.socketCount(), e);
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
            throw ListenRefusal.of(role == Role.RTP ? "rtp (udp)" : "udp", port, config.bind(), config.socketCount(),
                    e);
        }
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
                answers.accept((ServerSocketChannel) key.channel(), listener.port);
            } else {
                answers.receive((DatagramChannel) key.channel(), listener.role == Role.RTP);
            }
        } catch (IOException e) {
            // one peer's failure (reset, ICMP error from an earlier answer) must not end the window
            answers.ignored.incrementAndGet();
        }
    }

    public long tcpAccepted() {
        return answers.tcpAccepted.get();
    }

    public long udpAnswered() {
        return answers.udpAnswered.get();
    }

    public long rtpReflected() {
        return answers.rtpReflected.get();
    }

    /** Datagrams and connections that got no answer (malformed, wrong nonce format, too short). */
    public long ignored() {
        return answers.ignored.get();
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
