package dev.vantage.agent.probe;

import dev.vantage.params.MalformedParamException;
import dev.vantage.params.SipParams;
import dev.vantage.wire.Outcome;
import dev.vantage.wire.ProbeKind;
import dev.vantage.wire.ProbeResult;
import dev.vantage.wire.ProbeTask;
import dev.vantage.wire.SipEvidence;
import jakarta.enterprise.context.ApplicationScoped;

import javax.net.ssl.SSLSocket;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
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
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * SIP: sends one OPTIONS (with a small SDP body, so that a SIP ALG has something to rewrite) over
 * UDP, TCP or TLS and waits for the response that matches it by Via branch, Call-ID and From tag.
 * Any matched response, whatever its status, proves the path and a SIP stack.
 *
 * <p>When the far side is a Vantage responder ({@code SipUas}), the response body is the request as
 * it arrived; the probe compares it with what it sent and reports the changed Via, Contact, From,
 * To, Call-ID, CSeq and SDP lines: {@code rewritten=true} means something on the path rewrote SIP.
 *
 * <p>Parameters ({@link SipParams}): {@code transport} ({@code udp}, {@code tcp}, {@code tls}; default
 * udp), {@code sni} (over TLS the name to send; default the target when it is a name), {@code sdp=false} to
 * send no body, {@code attempts} (UDP sends, default 2). Default port 5060, 5061 for TLS.
 *
 * <p>Outcome: {@code RESPONDED} for a matched final response (or a matched provisional one when no
 * final response followed); {@code UNEXPECTED} when only unmatched or
 * malformed replies came; UDP silence {@code OPEN_OR_FILTERED}, ICMP port unreachable
 * {@code CLOSED}; over TCP/TLS the port outcomes for a failed connect and {@code TIMEOUT} for a
 * connection on which no reply came.
 */
@ApplicationScoped
public class SipProbe implements Probe {
    private static final int MAX_MESSAGE = 16 * 1024;
    private static final int MAX_MALFORMED = 5;
    private static final List<String> DIFF_FIELDS = List.of("via", "contact", "from", "to", "call-id", "cseq");

    @Override
    public ProbeKind kind() {
        return ProbeKind.SIP;
    }

    @Override
    public ProbeResult run(ProbeTask task, ProbeContext context) {
        Instant started = context.clock().instant();
        ProbeContext.ResultBuilder result = context.result(task, started);
        String host;
        String transport;
        Duration timeout;
        int attempts;
        SipParams params;
        try {
            params = SipParams.read(task);
            host = TaskInput.target(task);
            transport = params.transportOrDefault().wireName();
            timeout = params.timeout();
            attempts = params.attemptsOrDefault();
        } catch (MalformedTaskException | MalformedParamException e) {
            return result.outcome(Outcome.ERROR).summary(e.getMessage()).build();
        }
        result.protocol("sip/" + transport);
        int port = params.portFor(task.ports());
        boolean sdp = params.sdpOrDefault();
        Exchange ex = new Exchange(host, port, transport, sdp, params.serverName(host));
        return transport.equals("udp") ? ex.overUdp(result, timeout, attempts) : ex.overStream(result, timeout);
    }

    /** One OPTIONS transaction and what came back. */
    private static final class Exchange {
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

        Exchange(String host, int port, String transport, boolean sdp, String serverName) {
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

        ProbeResult overUdp(ProbeContext.ResultBuilder result, Duration timeout, int attempts) {
            long t0 = System.nanoTime();
            InetAddress address;
            try {
                address = InetAddress.getByName(host);
            } catch (UnknownHostException e) {
                return result.outcome(Outcome.ERROR).summary("SIP OPTIONS: cannot resolve '" + host + "'")
                        .evidence(evidence(null, null, "cannot resolve '" + host + "'")).build();
            }
            result.timing("resolve", System.nanoTime() - t0);
            InetSocketAddress remote = new InetSocketAddress(address, port);
            result.destination(Endpoints.text(remote)).addressFamily(Endpoints.family(remote));
            try (DatagramSocket socket = new DatagramSocket()) {
                socket.connect(remote);
                InetSocketAddress local = new InetSocketAddress(socket.getLocalAddress(), socket.getLocalPort());
                result.source(Endpoints.text(local));
                byte[] request = request(local);
                byte[] buffer = new byte[MAX_MESSAGE];
                sentAt = System.nanoTime();
                for (int attempt = 0; attempt < attempts; attempt++) {
                    socket.send(new DatagramPacket(request, request.length));
                    SipMessage reply = UdpExchange.receive(socket, buffer, timeout, length -> match(buffer, length));
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

        ProbeResult overStream(ProbeContext.ResultBuilder result, Duration timeout) {
            TcpConnect.Attempt tcp = TcpConnect.open(host, port, timeout);
            tcp.timings(result);
            if (!tcp.connected()) {
                return result.outcome(tcp.failure()).summary("SIP OPTIONS: " + tcp.describe(host, port))
                        .evidence(evidence(null, null, tcp.error())).build();
            }
            Socket socket = tcp.socket();
            try {
                InetSocketAddress local = new InetSocketAddress(socket.getLocalAddress(), socket.getLocalPort());
                if (transport.equals("tls")) {
                    long h0 = System.nanoTime();
                    SSLSocket ssl = TlsProbe.wrap(socket, serverName != null ? serverName : host, port,
                            new TlsProbe.Capture());
                    socket = ssl;
                    try {
                        ssl.startHandshake();
                    } catch (IOException e) {
                        result.timing("handshake", System.nanoTime() - h0);
                        String error = "TLS handshake failed: " + TcpConnect.message(e);
                        return result.outcome(Outcome.UNEXPECTED).summary("SIP OPTIONS to " + where() + ": " + error)
                                .evidence(evidence(null, null, error)).build();
                    }
                    result.timing("handshake", System.nanoTime() - h0);
                }
                byte[] request = request(local);
                sentAt = System.nanoTime();
                socket.getOutputStream().write(request);
                socket.getOutputStream().flush();
                InputStream in = DeadlineInput.of(socket, timeout);
                long deadline = sentAt + timeout.toNanos();
                while (System.nanoTime() < deadline) {
                    byte[] message = readStreamMessage(in);
                    if (message == null) {
                        result.timing("request", System.nanoTime() - sentAt);
                        return silence(result, malformed.isEmpty() && unmatched == 0 ? Outcome.TIMEOUT
                                : Outcome.UNEXPECTED, "connection closed without a matching SIP response");
                    }
                    SipMessage reply = match(message, message.length);
                    if (reply != null) {
                        return responded(result, reply, System.nanoTime() - sentAt);
                    }
                }
                result.timing("request", System.nanoTime() - sentAt);
                return silence(result, Outcome.TIMEOUT, "no SIP response within " + timeout.toMillis() + " ms");
            } catch (SocketTimeoutException e) {
                return silence(result, Outcome.TIMEOUT, "no SIP response within " + timeout.toMillis() + " ms");
            } catch (IOException e) {
                return silence(result, Outcome.UNEXPECTED, TcpConnect.message(e));
            } finally {
                TcpConnect.closeQuietly(socket);
            }
        }

        /**
         * One message from a stream, bounded: head to the blank line, then Content-Length bytes. Bytes
         * that are not a SIP head are kept as malformed and end the read.
         */
        private byte[] readStreamMessage(InputStream in) throws IOException {
            ByteArrayOutputStream head = new ByteArrayOutputStream();
            int newlines = 0;
            while (true) {
                int b = in.read();
                if (b < 0) {
                    if (head.size() > 0) {
                        noteMalformed(head.toByteArray(), head.size());
                    }
                    return null;
                }
                if (head.size() == 0 && (b == '\r' || b == '\n')) {
                    continue;
                }
                head.write(b);
                if (head.size() >= MAX_MESSAGE) {
                    noteMalformed(head.toByteArray(), head.size());
                    return null;
                }
                if (b == '\n') {
                    if (++newlines == 2) {
                        break;
                    }
                } else if (b != '\r') {
                    newlines = 0;
                }
            }
            SipMessage parsed = SipMessage.parse(head.toByteArray(), head.size());
            int length = 0;
            if (parsed != null && parsed.header("content-length") != null) {
                try {
                    length = Integer.parseInt(parsed.header("content-length").strip());
                } catch (NumberFormatException e) {
                    length = -1;
                }
            }
            if (length < 0 || head.size() + length > MAX_MESSAGE) {
                noteMalformed(head.toByteArray(), head.size());
                return null;
            }
            head.write(in.readNBytes(length));
            return head.toByteArray();
        }

        /** The reply when it is the response to our request; otherwise counts or notes it. */
        private SipMessage match(byte[] data, int length) {
            SipMessage m = SipMessage.parse(data, length);
            if (m == null || !m.isResponse() || m.status() < 100 || m.status() > 699) {
                noteMalformed(data, length);
                return null;
            }
            String via = m.header("via");
            String from = m.header("from");
            if (!branch.equals(SipMessage.param(via, "branch")) || !callId.equals(m.header("call-id"))
                    || !tag.equals(SipMessage.param(from, "tag"))) {
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
                byte[] echo = reply.body().getBytes(StandardCharsets.ISO_8859_1);
                SipMessage received = SipMessage.parse(echo, echo.length);
                byte[] mine = sent.getBytes(StandardCharsets.ISO_8859_1);
                diff = received == null ? List.of(new SipEvidence.Change("request", sent.split("\r\n")[0],
                        Printable.of(echo, 0, echo.length, 120))) : diff(SipMessage.parse(mine, mine.length), received);
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

        /** Header fields and SDP lines that differ between what we sent and what the far side received. */
        static List<SipEvidence.Change> diff(SipMessage sent, SipMessage received) {
            List<SipEvidence.Change> out = new ArrayList<>();
            Map<String, List<String>> a = sent.fields(DIFF_FIELDS);
            Map<String, List<String>> b = received.fields(DIFF_FIELDS);
            for (String field : DIFF_FIELDS) {
                compare(canonical(field), a.get(field), b.get(field), out);
            }
            compare("sdp", lines(sent.body()), lines(received.body()), out);
            return out;
        }

        private static void compare(String field, List<String> sent, List<String> received,
                                    List<SipEvidence.Change> out) {
            int n = Math.max(sent.size(), received.size());
            for (int i = 0; i < n; i++) {
                String s = i < sent.size() ? sent.get(i) : null;
                String r = i < received.size() ? received.get(i) : null;
                if (s == null || !s.equals(r)) {
                    out.add(new SipEvidence.Change(field, s, r));
                }
            }
        }

        private static List<String> lines(String body) {
            List<String> out = new ArrayList<>();
            for (String l : body.split("\r?\n")) {
                if (!l.isBlank()) {
                    out.add(l);
                }
            }
            return out;
        }

        private static String canonical(String field) {
            return switch (field) {
                case "call-id" -> "Call-ID";
                case "cseq" -> "CSeq";
                default -> Character.toUpperCase(field.charAt(0)) + field.substring(1);
            };
        }
    }
}
