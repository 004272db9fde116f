package dev.vantage.agent.probe;

import dev.vantage.agent.sip.SipHeaders;
import dev.vantage.agent.sip.SipMessage;
import dev.vantage.agent.sip.SipReader;
import dev.vantage.wire.Outcome;
import dev.vantage.wire.ProbeResult;
import dev.vantage.wire.SipEvidence;

import javax.net.ssl.SSLSocket;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.PortUnreachableException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;

/**
 * One SIP OPTIONS transaction of the {@link SipProbe} over UDP, TCP or TLS: builds the request,
 * reads replies with the shared {@link SipReader}, keeps the one that matches by Via branch,
 * Call-ID and From tag, and counts or keeps the others as evidence.
 */
final class SipExchange {
    private static final int MAX_MESSAGE = 16 * 1024;
    private static final int MAX_MALFORMED = 5;

    private final String host;
    private final int port;
    private final String transport;
    private final boolean sdp;
    /** Over TLS, the name sent in the handshake; null sends none (an address without {@code sni}). */
    private final String serverName;
    private final String branch = "z9hG4bK-vantage-" + random();
    private final String tag = random();
    private final String callId = random() + "@vantage";
    private final String requestUri;
    private final List<String> malformed = new ArrayList<>();
    private int unmatched;
    private String sent;
    private long sentAt;
    private SipMessage provisional;
    private long provisionalRtt;

    SipExchange(String host, int port, String transport, boolean sdp, String serverName) {
        this.host = host;
        this.port = port;
        this.transport = transport;
        this.sdp = sdp;
        this.serverName = serverName;
        String h = host.indexOf(':') >= 0 ? "[" + host + "]" : host;
        this.requestUri = (transport.equals("tls") ? "sips:" : "sip:") + h + ":" + port;
    }

    private static String random() {
        byte[] b = new byte[6];
        ThreadLocalRandom.current().nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    private String where() {
        return host + ":" + port + " over " + transport;
    }

    byte[] request(InetSocketAddress local) {
        String ip = local.getAddress().getHostAddress();
        String hostPort = Endpoints.text(local);
        String body = !sdp ? "" : "v=0\r\n"
                + "o=vantage 1 1 IN " + (ip.indexOf(':') >= 0 ? "IP6 " : "IP4 ") + ip + "\r\n"
                + "s=vantage\r\n"
                + "c=IN " + (ip.indexOf(':') >= 0 ? "IP6 " : "IP4 ") + ip + "\r\n"
                + "t=0 0\r\n"
                + "m=audio 30000 RTP/AVP 0 8\r\n";
        sent = "OPTIONS " + requestUri + " SIP/2.0\r\n"
                + "Via: SIP/2.0/" + transport.toUpperCase(Locale.ROOT) + " " + hostPort + ";branch=" + branch
                + ";rport\r\n"
                + "Max-Forwards: 70\r\n"
                + "From: <sip:vantage@" + hostPort + ">;tag=" + tag + "\r\n"
                + "To: <" + requestUri + ">\r\n"
                + "Call-ID: " + callId + "\r\n"
                + "CSeq: 1 OPTIONS\r\n"
                + "Contact: <sip:vantage@" + hostPort + ";transport=" + transport + ">\r\n"
                + "Accept: application/sdp, message/sip\r\n"
                + "User-Agent: vantage-agent\r\n"
                + (sdp ? "Content-Type: application/sdp\r\n" : "")
                + "Content-Length: " + body.length() + "\r\n\r\n" + body;
        return sent.getBytes(StandardCharsets.ISO_8859_1);
    }

    ProbeResult overUdp(ProbeContext.ResultBuilder result, Duration timeout, int attempts, Deadline deadline) {
        long t0 = System.nanoTime();
        InetAddress address;
        try {
            address = NameLookup.address(host, deadline, timeout);
        } catch (UnknownHostException e) {
            String error = "cannot resolve '" + host + "' (" + e.getMessage() + ")";
            return result.outcome(Outcome.ERROR).summary("SIP OPTIONS: " + error)
                    .evidence(evidence(null, null, error)).build();
        }
        result.timing("resolve", System.nanoTime() - t0);
        InetSocketAddress remote = new InetSocketAddress(address, port);
        result.destination(Endpoints.text(remote)).addressFamily(Endpoints.family(remote));
        try (DatagramSocket socket = deadline.hold(new DatagramSocket())) {
            socket.connect(remote);
            InetSocketAddress local = new InetSocketAddress(socket.getLocalAddress(), socket.getLocalPort());
            result.source(Endpoints.text(local));
            byte[] request = request(local);
            byte[] buffer = new byte[MAX_MESSAGE];
            sentAt = System.nanoTime();
            deadline.phase("request");
            for (int attempt = 0; attempt < attempts && !deadline.passed(); attempt++) {
                socket.send(new DatagramPacket(request, request.length));
                SipMessage reply = UdpExchange.receive(socket, buffer, deadline.cap(timeout),
                        length -> match(SipReader.datagram(buffer, length)));
                if (reply != null) {
                    return responded(result, reply, System.nanoTime() - sentAt);
                }
            }
            result.timing("request", System.nanoTime() - sentAt);
        } catch (PortUnreachableException e) {
            return result.outcome(Outcome.CLOSED)
                    .summary("SIP OPTIONS to " + where() + ": ICMP port unreachable (closed)")
                    .evidence(evidence(null, null, "ICMP port unreachable")).build();
        } catch (IOException e) {
            Outcome o = SocketFailure.of(e, true).outcome();
            return result.outcome(o).summary("SIP OPTIONS to " + where() + ": " + TcpConnect.message(e))
                    .evidence(evidence(null, null, TcpConnect.message(e))).build();
        }
        return silence(result, Outcome.OPEN_OR_FILTERED, "no SIP response within " + timeout.toMillis()
                + " ms x " + attempts);
    }

    ProbeResult overStream(ProbeContext.ResultBuilder result, Duration timeout, Deadline deadline) {
        TcpConnect.Attempt tcp = TcpConnect.open(host, port, timeout, deadline);
        tcp.timings(result);
        if (!tcp.connected()) {
            return result.outcome(tcp.failure()).summary("SIP OPTIONS: " + tcp.describe(host, port))
                    .evidence(evidence(null, null, tcp.error())).build();
        }
        Socket plain = tcp.socket();
        Socket socket = plain;
        boolean tls = transport.equals("tls");
        try {
            InetSocketAddress local = new InetSocketAddress(socket.getLocalAddress(), socket.getLocalPort());
            if (tls) {
                long h0 = System.nanoTime();
                deadline.phase("handshake");
                SSLSocket ssl = TlsProbe.wrap(plain, serverName != null ? serverName : host, port, new TlsProbe.Capture());
                socket = ssl;
                try (Deadline.Guard guard = deadline.guard(plain, timeout)) {
                    try {
                        ssl.startHandshake();
                    } catch (IOException e) {
                        result.timing("handshake", System.nanoTime() - h0);
                        String error = "TLS " + (guard.fired() ? TlsProbe.handshakeCut(guard)
                                : "handshake failed: " + TcpConnect.message(e));
                        return result.outcome(Outcome.UNEXPECTED).summary("SIP OPTIONS to " + where() + ": " + error)
                                .evidence(evidence(null, null, error)).build();
                    }
                }
                result.timing("handshake", System.nanoTime() - h0);
            }
            deadline.phase("request");
            Duration wait = deadline.cap(timeout);
            String silent = "no SIP response within " + wait.toMillis() + " ms";
            // over TLS a record trickled byte by byte satisfies every read: the guard bounds the answer
            Deadline.Guard guard = tls ? deadline.guard(plain, wait) : null;
            try (guard) {
                byte[] request = request(local);
                sentAt = System.nanoTime();
                socket.getOutputStream().write(request);
                socket.getOutputStream().flush();
                SipReader in = new SipReader(DeadlineInput.of(socket, wait), MAX_MESSAGE);
                long end = sentAt + wait.toNanos();
                while (System.nanoTime() < end) {
                    SipReader.Result read = in.next();
                    SipMessage reply = match(read);
                    if (reply != null) {
                        return responded(result, reply, System.nanoTime() - sentAt);
                    }
                    if (!(read instanceof SipReader.Message)) {
                        // the end, or bytes after which the stream's framing is lost
                        result.timing("request", System.nanoTime() - sentAt);
                        return silence(result, malformed.isEmpty() && unmatched == 0 ? Outcome.TIMEOUT
                                : Outcome.UNEXPECTED, "connection closed without a matching SIP response");
                    }
                }
                result.timing("request", System.nanoTime() - sentAt);
                return silence(result, Outcome.TIMEOUT, silent);
            } catch (IOException e) {
                if (e instanceof SocketTimeoutException || guard != null && guard.fired()) {
                    return silence(result, Outcome.TIMEOUT, silent);
                }
                return silence(result, Outcome.UNEXPECTED, TcpConnect.message(e));
            }
        } catch (IOException e) {
            return silence(result, Outcome.UNEXPECTED, TcpConnect.message(e));
        } finally {
            TcpConnect.closeQuietly(socket);
        }
    }

    /** The reply when it is the response to our request; otherwise counts or notes it. */
    private SipMessage match(SipReader.Result read) {
        if (read instanceof SipReader.Malformed bad) {
            noteMalformed(bad.raw(), bad.raw().length);
            return null;
        }
        if (!(read instanceof SipReader.Message message)) {
            return null;
        }
        SipMessage m = message.message();
        if (!m.isResponse() || m.status() < 100 || m.status() > 699) {
            noteMalformed(message.raw(), message.raw().length);
            return null;
        }
        String via = m.header("via");
        String from = m.header("from");
        if (!branch.equals(SipHeaders.param(via, "branch")) || !callId.equals(m.header("call-id"))
                || !tag.equals(SipHeaders.param(from, "tag"))) {
            unmatched++;
            return null;
        }
        if (m.status() < 200) {
            // provisional: wait for the final response, but it already proves a SIP stack
            if (provisional == null) {
                provisional = m;
                provisionalRtt = System.nanoTime() - sentAt;
            }
            return null;
        }
        return m;
    }

    private void noteMalformed(byte[] data, int length) {
        if (malformed.size() < MAX_MALFORMED) {
            malformed.add(Printable.of(data, 0, length, 120));
        }
    }

    private ProbeResult responded(ProbeContext.ResultBuilder result, SipMessage reply, long rttNanos) {
        result.timing("request", rttNanos);
        boolean echoed = reply.header("content-type") != null
                && reply.header("content-type").toLowerCase(Locale.ROOT).startsWith("message/sip")
                && !reply.body().isEmpty();
        List<SipEvidence.Change> diff = List.of();
        if (echoed) {
            byte[] echo = reply.bodyBytes();
            byte[] mine = sent.getBytes(StandardCharsets.ISO_8859_1);
            if (SipReader.datagram(echo, echo.length) instanceof SipReader.Message received
                    && SipReader.datagram(mine, mine.length) instanceof SipReader.Message own) {
                diff = SipAlgDiff.between(own.message(), received.message());
            } else {
                diff = List.of(new SipEvidence.Change("request", sent.split("\r\n")[0],
                        Printable.of(echo, 0, echo.length, 120)));
            }
        }
        String server = reply.header("server");
        String userAgent = reply.header("user-agent");
        String who = server != null ? server : userAgent != null ? userAgent : "no Server header";
        String summary = "SIP OPTIONS to " + where() + ": " + reply.status() + " " + reply.reason() + " from "
                + who + " in " + rttNanos / 1000 + " us";
        if (!diff.isEmpty()) {
            SipEvidence.Change first = diff.get(0);
            summary += "; the path rewrote the request (SIP ALG?): " + first.field() + " '" + first.sent()
                    + "' became '" + first.received() + "'" + (diff.size() > 1 ? " and " + (diff.size() - 1)
                    + " more" : "");
        } else if (echoed) {
            summary += "; the request arrived unchanged";
        }
        return result.outcome(Outcome.RESPONDED).summary(summary)
                .evidence(new SipEvidence(transport, requestUri, callId, branch, tag, reply.status(),
                        reply.reason(), server, userAgent, rttNanos / 1000, echoed, !diff.isEmpty(), diff,
                        unmatched, malformed, null))
                .build();
    }

    private ProbeResult silence(ProbeContext.ResultBuilder result, Outcome outcome, String why) {
        if (provisional != null) {
            return responded(result, provisional, provisionalRtt);
        }
        Outcome o = outcome;
        String detail = why;
        if (o != Outcome.UNEXPECTED && (!malformed.isEmpty() || unmatched > 0)) {
            o = Outcome.UNEXPECTED;
            detail = why + "; " + unmatched + " unmatched and " + malformed.size() + " malformed replies"
                    + (malformed.isEmpty() ? "" : ", first: " + malformed.get(0));
        }
        return result.outcome(o).summary("SIP OPTIONS to " + where() + ": " + detail)
                .evidence(evidence(null, null, why)).build();
    }

    private SipEvidence evidence(Integer status, String reason, String error) {
        return new SipEvidence(transport, requestUri, callId, branch, tag, status, reason, null, null, null,
                false, false, List.of(), unmatched, malformed, error);
    }
}
