package dev.vantage.agent.responder;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The responder's SIP user agent server: answers {@code OPTIONS} with {@code 200 OK} whose body is
 * the request exactly as it arrived (request line, headers, blank line, body such as SDP), with
 * {@code Content-Type: message/sip}. A sender compares that with what it sent; a difference in
 * Via, Contact or SDP lines shows a SIP ALG (or other rewriting device) on the path.
 *
 * <p>Behaviour, so that it is safe to leave open on a customer's machine for a window:
 * <ul>
 *   <li>Listens on one port for UDP and/or TCP (the same port number for both), bound to the
 *       given address, only between {@link #start()} and the end of the window (or
 *       {@link #close()}).</li>
 *   <li>Requests larger than {@link #MAX_REQUEST_BYTES} are answered {@code 513 Message Too Large}
 *       without an echo, so a reply is never larger than about twice the request plus headers.</li>
 *   <li>Any other method gets {@code 405 Method Not Allowed} with {@code Allow: OPTIONS}; ACK,
 *       responses and bytes that are not SIP are ignored.</li>
 *   <li>UDP replies go to the datagram's source (as with {@code rport}), TCP replies on the same
 *       connection; at most {@link #MAX_CONNECTIONS} TCP connections at once.</li>
 * </ul>
 *
 * <p>Use: {@code try (SipUas uas = new SipUas(bind, 5060, EnumSet.of(UDP, TCP), Duration.ofMinutes(10)).start()) {...}};
 * port 0 picks a free port, see {@link #port()}.
 */
public final class SipUas implements AutoCloseable {
    /** The largest request echoed back. */
    public static final int MAX_REQUEST_BYTES = 8 * 1024;
    /** Concurrent TCP connections served; more are closed at once. */
    public static final int MAX_CONNECTIONS = 32;
    /** Value of the {@code Server} header of every reply. */
    public static final String SERVER = "vantage-responder";

    /** The transports the UAS listens on. */
    public enum Transport { UDP, TCP }

    private final InetAddress bind;
    private final int requestedPort;
    private final Set<Transport> transports;
    private final Duration window;
    private final AtomicInteger connections = new AtomicInteger();
    private final List<Socket> open = new ArrayList<>();
    private volatile DatagramSocket udp;
    private volatile ServerSocket tcp;
    private volatile boolean running;
    private volatile int port;

    /**
     * @param bind       the local address to listen on
     * @param port       the port (0: any free port, the same for UDP and TCP)
     * @param transports UDP, TCP or both; not empty
     * @param window     how long to listen after {@link #start()}
     */
    public SipUas(InetAddress bind, int port, Set<Transport> transports, Duration window) {
        if (transports.isEmpty()) {
            throw new IllegalArgumentException("a SIP UAS needs at least one transport (UDP, TCP)");
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("SIP port " + port + " is out of range 0-65535");
        }
        if (window.isNegative() || window.isZero()) {
            throw new IllegalArgumentException("SIP UAS window " + window + " must be positive");
        }
        this.bind = bind;
        this.requestedPort = port;
        this.transports = EnumSet.copyOf(transports);
        this.window = window;
    }

    /**
     * Binds and starts answering; returns this.
     *
     * @throws IOException when the port cannot be bound (in use, or below 1024 without
     *                     CAP_NET_BIND_SERVICE)
     */
    public synchronized SipUas start() throws IOException {
        if (running) {
            return this;
        }
        IOException last = null;
        for (int attempt = 0; attempt < (requestedPort == 0 ? 20 : 1); attempt++) {
            try {
                bindAll();
                last = null;
                break;
            } catch (IOException e) {
                closeSockets();
                last = e;
            }
        }
        if (last != null) {
            throw new IOException("cannot listen for SIP on " + bind.getHostAddress() + ":" + requestedPort
                    + " (" + last.getMessage() + ")" + (requestedPort > 0 && requestedPort < 1024
                    ? "; ports below 1024 need CAP_NET_BIND_SERVICE" : ""), last);
        }
        running = true;
        if (udp != null) {
            daemon("sip-uas-udp-" + port, this::serveUdp);
        }
        if (tcp != null) {
            daemon("sip-uas-tcp-" + port, this::acceptTcp);
        }
        daemon("sip-uas-window-" + port, () -> {
            try {
                Thread.sleep(window.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            close();
        });
        return this;
    }

    private void bindAll() throws IOException {
        int p = requestedPort;
        if (transports.contains(Transport.UDP)) {
            udp = new DatagramSocket(new InetSocketAddress(bind, p));
            p = udp.getLocalPort();
        }
        if (transports.contains(Transport.TCP)) {
            ServerSocket s = new ServerSocket();
            s.setReuseAddress(true);
            s.bind(new InetSocketAddress(bind, p), 50);
            tcp = s;
            p = s.getLocalPort();
        }
        port = p;
    }

    /** The port listened on (UDP and TCP alike). */
    public int port() {
        return port;
    }

    /** True between {@link #start()} and the end of the window or {@link #close()}. */
    public boolean isRunning() {
        return running;
    }

    @Override
    public void close() {
        running = false;
        closeSockets();
        synchronized (open) {
            for (Socket s : open) {
                quietly(s);
            }
            open.clear();
        }
    }

    private void closeSockets() {
        quietly(udp);
        quietly(tcp);
    }

    private void serveUdp() {
        byte[] buffer = new byte[65535];
        while (running) {
            DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
            try {
                udp.receive(packet);
                byte[] reply = answer(buffer, packet.getLength(), "UDP");
                if (reply != null) {
                    udp.send(new DatagramPacket(reply, reply.length, packet.getSocketAddress()));
                }
            } catch (SocketException closed) {
                return;
            } catch (IOException | RuntimeException e) {
                // one bad datagram must not stop the UAS
            }
        }
    }

    private void acceptTcp() {
        while (running) {
            Socket s;
            try {
                s = tcp.accept();
            } catch (IOException closed) {
                return;
            }
            if (connections.incrementAndGet() > MAX_CONNECTIONS) {
                connections.decrementAndGet();
                quietly(s);
                continue;
            }
            synchronized (open) {
                open.add(s);
            }
            daemon("sip-uas-conn", () -> serveConnection(s));
        }
    }

    private void serveConnection(Socket s) {
        try (s) {
            s.setSoTimeout((int) Math.min(Integer.MAX_VALUE, Math.max(1000, window.toMillis())));
            InputStream in = new java.io.BufferedInputStream(s.getInputStream());
            OutputStream out = s.getOutputStream();
            while (running) {
                byte[] message = readStreamMessage(in);
                if (message == null) {
                    return;
                }
                byte[] reply = answer(message, message.length, "TCP");
                if (reply != null) {
                    out.write(reply);
                    out.flush();
                }
            }
        } catch (IOException | RuntimeException e) {
            // the peer left or sent something unreadable: the connection ends, the UAS goes on
        } finally {
            connections.decrementAndGet();
            synchronized (open) {
                open.remove(s);
            }
        }
    }

    /** One message from a stream: head up to the blank line, then Content-Length bytes; null at end. */
    private static byte[] readStreamMessage(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int newlines = 0;
        while (true) {
            int b = in.read();
            if (b < 0) {
                return null;
            }
            if (head.size() == 0 && (b == '\r' || b == '\n')) {
                continue; // keep-alive CRLFs between messages
            }
            head.write(b);
            if (head.size() > MAX_REQUEST_BYTES) {
                throw new IOException("request head larger than " + MAX_REQUEST_BYTES + " bytes");
            }
            if (b == '\n') {
                if (++newlines == 2) {
                    break;
                }
            } else if (b != '\r') {
                newlines = 0;
            }
        }
        int length = contentLength(head.toString(StandardCharsets.ISO_8859_1));
        if (length < 0 || head.size() + length > MAX_REQUEST_BYTES) {
            throw new IOException("request body missing or too large");
        }
        byte[] body = in.readNBytes(length);
        head.write(body);
        return head.toByteArray();
    }

    private static int contentLength(String head) {
        for (String line : head.split("\r?\n")) {
            int colon = line.indexOf(':');
            if (colon > 0) {
                String name = line.substring(0, colon).strip().toLowerCase(Locale.ROOT);
                if (name.equals("content-length") || name.equals("l")) {
                    try {
                        return Integer.parseInt(line.substring(colon + 1).strip());
                    } catch (NumberFormatException e) {
                        return -1;
                    }
                }
            }
        }
        return 0;
    }

    /** The reply to one request, or null when nothing is to be sent. */
    static byte[] answer(byte[] data, int length, String transport) {
        String text = new String(data, 0, length, StandardCharsets.ISO_8859_1);
        int eol = text.indexOf('\n');
        if (eol < 0) {
            return null;
        }
        String[] requestLine = text.substring(0, eol).strip().split(" ");
        if (requestLine.length != 3 || !requestLine[2].equals("SIP/2.0") || requestLine[0].startsWith("SIP/")) {
            return null; // a response, or not SIP
        }
        String method = requestLine[0];
        if (method.equals("ACK")) {
            return null;
        }
        List<String> via = new ArrayList<>();
        String from = null;
        String to = null;
        String callId = null;
        String cseq = null;
        for (String line : text.split("\r?\n")) {
            if (line.isEmpty()) {
                break;
            }
            int colon = line.indexOf(':');
            if (colon <= 0) {
                continue;
            }
            String name = line.substring(0, colon).strip().toLowerCase(Locale.ROOT);
            String value = line.substring(colon + 1).strip();
            switch (name) {
                case "via", "v" -> via.add(value);
                case "from", "f" -> from = value;
                case "to", "t" -> to = value;
                case "call-id", "i" -> callId = value;
                case "cseq" -> cseq = value;
                default -> {
                }
            }
        }
        if (via.isEmpty() || from == null || to == null || callId == null || cseq == null) {
            return null; // cannot be answered so that the sender matches it
        }
        if (!to.contains(";tag=")) {
            to = to + ";tag=vantage" + Long.toHexString(ThreadLocalRandom.current().nextLong() & 0xffffffffL);
        }
        StringBuilder head = new StringBuilder();
        byte[] body = new byte[0];
        if (length > MAX_REQUEST_BYTES) {
            head.append("SIP/2.0 513 Message Too Large\r\n");
        } else if (!method.equals("OPTIONS")) {
            head.append("SIP/2.0 405 Method Not Allowed\r\n");
        } else {
            head.append("SIP/2.0 200 OK\r\n");
            body = java.util.Arrays.copyOf(data, length);
        }
        for (String v : via) {
            head.append("Via: ").append(v).append("\r\n");
        }
        head.append("From: ").append(from).append("\r\n")
                .append("To: ").append(to).append("\r\n")
                .append("Call-ID: ").append(callId).append("\r\n")
                .append("CSeq: ").append(cseq).append("\r\n")
                .append("Server: ").append(SERVER).append("\r\n")
                .append("Allow: OPTIONS\r\n")
                .append("X-Vantage-Transport: ").append(transport).append("\r\n");
        if (body.length > 0) {
            head.append("Content-Type: message/sip\r\n");
        }
        head.append("Content-Length: ").append(body.length).append("\r\n\r\n");
        byte[] h = head.toString().getBytes(StandardCharsets.ISO_8859_1);
        byte[] reply = java.util.Arrays.copyOf(h, h.length + body.length);
        System.arraycopy(body, 0, reply, h.length, body.length);
        return reply;
    }

    private static void daemon(String name, Runnable body) {
        Thread t = new Thread(body, name);
        t.setDaemon(true);
        t.start();
    }

    private static void quietly(AutoCloseable c) {
        if (c != null) {
            try {
                c.close();
            } catch (Exception ignored) {
                // closing: nothing to report
            }
        }
    }
}
