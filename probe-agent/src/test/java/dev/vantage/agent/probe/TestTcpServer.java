package dev.vantage.agent.probe;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * A TCP server on 127.0.0.1, port 0, that answers every connection with fixed bytes: first
 * (when {@code readFirst}) it reads what the client sends up to a blank line, then writes the
 * reply and closes. A null reply keeps the connection open and silent until the client leaves.
 */
final class TestTcpServer implements AutoCloseable {
    private final ServerSocket server;
    private final byte[] reply;
    private final boolean readFirst;
    private volatile String lastRequest = "";

    TestTcpServer(String reply, boolean readFirst) throws IOException {
        this.server = new ServerSocket(0, 10, InetAddress.getLoopbackAddress());
        this.reply = reply == null ? null : reply.getBytes(StandardCharsets.ISO_8859_1);
        this.readFirst = readFirst;
        TestDnsServer.daemon("test-tcp", this::serve);
    }

    int port() {
        return server.getLocalPort();
    }

    String lastRequest() {
        return lastRequest;
    }

    private void serve() {
        while (!server.isClosed()) {
            try (Socket s = server.accept()) {
                s.setSoTimeout(3000);
                InputStream in = s.getInputStream();
                if (readFirst) {
                    StringBuilder req = new StringBuilder();
                    int b;
                    while ((b = in.read()) >= 0) {
                        req.append((char) b);
                        if (req.toString().endsWith("\r\n\r\n")) {
                            break;
                        }
                    }
                    lastRequest = req.toString();
                }
                if (reply == null) {
                    while (in.read() >= 0) {
                        // silent until the client hangs up
                    }
                    continue;
                }
                OutputStream out = s.getOutputStream();
                out.write(reply);
                out.flush();
            } catch (IOException e) {
                // the client may hang up at any point
            }
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
