package dev.vantage.agent.probe;

import dev.vantage.wire.Outcome;
import dev.vantage.wire.PortRange;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.time.Duration;
import java.util.ArrayDeque;

/**
 * UDP probes over a port range from one thread: one connected socket per port in flight (so ICMP
 * port unreachable is attributed to its port), at most {@code concurrency} sockets open, at most
 * {@code rate} datagrams per second including retries. A port is {@code OPEN} only when a datagram
 * came back from it. A port whose every attempt timed out is {@code OPEN_OR_FILTERED}, but its socket stays open
 * while the sweep goes on (at most {@code concurrency} such sockets, or {@value #LATE_SOCKETS} when that is more;
 * the oldest closed first; they take no place among those in flight): an answer that comes late, from a responder
 * or a path busy for longer than the timeout, still proves the port open. The sweep does not wait for late answers
 * once every port has had its attempts. It ends by its {@link Deadline}; a port it had not finished by then is left
 * without an outcome (null).
 */
final class UdpSweep {
    /** How often one datagram may fail to leave this host (send queue full) before its port is an ERROR. */
    static final int MAX_LOCAL_FAILURES = 50;
    private static final long LOCAL_BACKOFF_NANOS = 2_000_000;
    /** How many sockets of ports past their attempts wait for a late answer at least (else {@code concurrency}). */
    static final int LATE_SOCKETS = 1024;

    private UdpSweep() {
    }

    private static final class Pending {
        final int port;
        final DatagramChannel channel;
        final byte[] request;
        long due;
        int attempts;
        int localFailures;
        boolean done;
        /** Every attempt timed out: OPEN_OR_FILTERED unless a late answer comes while the sweep goes on. */
        boolean late;

        Pending(int port, DatagramChannel channel, byte[] request) {
            this.port = port;
            this.channel = channel;
            this.request = request;
        }
    }

    static Outcome[] run(InetAddress address, PortRange range, int concurrency, int rate, Duration timeout,
                         int attempts, UdpPayload payload, String nonce, Deadline deadline, SweepErrors errors)
            throws IOException {
        Outcome[] outcomes = new Outcome[range.size()];
        long timeoutNanos = timeout.toNanos();
        Pacer pacer = new Pacer(rate);
        ArrayDeque<Pending> inFlight = new ArrayDeque<>();
        ArrayDeque<Pending> retries = new ArrayDeque<>();
        ArrayDeque<Pending> late = new ArrayDeque<>();
        int lateSockets = Math.max(concurrency, LATE_SOCKETS);
        ByteBuffer in = ByteBuffer.allocate(4096);
        int nextPort = range.first();
        int open = 0;
        try (Selector selector = Selector.open()) {
            while ((nextPort <= range.last() || open > 0) && !deadline.passed()) {
                Deadline.checkInterrupted();
                long now = System.nanoTime();
                while (pacer.waitNanos(now) == 0 && (!retries.isEmpty() || nextPort <= range.last() && open < concurrency)) {
                    Pending pending;
                    if (!retries.isEmpty()) {
                        pending = retries.poll();
                    } else {
                        int port = nextPort++;
                        InetSocketAddress destination = new InetSocketAddress(address, port);
                        DatagramChannel channel = DatagramChannel.open();
                        try {
                            channel.connect(destination);
                            channel.configureBlocking(false);
                            pending = new Pending(port, channel,
                                    payload.request(nonce, destination, (InetSocketAddress) channel.getLocalAddress()));
                            channel.register(selector, SelectionKey.OP_READ, pending);
                            open++;
                        } catch (IOException e) {
                            outcomes[port - range.first()] = errors.note(SocketFailure.of(e, true));
                            channel.close();
                            continue;
                        }
                    }
                    pacer.take(now);
                    SocketFailure failure = null;
                    try {
                        if (pending.channel.write(ByteBuffer.wrap(pending.request)) > 0) {
                            pending.attempts++;
                            pending.due = now + timeoutNanos;
                            inFlight.add(pending);
                            continue;
                        }
                    } catch (IOException e) {
                        failure = SocketFailure.of(e, true);
                    }
                    if (failure == null || "ENOBUFS".equals(failure.error())) {
                        // this host's own send queue was full (nothing written, or ENOBUFS): the datagram never left,
                        // which says nothing about the path; pause all sending a moment and send it again
                        if (++pending.localFailures <= MAX_LOCAL_FAILURES) {
                            retries.addFirst(pending);
                            pacer.pause(now, LOCAL_BACKOFF_NANOS);
                            break;
                        }
                        failure = failure == null ? new SocketFailure(Outcome.ERROR, "ENOBUFS", null) : failure;
                    }
                    finish(pending, errors.note(failure), outcomes, range);
                    open--;
                }
                if (nextPort > range.last() && open == 0) {
                    // every port has its outcome (the last ones may have failed to send): nothing to wait for,
                    // and a select on no channel would wait for ever
                    break;
                }
                Pending first = inFlight.peek();
                int ready = pacer.select(selector, now, first == null ? deadline.at() : Math.min(first.due, deadline.at()),
                        !retries.isEmpty() || nextPort <= range.last() && open < concurrency);
                if (ready > 0) {
                    for (SelectionKey key : selector.selectedKeys()) {
                        Pending pending = (Pending) key.attachment();
                        if (pending.done) {
                            continue;
                        }
                        Outcome outcome;
                        try {
                            in.clear();
                            int n = pending.channel.read(in);
                            if (n < 0 || n == 0) {
                                continue;
                            }
                            // any datagram from the port proves it open; ours or not is for the single probe to tell
                            outcome = Outcome.OPEN;
                        } catch (IOException e) {
                            outcome = errors.note(SocketFailure.of(e, true));
                        }
                        finish(pending, outcome, outcomes, range);
                        if (!pending.late) {
                            open--;
                        }
                    }
                    selector.selectedKeys().clear();
                }
                now = System.nanoTime();
                while (!inFlight.isEmpty() && (inFlight.peek().done || inFlight.peek().due <= now)) {
                    Pending pending = inFlight.poll();
                    if (pending.done) {
                        continue;
                    }
                    if (pending.attempts < attempts) {
                        retries.add(pending);
                    } else {
                        // its outcome, unless an answer still comes; its socket waits without a place in flight
                        outcomes[pending.port - range.first()] = Outcome.OPEN_OR_FILTERED;
                        pending.late = true;
                        late.add(pending);
                        open--;
                    }
                }
                while (!late.isEmpty() && (late.peek().done || late.size() > lateSockets)) {
                    Pending pending = late.poll();
                    if (!pending.done) {
                        pending.done = true;
                        pending.channel.close();
                    }
                }
            }
        } finally {
            for (Pending pending : inFlight) {
                pending.channel.close();
            }
            for (Pending pending : retries) {
                pending.channel.close();
            }
            for (Pending pending : late) {
                pending.channel.close();
            }
        }
        return outcomes;
    }

    private static void finish(Pending pending, Outcome outcome, Outcome[] outcomes, PortRange range) throws IOException {
        pending.done = true;
        outcomes[pending.port - range.first()] = outcome;
        pending.channel.close();
    }
}
