package dev.vantage.agent.probe;

import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * A TLS server on 127.0.0.1, port 0, presenting one identity; after the handshake it writes
 * {@code reply} (may be empty) and closes.
 */
final class TestTlsServer implements AutoCloseable {
    private final SSLServerSocket server;
    private final byte[] reply;

    TestTlsServer(TestCertificates.Identity identity, String reply) throws Exception {
        this.server = (SSLServerSocket) identity.serverContext().getServerSocketFactory()
                .createServerSocket(0, 10, InetAddress.getLoopbackAddress());
        this.reply = reply.getBytes(StandardCharsets.ISO_8859_1);
        TestDnsServer.daemon("test-tls", this::serve);
    }

    int port() {
        return server.getLocalPort();
    }

    private void serve() {
        while (!server.isClosed()) {
            try (Socket s = server.accept()) {
                s.setSoTimeout(2000);
                ((SSLSocket) s).startHandshake();
                if (reply.length > 0) {
                    s.getInputStream().read(new byte[4096]);
                    OutputStream out = s.getOutputStream();
                    out.write(reply);
                    out.flush();
                }
            } catch (IOException e) {
                // the client may hang up at any point; the next one gets served
            }
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
