package dev.vantage.agent.responder;

import dev.vantage.agent.sip.SipMessage;
import dev.vantage.agent.sip.SipReader;
import dev.vantage.wire.PortRange;
import dev.vantage.wire.ReceiptEvidence;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
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
 *       without an echo over UDP (a TCP connection that sends one is closed), so a reply is never
 *       larger than about twice the request plus headers.</li>
 *   <li>Any other method gets {@code 405 Method Not Allowed} with {@code Allow: OPTIONS}; ACK,
 *       responses and bytes that are not SIP are ignored ({@link SipAnswer}). Messages are framed
 *       and parsed by the same {@link SipReader} the SIP probe uses.</li>
 *   <li>UDP replies go to the datagram's source (as with {@code rport}), TCP replies on the same
 *       connection; at most {@link #MAX_CONNECTIONS} TCP connections at once.</li>
 *   <li>What reached it is recorded ({@link #evidence()}): TCP connections accepted, and the requests of Vantage
 *       probes (Call-ID {@code ...@vantage}, with the task tag when the Call-ID starts with a nonce); other SIP
 *       (a scanner's OPTIONS) is answered alike but counted as stray, not as a vantage's.</li>
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
    /** How the Call-ID of every Vantage SIP probe ends. */
    static final String VANTAGE_CALL_ID = "@vantage";

    /** The transports the UAS listens on. */
    public enum Transport { UDP, TCP }

    private final InetAddress bind;
    private final int requestedPort;
    private final Set<Transport> transports;
    private final Duration window;
    private final AtomicInteger connections = new AtomicInteger();
    private final List<Socket> open = new ArrayList<>();
    private volatile Receipts receipts;
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
        this.receipts = new Receipts(Math.max(1, port), Clock.systemUTC());
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
        receipts = new Receipts(p, Clock.systemUTC());
    }

    /** The port listened on (UDP and TCP alike). */
    public int port() {
        return port;
    }

    /**
     * What the UAS listened on and received so far (at its end: what it served): the port, the TCP connections it
     * accepted and the Vantage SIP requests, by source and task tag.
     */
    public ReceiptEvidence evidence() {
        return receipts.evidence(port == 0 ? List.of() : List.of(PortRange.of(port)), List.of());
    }

    /** Records a request that arrived; one that is not a Vantage probe's counts as stray. */
    private void received(SipMessage m, InetAddress source) {
        String callId = m.isResponse() ? null : m.header("call-id");
        if (callId == null || !callId.endsWith(VANTAGE_CALL_ID)) {
            receipts.stray();
            return;
        }
        receipts.record(ReceiptEvidence.Kind.SIP_REQUEST, source, ReceiptEvidence.tagInNonce(callId), port);
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
                byte[] reply = null;
                if (SipReader.datagram(buffer, packet.getLength()) instanceof SipReader.Message m) {
                    received(m.message(), packet.getAddress());
                    reply = SipAnswer.to(m.message(), m.raw(), "UDP");
                } else {
                    receipts.stray();
                }
                if (reply != null) {
                    udp.send(new DatagramPacket(reply, reply.length, packet.getSocketAddress()));
                }
            } catch (SocketException closed) {
                return;
            } catch (IOException | RuntimeException e) {
                // one peer's failure (an ICMP error for an earlier answer, or a bug of ours with one
                // datagram) must not stop the UAS for the rest of its window
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
            receipts.record(ReceiptEvidence.Kind.TCP_ACCEPT, s.getInetAddress(), null, port);
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
            SipReader in = new SipReader(new BufferedInputStream(s.getInputStream()), MAX_REQUEST_BYTES);
            OutputStream out = s.getOutputStream();
            while (running) {
                if (!(in.next() instanceof SipReader.Message m)) {
                    return; // the end, or bytes that lost the stream's framing
                }
                received(m.message(), s.getInetAddress());
                byte[] reply = SipAnswer.to(m.message(), m.raw(), "TCP");
                if (reply != null) {
                    out.write(reply);
                    out.flush();
                }
            }
        } catch (IOException | RuntimeException e) {
            // the peer left or went silent (or a bug of ours): the connection ends, the UAS goes on
        } finally {
            connections.decrementAndGet();
            synchronized (open) {
                open.remove(s);
            }
        }
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
