package dev.vantage.agent.responder;

import dev.vantage.wire.ReceiptEvidence;
import dev.vantage.wire.ReceiptEvidence.Kind;

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
 * Everything else gets nothing back. What it accepted, answered and reflected is recorded in the window's
 * {@link Receipts} (with the task tag of the nonce); what it ignored is counted there as stray. Called from the
 * responder's one selector thread.
 */
final class PortAnswers {
    private static final int MAX_DATAGRAM = 2048;
    private static final int MIN_RTP = 12 + 6 + EchoDatagram.MIN_NONCE;

    private final String agent;
    private final Receipts receipts;
    private final ByteBuffer in = ByteBuffer.allocateDirect(MAX_DATAGRAM);
    private final ByteBuffer out = ByteBuffer.allocateDirect(MAX_DATAGRAM);
    final AtomicLong tcpAccepted = new AtomicLong();
    final AtomicLong udpAnswered = new AtomicLong();
    final AtomicLong rtpReflected = new AtomicLong();
    final AtomicLong ignored = new AtomicLong();

    /**
     * @param agent    the name written in the TCP line
     * @param receipts where what arrived is recorded
     */
    PortAnswers(String agent, Receipts receipts) {
        this.agent = agent;
        this.receipts = receipts;
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
            receipts.record(Kind.TCP_ACCEPT, seen.getAddress(), null, port);
            client.write(ByteBuffer.wrap(line.getBytes(StandardCharsets.US_ASCII)));
        }
    }

    static String hostPort(InetSocketAddress address) {
        String host = address.getAddress().getHostAddress();
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + address.getPort();
    }

    /** Answers every datagram waiting on the channel on {@code port}; {@code rtp} for a reflector port. */
    void receive(DatagramChannel channel, int port, boolean rtp) throws IOException {
        while (true) {
            in.clear();
            InetSocketAddress from = (InetSocketAddress) channel.receive(in);
            if (from == null) {
                return;
            }
            in.flip();
            String rtpNonce = rtp ? vantageRtpNonce(in) : null;
            if (rtpNonce != null) {
                rtpReflected.incrementAndGet();
                receipts.record(Kind.RTP, from.getAddress(), ReceiptEvidence.tagInNonce(rtpNonce), port);
                channel.send(in, from);
                continue;
            }
            // echo ports answer nonce requests; RTP ports do too, so a udp-range sweep of the RTP range
            // sees the ports a pre-install survey opened as reflectors
            out.clear();
            String nonce = EchoDatagram.answer(in, from, out);
            if (nonce != null) {
                // counted before sending, so a peer that has the answer also sees the count
                udpAnswered.incrementAndGet();
                receipts.record(Kind.UDP_NONCE, from.getAddress(), ReceiptEvidence.tagInNonce(nonce), port);
                channel.send(out, from);
            } else {
                ignored();
            }
        }
    }

    /** A datagram or connection that got no answer: counted, but as no vantage's. */
    void ignored() {
        ignored.incrementAndGet();
        receipts.stray();
    }

    /** The nonce of a Vantage RTP packet (version 2, payload starting with the magic), or null for anything else. */
    private static String vantageRtpNonce(ByteBuffer packet) {
        if (packet.remaining() < MIN_RTP || (packet.get(0) & 0xC0) != 0x80) {
            return null;
        }
        int csrc = packet.get(0) & 0x0F;
        int payload = 12 + 4 * csrc;
        if (packet.remaining() < payload + 6) {
            return null;
        }
        ByteBuffer view = packet.duplicate();
        view.position(payload);
        return EchoDatagram.readHeader(view, EchoDatagram.RTP);
    }
}
