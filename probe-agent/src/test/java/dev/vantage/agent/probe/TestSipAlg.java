package dev.vantage.agent.probe;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;

/**
 * A UDP relay between a SIP client and a server that behaves like a SIP ALG on a NAT router: on the
 * way out it rewrites the client's address in Via and Contact and in the SDP to a public address
 * (fixing Content-Length), on the way back it restores the Via so the client still matches it.
 */
final class TestSipAlg implements AutoCloseable {
    static final String PUBLIC_IP = "198.51.100.9";
    static final String PUBLIC = PUBLIC_IP + ":5062";

    private final DatagramSocket socket;
    private final InetSocketAddress server;
    private volatile SocketAddress client;
    private volatile String clientText;

    TestSipAlg(int serverPort) throws IOException {
        InetAddress lo = InetAddress.getLoopbackAddress();
        socket = new DatagramSocket(new InetSocketAddress(lo, 0));
        server = new InetSocketAddress(lo, serverPort);
        TestDnsServer.daemon("test-sip-alg", this::relay);
    }

    int port() {
        return socket.getLocalPort();
    }

    private void relay() {
        byte[] buf = new byte[65535];
        while (!socket.isClosed()) {
            try {
                DatagramPacket p = new DatagramPacket(buf, buf.length);
                socket.receive(p);
                String text = new String(buf, 0, p.getLength(), StandardCharsets.ISO_8859_1);
                String out;
                SocketAddress to;
                if (p.getSocketAddress().equals(server)) {
                    out = restoreVia(text);
                    to = client;
                } else {
                    InetSocketAddress from = (InetSocketAddress) p.getSocketAddress();
                    client = from;
                    clientText = from.getAddress().getHostAddress() + ":" + from.getPort();
                    out = rewrite(text);
                    to = server;
                }
                if (to != null) {
                    byte[] b = out.getBytes(StandardCharsets.ISO_8859_1);
                    socket.send(new DatagramPacket(b, b.length, to));
                }
            } catch (SocketException closed) {
                return;
            } catch (IOException e) {
                // keep relaying
            }
        }
    }

    private String rewrite(String message) {
        int split = message.indexOf("\r\n\r\n");
        String head = message.substring(0, split);
        String body = message.substring(split + 4)
                .replace("IN IP4 127.0.0.1", "IN IP4 " + PUBLIC_IP);
        StringBuilder out = new StringBuilder();
        for (String line : head.split("\r\n")) {
            if (line.startsWith("Via:") || line.startsWith("Contact:")) {
                line = line.replace(clientText, PUBLIC);
            } else if (line.startsWith("Content-Length:")) {
                line = "Content-Length: " + body.length();
            }
            out.append(line).append("\r\n");
        }
        return out.append("\r\n").append(body).toString();
    }

    private String restoreVia(String message) {
        int split = message.indexOf("\r\n\r\n");
        StringBuilder out = new StringBuilder();
        for (String line : message.substring(0, split).split("\r\n")) {
            if (line.startsWith("Via:")) {
                line = line.replace(PUBLIC, clientText);
            }
            out.append(line).append("\r\n");
        }
        return out.append("\r\n").append(message.substring(split + 4)).toString();
    }

    @Override
    public void close() {
        socket.close();
    }
}
