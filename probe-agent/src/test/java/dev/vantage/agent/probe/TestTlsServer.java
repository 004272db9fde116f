package dev.vantage.agent.probe;

import javax.net.ssl.ExtendedSSLSession;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * A TLS server on 127.0.0.1, port 0, presenting one identity; after the handshake it writes
 * {@code reply} (may be empty) and closes. It records the server names (SNI) each client sent.
 */
final class TestTlsServer implements AutoCloseable {
    private final SSLServerSocket server;
    private final byte[] reply;
    private final BlockingQueue<List<String>> serverNames = new LinkedBlockingQueue<>();

    TestTlsServer(TestCertificates.Identity identity, String reply) throws Exception {
        this.server = (SSLServerSocket) identity.serverContext().getServerSocketFactory()
                .createServerSocket(0, 10, InetAddress.getLoopbackAddress());
        this.reply = reply.getBytes(StandardCharsets.ISO_8859_1);
        TestDnsServer.daemon("test-tls", this::serve);
    }

    int port() {
        return server.getLocalPort();
    }

    /** The SNI host names of each completed handshake, in order; an empty list for a client that sent none. */
    BlockingQueue<List<String>> serverNames() {
        return serverNames;
    }

    private void serve() {
        while (!server.isClosed()) {
            try (Socket s = server.accept()) {
                s.setSoTimeout(2000);
                ((SSLSocket) s).startHandshake();
                serverNames.add(((ExtendedSSLSession) ((SSLSocket) s).getSession()).getRequestedServerNames().stream()
                        .map(n -> ((SNIHostName) n).getAsciiName()).toList());
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
