package dev.vantage.agent.responder;

import dev.vantage.wire.PortRange;
import dev.vantage.wire.ReceiptEvidence;

import java.io.IOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.time.Clock;
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
 * file descriptor each; what each kind of port answers is {@link PortAnswers}'. What reached the window is
 * recorded ({@link #evidence()}: per kind, source and task tag, bounded). A window that takes only free ports
 * ({@link Config#freeOnly()}: after installation, beside the real services) skips a port another process holds
 * and reports it instead of failing. Not thread-safe except for {@link #close()}, the counters and
 * {@link #evidence()}.
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
     * @param window   how long to listen
     * @param agent    name written in the TCP line
     * @param freeOnly take only the ports no other process holds: a port in use is skipped (and reported), not a
     *                 reason to open nothing
     */
    public record Config(InetAddress bind, List<PortRange> tcp, List<PortRange> udp, List<PortRange> rtp,
                         Duration window, String agent, boolean freeOnly) {
        /** A window that takes every port it is asked for, or none. */
        public Config(InetAddress bind, List<PortRange> tcp, List<PortRange> udp, List<PortRange> rtp,
                      Duration window, String agent) {
            this(bind, tcp, udp, rtp, window, agent, false);
        }

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

        int lowestPort() {
            return java.util.stream.Stream.of(tcp, udp, rtp).flatMap(List::stream).mapToInt(PortRange::first).min()
                    .orElse(1);
        }

        private static int count(List<PortRange> ranges) {
            return ranges.stream().mapToInt(PortRange::size).sum();
        }
    }

    private final Config config;
    private final Selector selector;
    private final List<java.nio.channels.Channel> channels = new ArrayList<>();
    private final Receipts receipts;
    private final PortAnswers answers;
    private final HeldPorts held;
    private volatile boolean closed;

    private Responder(Config config, Selector selector) {
        this.config = config;
        this.selector = selector;
        this.receipts = new Receipts(config.lowestPort(), Clock.systemUTC());
        this.answers = new PortAnswers(config.agent(), receipts);
        this.held = new HeldPorts(config.tcp(), java.util.stream.Stream.concat(config.udp().stream(),
                config.rtp().stream()).toList());
    }

    /**
     * Binds every port asked for, or none: on the first failure everything already bound is closed. A window
     * that takes only free ports ({@link Config#freeOnly()}) skips the ports in use instead and fails only for
     * other reasons.
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
            if (!skipInUse(channel, e)) {
                throw ListenRefusal.of("tcp", port, config.bind(), config.socketCount(), e);
            }
            held.skip(true, port);
        }
    }

    private void bindUdp(int port, Role role) throws ResponderException {
        DatagramChannel channel = null;
        try {
            channel = DatagramChannel.open();
            channels.add(channel);
            channel.bind(local(port));
            channel.configureBlocking(false);
            channel.register(selector, SelectionKey.OP_READ, new Listener(role, port));
        } catch (IOException e) {
            if (!skipInUse(channel, e)) {
                throw ListenRefusal.of(role == Role.RTP ? "rtp (udp)" : "udp", port, config.bind(),
                        config.socketCount(), e);
            }
            held.skip(false, port);
        }
    }

    /**
     * True when the window takes free ports only and another process holds this one (EADDRINUSE): its socket is
     * closed and forgotten, the port skipped. The real service keeps the port; the window never competes for it.
     */
    private boolean skipInUse(java.nio.channels.Channel channel, IOException e) {
        if (!config.freeOnly() || !(e instanceof BindException) || !String.valueOf(e.getMessage()).contains("in use")) {
            return false;
        }
        channels.remove(channel);
        try {
            channel.close();
        } catch (IOException ignored) {
            // an unbound socket: nothing held that closing could fail to release
        }
        return true;
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
                answers.receive((DatagramChannel) key.channel(), listener.port, listener.role == Role.RTP);
            }
        } catch (IOException e) {
            // one peer's failure (reset, ICMP error from an earlier answer) must not end the window
            answers.ignored();
        }
    }

    /**
     * What the window held, skipped and received so far (at its end: what it served), bounded as
     * {@link ReceiptEvidence} requires.
     */
    public ReceiptEvidence evidence() {
        return receipts.evidence(held.listened(), held.skipped());
    }

    /** Ports skipped because another process holds them (free-only windows). */
    public int skippedCount() {
        return held.skippedCount();
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
