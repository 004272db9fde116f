package dev.vantage.agent.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.HexFormat;

/**
 * TCP peers that accept and then hold a client, for the probes that must end anyway; run inside a lab
 * namespace ({@code --bind ADDR} and one port per behaviour), it prints {@code peers listening} once every
 * port listens and serves until killed.
 *
 * <ul>
 *   <li>{@code --silent PORT}: reads whatever comes (a ClientHello too) and never writes.</li>
 *   <li>{@code --trickle PORT}: writes one byte ({@code x}) a second, never a line end, for ever.</li>
 *   <li>{@code --tls-half PORT}: reads the ClientHello, writes the first half of a ServerHello record, then
 *       nothing.</li>
 *   <li>{@code --tls-trickle PORT}: reads the ClientHello, writes the header of a 16 KiB handshake record and then
 *       its body one byte a second.</li>
 * </ul>
 */
public final class StallingPeers {
    /** A TLS 1.2 record header (handshake, 74 bytes) and the start of a ServerHello: the half a stalled peer sends. */
    private static final byte[] HALF_SERVER_HELLO = HexFormat.of().parseHex(
            "160303004a" + "02000046" + "0303" + "5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a");
    private static final byte[] LONG_RECORD_HEADER = HexFormat.of().parseHex("1603034000");

    private StallingPeers() {
    }

    public static void main(String[] args) throws IOException {
        InetAddress bind = InetAddress.getLoopbackAddress();
        for (int i = 0; i + 1 < args.length; i += 2) {
            if (args[i].equals("--bind")) {
                bind = InetAddress.getByName(args[i + 1]);
            }
        }
        for (int i = 0; i + 1 < args.length; i += 2) {
            int port = args[i].equals("--bind") ? -1 : Integer.parseInt(args[i + 1]);
            switch (args[i]) {
                case "--bind" -> { }
                case "--silent" -> serve(bind, port, StallingPeers::silent);
                case "--trickle" -> serve(bind, port, s -> trickle(s.getOutputStream()));
                case "--tls-half" -> serve(bind, port, StallingPeers::halfServerHello);
                case "--tls-trickle" -> serve(bind, port, StallingPeers::tlsTrickle);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        System.out.println("peers listening");
        System.out.flush();
    }

    private interface Behaviour {
        void hold(Socket client) throws IOException, InterruptedException;
    }

    private static void serve(InetAddress bind, int port, Behaviour behaviour) throws IOException {
        ServerSocket server = new ServerSocket(port, 50, bind);
        Thread acceptor = new Thread(() -> {
            while (true) {
                try {
                    Socket client = server.accept();
                    new Thread(() -> {
                        try (client) {
                            behaviour.hold(client);
                        } catch (IOException | InterruptedException e) {
                            // the client went away: this peer is done with it
                        }
                    }, "peer " + port).start();
                } catch (IOException e) {
                    return;
                }
            }
        }, "accept " + port);
        acceptor.start();
    }

    private static void silent(Socket client) throws IOException {
        InputStream in = client.getInputStream();
        byte[] buffer = new byte[4096];
        while (in.read(buffer) >= 0) {
            // swallow everything, answer nothing
        }
    }

    private static void trickle(OutputStream out) throws IOException, InterruptedException {
        while (true) {
            out.write('x');
            out.flush();
            Thread.sleep(1000);
        }
    }

    private static void readClientHello(Socket client) throws IOException {
        client.getInputStream().read(new byte[16 * 1024]);
    }

    private static void halfServerHello(Socket client) throws IOException {
        readClientHello(client);
        client.getOutputStream().write(HALF_SERVER_HELLO);
        client.getOutputStream().flush();
        silent(client);
    }

    private static void tlsTrickle(Socket client) throws IOException, InterruptedException {
        readClientHello(client);
        client.getOutputStream().write(LONG_RECORD_HEADER);
        trickle(client.getOutputStream());
    }
}
