package dev.vantage.agent.probe;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.time.Duration;
import java.util.Arrays;
import java.util.function.Function;
import java.util.function.IntFunction;
import java.util.function.Predicate;

/**
 * One request/answer over a connected UDP socket, with retries. A connected socket is what lets
 * the kernel hand us the ICMP errors for this destination.
 */
final class UdpExchange {
    private static final int MAX_REPLY = 4096;

    /**
     * @param reply    the expected answer, or the last other datagram when none was expected; null when nothing came
     * @param expected true when {@code reply} is the answer we asked for
     * @param failure  the socket error or silence when no datagram arrived; null otherwise
     * @param attempts datagrams sent
     * @param source   local {@code ip:port}
     * @param rttNanos time from the last send to the reply
     */
    record Exchange(byte[] reply, boolean expected, SocketFailure failure, int attempts, String source, long rttNanos) {
    }

    private UdpExchange() {
    }

    /**
     * Reads datagrams from a connected blocking socket into {@code buffer} until {@code match} makes
     * something of one (given its length) or {@code timeout} has passed; null then. Datagrams that
     * {@code match} turns down do not extend the wait.
     */
    static <T> T receive(DatagramSocket socket, byte[] buffer, Duration timeout, IntFunction<T> match)
            throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            long left = (deadline - System.nanoTime()) / 1_000_000;
            if (left <= 0) {
                return null;
            }
            socket.setSoTimeout((int) Math.min(Integer.MAX_VALUE, left));
            DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
            try {
                socket.receive(packet);
            } catch (SocketTimeoutException e) {
                return null;
            }
            T matched = match.apply(packet.getLength());
            if (matched != null) {
                return matched;
            }
        }
    }

    /**
     * Sends up to {@code attempts} requests, each waited for {@code timeout}, all within {@code deadline}. A
     * connect that fails (no route) is a failure of the exchange, not of this host: no datagram was sent.
     */
    static Exchange run(InetSocketAddress destination, Function<InetSocketAddress, byte[]> requestFrom, int attempts,
                        Duration timeout, Predicate<ByteBuffer> isAnswer, Deadline deadline) throws IOException {
        try (DatagramChannel channel = DatagramChannel.open(); Selector selector = Selector.open()) {
            try {
                channel.connect(destination);
            } catch (IOException e) {
                return new Exchange(null, false, SocketFailure.of(e, true), 0, null, 0);
            }
            channel.configureBlocking(false);
            channel.register(selector, SelectionKey.OP_READ);
            InetSocketAddress local = (InetSocketAddress) channel.getLocalAddress();
            String source = Endpoints.text(local);
            byte[] request = requestFrom.apply(local);
            ByteBuffer in = ByteBuffer.allocate(MAX_REPLY);
            byte[] other = null;
            int sent = 0;
            deadline.phase("request");
            for (int attempt = 1; attempt <= attempts && !deadline.passed(); attempt++) {
                long sentAt = System.nanoTime();
                try {
                    channel.write(ByteBuffer.wrap(request));
                    sent++;
                } catch (IOException e) {
                    // an ICMP error queued from the previous attempt surfaces on the next call
                    return new Exchange(other, false, SocketFailure.of(e, true), Math.max(sent, 1), source, 0);
                }
                long end = Math.min(sentAt + timeout.toNanos(), deadline.at());
                while (true) {
                    long left = end - System.nanoTime();
                    if (left <= 0) {
                        break;
                    }
                    Deadline.checkInterrupted();
                    selector.select(Math.max(1, left / 1_000_000));
                    selector.selectedKeys().clear();
                    while (true) {
                        in.clear();
                        int n;
                        try {
                            n = channel.read(in);
                        } catch (IOException e) {
                            return new Exchange(other, false, SocketFailure.of(e, true), sent, source, 0);
                        }
                        if (n <= 0) {
                            break;
                        }
                        in.flip();
                        byte[] bytes = Arrays.copyOf(in.array(), n);
                        if (isAnswer.test(ByteBuffer.wrap(bytes))) {
                            return new Exchange(bytes, true, null, sent, source, System.nanoTime() - sentAt);
                        }
                        other = bytes;
                    }
                }
                if (other != null) {
                    // something answered from that port, though not as expected: no use repeating
                    break;
                }
            }
            return new Exchange(other, false,
                    other == null ? SocketFailure.SILENCE : null,
                    sent, source, 0);
        }
    }
}
