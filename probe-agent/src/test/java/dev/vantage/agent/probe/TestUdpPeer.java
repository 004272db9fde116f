package dev.vantage.agent.probe;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.Function;

/** A UDP peer on 127.0.0.1, port 0, answering each datagram with the datagrams a function makes of it. */
final class TestUdpPeer implements AutoCloseable {
    private final DatagramSocket socket;

    TestUdpPeer(Function<String, List<String>> replies) throws IOException {
        socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        TestDnsServer.daemon("test-udp-peer", () -> {
            byte[] buf = new byte[65535];
            while (!socket.isClosed()) {
                try {
                    DatagramPacket p = new DatagramPacket(buf, buf.length);
                    socket.receive(p);
                    for (String r : replies.apply(new String(buf, 0, p.getLength(), StandardCharsets.ISO_8859_1))) {
                        byte[] b = r.getBytes(StandardCharsets.ISO_8859_1);
                        socket.send(new DatagramPacket(b, b.length, p.getSocketAddress()));
                    }
                } catch (SocketException closed) {
                    return;
                } catch (IOException e) {
                    // keep serving
                }
            }
        });
    }

    int port() {
        return socket.getLocalPort();
    }

    @Override
    public void close() {
        socket.close();
    }
}
