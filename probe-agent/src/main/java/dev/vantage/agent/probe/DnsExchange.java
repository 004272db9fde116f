package dev.vantage.agent.probe;

import dev.vantage.wire.Outcome;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * One question's exchange with one resolver, over UDP and, after a truncated answer, TCP. Done here
 * rather than by dnsjava's resolver so that every reply that is not accepted (wrong id,
 * unparseable, another question) is kept as evidence while the exchange goes on waiting for the
 * genuine answer, as a stub resolver should; dnsjava builds and parses the messages.
 */
final class DnsExchange {
    private static final int MAX_TCP_MESSAGE = 65535;
    private static final int MAX_ANOMALIES = 10;

    private final Name name;
    private final int type;
    final List<String> anomalies = new ArrayList<>();
    /** The socket error that ended the UDP exchange (port closed, no route, this host's firewall), or null. */
    SocketFailure failure;
    /** Its message, as the system gave it. */
    String failureMessage;

    DnsExchange(Name name, int type) {
        this.name = name;
        this.type = type;
    }

    private Message query() {
        return Message.newQuery(Record.newRecord(name, type, DClass.IN));
    }

    /**
     * Asks over UDP, {@code attempts} times at most, each answer waited for {@code timeout} within the
     * {@code deadline}. A resolver the socket cannot reach (no route, port unreachable, this host's firewall) ends
     * the exchange with {@link #failure} set.
     */
    Message overUdp(InetSocketAddress server, Duration timeout, int attempts, ProbeContext.ResultBuilder result,
                    Deadline deadline) {
        try (DatagramSocket socket = deadline.hold(new DatagramSocket())) {
            socket.connect(server);
            result.source(Endpoints.text(socket.getLocalSocketAddress()));
            byte[] buffer = new byte[65535];
            deadline.phase("request");
            for (int attempt = 0; attempt < attempts && !deadline.passed(); attempt++) {
                Message query = query();
                byte[] wire = query.toWire();
                socket.send(new DatagramPacket(wire, wire.length));
                Message accepted = UdpExchange.receive(socket, buffer, deadline.cap(timeout),
                        length -> accept(query, buffer, length, "udp"));
                if (accepted != null) {
                    return accepted;
                }
            }
        } catch (IOException e) {
            SocketFailure f = SocketFailure.of(e, true);
            if (f.outcome() == Outcome.OPEN_OR_FILTERED) {
                note("udp: " + TcpConnect.message(e));
            } else {
                failure = f;
                failureMessage = TcpConnect.message(e);
            }
        }
        return null;
    }

    /** Asks over TCP (after a truncated answer): connect and answer each within {@code timeout} and the deadline. */
    Message overTcp(InetSocketAddress server, Duration timeout, Deadline deadline) {
        Message query = query();
        byte[] wire = query.toWire();
        deadline.phase("tcp");
        try (Socket socket = deadline.hold(new Socket())) {
            socket.connect(server, deadline.capMillis(timeout));
            Duration answer = deadline.cap(timeout);
            socket.setSoTimeout((int) Math.max(1, answer.toMillis()));
            OutputStream out = socket.getOutputStream();
            byte[] framed = new byte[wire.length + 2];
            framed[0] = (byte) (wire.length >>> 8);
            framed[1] = (byte) wire.length;
            System.arraycopy(wire, 0, framed, 2, wire.length);
            out.write(framed);
            out.flush();
            DataInputStream in = new DataInputStream(DeadlineInput.of(socket, answer));
            int length = in.readUnsignedShort();
            if (length > MAX_TCP_MESSAGE) {
                note("tcp: reply length " + length + " exceeds the limit");
                return null;
            }
            byte[] reply = new byte[length];
            in.readFully(reply);
            return accept(query, reply, length, "tcp");
        } catch (IOException e) {
            note("tcp fallback to " + Endpoints.text(server) + " failed: " + TcpConnect.message(e));
            return null;
        }
    }

    /** The reply when it answers this query; otherwise notes why not and returns null. */
    private Message accept(Message query, byte[] bytes, int length, String via) {
        if (length < 12) {
            note(via + ": short reply of " + length + " bytes ignored: " + Printable.of(bytes, 0, length, 32));
            return null;
        }
        int id = ((bytes[0] & 0xff) << 8) | (bytes[1] & 0xff);
        int expectedId = query.getHeader().getID();
        if (id != expectedId) {
            note(via + ": reply with id " + id + " ignored, expected id " + expectedId);
            return null;
        }
        Message reply;
        try {
            reply = new Message(java.util.Arrays.copyOf(bytes, length));
        } catch (IOException | RuntimeException e) {
            note(via + ": unparseable reply ignored (" + e.getMessage() + "): " + Printable.of(bytes, 0, length, 48));
            return null;
        }
        if (!reply.getHeader().getFlag(Flags.QR)) {
            note(via + ": message without the response flag ignored");
            return null;
        }
        Record question = reply.getQuestion();
        if (question != null && (!question.getName().equals(name) || question.getType() != type)) {
            note(via + ": reply for another question ignored: " + question.getName() + " "
                    + Type.string(question.getType()));
            return null;
        }
        return reply;
    }

    private void note(String anomaly) {
        if (anomalies.size() < MAX_ANOMALIES) {
            anomalies.add(anomaly);
        }
    }
}
