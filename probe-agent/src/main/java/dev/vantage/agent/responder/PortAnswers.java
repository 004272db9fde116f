package dev.vantage.agent.responder;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What the {@link Responder} does on each kind of port it listens on, and the counts of it:
 * a TCP port tells the caller who it saw and closes, a UDP echo port answers {@link EchoDatagram}
 * requests, an RTP port reflects Vantage RTP packets unchanged (and answers echo requests too).
 * Everything else gets nothing back. Called from the responder's one selector thread.
 */
final class PortAnswers {
    private static final int MAX_DATAGRAM = 2048;
    private static final int MIN_RTP = 12 + 6 + EchoDatagram.MIN_NONCE;

    private final String agent;
    private final ByteBuffer in = ByteBuffer.allocateDirect(MAX_DATAGRAM);
    private final ByteBuffer out = ByteBuffer.allocateDirect(MAX_DATAGRAM);
    final AtomicLong tcpAccepted = new AtomicLong();
    final AtomicLong udpAnswered = new AtomicLong();
    final AtomicLong rtpReflected = new AtomicLong();
    final AtomicLong ignored = new AtomicLong();

    /** @param agent the name written in the TCP line */
    PortAnswers(String agent) {
        this.agent = agent;
    }

    /** Accepts one connection, writes {@code VANTAGE-RESPONDER <agent> <port> <seen ip:port>\r\n}, closes. */
    void accept(ServerSocketChannel server, int port) throws IOException {
        SocketChannel client = server.accept();
        if (client == null) {
            return;
        }
        try (client) {
            InetSocketAddress seen = (InetSocketAddress) client.getRemoteAddress();
            String line = "VANTAGE-RESPONDER " + agent + " " + port + " " + hostPort(seen) + "\r\n";
            client.configureBlocking(false);
            tcpAccepted.incrementAndGet();
            client.write(ByteBuffer.wrap(line.getBytes(StandardCharsets.US_ASCII)));
        }
    }

    static String hostPort(InetSocketAddress address) {
        String host = address.getAddress().getHostAddress();
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + address.getPort();
    }

    /** Answers every datagram waiting on the channel; {@code rtp} for a reflector port. */
    void receive(DatagramChannel channel, boolean rtp) throws IOException {
        while (true) {
            in.clear();
            InetSocketAddress from = (InetSocketAddress) channel.receive(in);
            if (from == null) {
                return;
            }
            in.flip();
            if (rtp && isVantageRtp(in)) {
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
}
