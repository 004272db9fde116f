package dev.vantage.agent.probe;

import dev.vantage.wire.Outcome;
import dev.vantage.wire.PortRange;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.ArrayDeque;

/**
 * Non-blocking TCP connects over a port range from one thread: at most {@code concurrency}
 * handshakes in flight, at most {@code rate} started per second. Connections are aborted with a
 * reset once their state is known, so no TIME_WAIT is left on either side. The sweep ends by its
 * {@link Deadline}; a port it had not finished by then is left without an outcome (null).
 */
final class TcpSweep {
    private TcpSweep() {
    }

    private static final class Pending {
        final int port;
        final long due;
        final SocketChannel channel;
        boolean done;

        Pending(int port, long due, SocketChannel channel) {
            this.port = port;
            this.due = due;
            this.channel = channel;
        }
    }

    /** The outcome of every port of the range, indexed by {@code port - range.first()}. */
    static Outcome[] run(InetAddress address, PortRange range, int concurrency, int rate, Duration timeout,
                         Deadline deadline, SweepErrors errors) throws IOException {
        Outcome[] outcomes = new Outcome[range.size()];
        long timeoutNanos = timeout.toNanos();
        Pacer pacer = new Pacer(rate);
        ArrayDeque<Pending> inFlight = new ArrayDeque<>();
        int nextPort = range.first();
        int open = 0;
        try (Selector selector = Selector.open()) {
            while ((nextPort <= range.last() || open > 0) && !deadline.passed()) {
                Deadline.checkInterrupted();
                long now = System.nanoTime();
                while (nextPort <= range.last() && open < concurrency && pacer.waitNanos(now) == 0) {
                    pacer.take(now);
                    int port = nextPort++;
                    SocketChannel channel = SocketChannel.open();
                    try {
                        channel.configureBlocking(false);
                        channel.setOption(StandardSocketOptions.SO_LINGER, 0);
                        if (channel.connect(new InetSocketAddress(address, port))) {
                            outcomes[port - range.first()] = Outcome.OPEN;
                            channel.close();
                            continue;
                        }
                        Pending pending = new Pending(port, now + timeoutNanos, channel);
                        channel.register(selector, SelectionKey.OP_CONNECT, pending);
                        inFlight.add(pending);
                        open++;
                    } catch (IOException e) {
                        outcomes[port - range.first()] = errors.note(SocketFailure.of(e, false));
                        channel.close();
                    }
                }
                if (nextPort > range.last() && open == 0) {
                    // every port has its outcome (the last connects failed at once): a select on no channel
                    // would wait for ever
                    break;
                }
                Pending first = inFlight.peek();
                int ready = pacer.select(selector, now, first == null ? deadline.at() : Math.min(first.due, deadline.at()),
                        nextPort <= range.last() && open < concurrency);
                if (ready > 0) {
                    for (SelectionKey key : selector.selectedKeys()) {
                        Pending pending = (Pending) key.attachment();
                        Outcome outcome;
                        try {
                            pending.channel.finishConnect();
                            outcome = Outcome.OPEN;
                        } catch (IOException e) {
                            outcome = errors.note(SocketFailure.of(e, false));
                        }
                        outcomes[pending.port - range.first()] = outcome;
                        pending.done = true;
                        pending.channel.close();
                        open--;
                    }
                    selector.selectedKeys().clear();
                }
                now = System.nanoTime();
                while (!inFlight.isEmpty() && (inFlight.peek().done || inFlight.peek().due <= now)) {
                    Pending pending = inFlight.poll();
                    if (!pending.done) {
                        outcomes[pending.port - range.first()] = Outcome.FILTERED;
                        pending.channel.close();
                        open--;
                    }
                }
            }
        } finally {
            for (Pending pending : inFlight) {
                pending.channel.close();
            }
        }
        return outcomes;
    }
}
