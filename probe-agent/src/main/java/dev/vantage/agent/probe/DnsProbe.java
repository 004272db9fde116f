package dev.vantage.agent.probe;

import dev.vantage.params.DnsParams;
import dev.vantage.params.MalformedParamException;
import dev.vantage.wire.DnsEvidence;
import dev.vantage.wire.Outcome;
import dev.vantage.wire.ProbeKind;
import dev.vantage.wire.ProbeResult;
import dev.vantage.wire.ProbeTask;
import jakarta.enterprise.context.ApplicationScoped;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.Address;
import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SRVRecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.PortUnreachableException;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * DNS: asks one resolver one question over UDP (TCP after a truncated answer) and compares the
 * answer with what the task expects.
 *
 * <p>Parameters: {@code record} (A, AAAA, CNAME, SRV; default A), {@code server} ({@code host[:port]};
 * default the first nameserver of {@code /etc/resolv.conf}), {@code expect} (comma-separated
 * values), {@code attempts} (UDP sends, default 2).
 *
 * <p>The wire exchange is done here rather than by dnsjava's resolver so that every reply that is
 * not accepted (wrong id, unparseable, another question) is kept as evidence while the probe goes
 * on waiting for the genuine answer, as a stub resolver should. dnsjava builds and parses messages.
 * A probe that only got such replies reports {@code UNEXPECTED}; one that got nothing
 * {@code TIMEOUT}.
 */
@ApplicationScoped
public class DnsProbe implements Probe {
    private static final int MAX_TCP_MESSAGE = 65535;
    private static final int MAX_ANOMALIES = 10;

    private final Path resolvConf;

    public DnsProbe() {
        this(Path.of("/etc/resolv.conf"));
    }

    DnsProbe(Path resolvConf) {
        this.resolvConf = resolvConf;
    }

    @Override
    public ProbeKind kind() {
        return ProbeKind.DNS;
    }

    @Override
    public ProbeResult run(ProbeTask task, ProbeContext context) {
        Instant started = context.clock().instant();
        ProbeContext.ResultBuilder result = context.result(task, started).protocol("udp");
        DnsParams params;
        String typeName;
        int attempts;
        Duration timeout;
        Name name;
        try {
            params = DnsParams.read(task);
            String target = TaskInput.target(task);
            typeName = params.recordOrDefault().wireName();
            attempts = params.attemptsOrDefault();
            timeout = params.timeout();
            try {
                name = Name.fromString(target, Name.root);
            } catch (TextParseException e) {
                throw new MalformedTaskException("task " + task.taskId() + " has target '" + target
                        + "', not a domain name: " + e.getMessage());
            }
        } catch (MalformedTaskException | MalformedParamException e) {
            return result.outcome(Outcome.ERROR).summary(e.getMessage()).build();
        }
        int type = Type.value(typeName);
        String source = params.server() != null ? "task" : "resolv.conf";
        InetSocketAddress server;
        try {
            server = resolver(params.server());
        } catch (IllegalArgumentException | IOException e) {
            return result.outcome(Outcome.ERROR).summary("dns: " + e.getMessage()).build();
        }
        List<String> expected = expected(String.join(",", params.expect()), type);
        String resolverText = Endpoints.text(server);
        result.destination(resolverText).addressFamily(Endpoints.family(server));

        Exchange ex = new Exchange(name, type);
        long t0 = System.nanoTime();
        Message answer = ex.overUdp(server, timeout, attempts, result);
        result.timing("request", System.nanoTime() - t0);
        boolean truncated = false;
        boolean tcpFallback = false;
        boolean answeredOverTcp = false;
        if (answer != null && answer.getHeader().getFlag(Flags.TC)) {
            truncated = true;
            tcpFallback = true;
            long t1 = System.nanoTime();
            Message overTcp = ex.overTcp(server, timeout);
            result.timing("tcp", System.nanoTime() - t1);
            if (overTcp != null) {
                answer = overTcp;
                answeredOverTcp = true;
                result.protocol("tcp");
            }
        }

        String what = typeName + " " + name + " at " + resolverText;
        if (answer == null) {
            Outcome outcome = ex.portClosed ? Outcome.CLOSED : ex.anomalies.isEmpty() ? Outcome.TIMEOUT : Outcome.UNEXPECTED;
            String why = switch (outcome) {
                case CLOSED -> "resolver port closed (ICMP port unreachable)";
                case TIMEOUT -> "no answer within " + timeout.toMillis() + " ms x " + attempts;
                default -> "only unacceptable replies: " + ex.anomalies.get(0);
            };
            return result.outcome(outcome).summary(what + ": " + why)
                    .evidence(new DnsEvidence(name.toString(), typeName, resolverText, source, null, false, false,
                            List.of(), List.of(), expected, List.of(), List.of(), ex.anomalies))
                    .build();
        }

        int rcode = answer.getRcode();
        List<DnsEvidence.Answer> records = new ArrayList<>();
        List<String> observed = new ArrayList<>();
        for (Record r : answer.getSection(Section.ANSWER)) {
            records.add(new DnsEvidence.Answer(r.getName().toString(), Type.string(r.getType()), r.getTTL(),
                    r.rdataToString()));
            if (r.getType() == type) {
                observed.add(value(r));
            }
        }
        List<String> missing = new ArrayList<>();
        List<String> unexpected = new ArrayList<>();
        Outcome outcome;
        String detail;
        if (truncated && !answeredOverTcp && observed.isEmpty()) {
            // an empty truncated answer says nothing about the name: the answer was lost with TCP
            outcome = Outcome.UNEXPECTED;
            detail = Rcode.string(rcode) + " with no usable records";
        } else if (rcode == Rcode.NOERROR && observed.isEmpty()) {
            outcome = Outcome.NODATA;
            detail = "no " + typeName + " record (NOERROR, empty answer)";
        } else if (rcode == Rcode.NOERROR) {
            if (!expected.isEmpty()) {
                Set<String> seen = new LinkedHashSet<>(observed);
                for (String e : expected) {
                    if (!seen.contains(e)) {
                        missing.add(e);
                    }
                }
                for (String o : seen) {
                    if (!expected.contains(o)) {
                        unexpected.add(o);
                    }
                }
            }
            if (missing.isEmpty() && unexpected.isEmpty()) {
                outcome = Outcome.RESOLVED;
                detail = String.join(", ", observed);
            } else {
                outcome = Outcome.MISMATCH;
                detail = "answered " + String.join(", ", observed) + ", expected " + String.join(", ", expected);
            }
        } else {
            outcome = switch (rcode) {
                case Rcode.NXDOMAIN -> Outcome.NXDOMAIN;
                case Rcode.SERVFAIL -> Outcome.SERVFAIL;
                case Rcode.REFUSED -> Outcome.REFUSED;
                default -> Outcome.UNEXPECTED;
            };
            detail = Rcode.string(rcode);
        }
        if (truncated) {
            detail += answeredOverTcp ? " (truncated over UDP, answered over TCP)"
                    : " (truncated over UDP, TCP fallback failed)";
        }
        return result.outcome(outcome).summary(what + ": " + detail)
                .evidence(new DnsEvidence(name.toString(), typeName, resolverText, source, Rcode.string(rcode),
                        truncated, tcpFallback, records, observed, expected, missing, unexpected, ex.anomalies))
                .build();
    }

    private InetSocketAddress resolver(String server) throws IOException {
        if (server != null && !server.isBlank()) {
            Endpoints.HostPort hp;
            try {
                hp = Endpoints.parse(server, 53);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("dns parameter server=" + server + ": " + e.getMessage(), e);
            }
            return new InetSocketAddress(InetAddress.getByName(hp.host()), hp.port());
        }
        if (Files.isReadable(resolvConf)) {
            for (String line : Files.readAllLines(resolvConf)) {
                String[] words = line.strip().split("\\s+");
                if (words.length >= 2 && words[0].equals("nameserver")) {
                    String ip = words[1];
                    int zone = ip.indexOf('%');
                    return new InetSocketAddress(InetAddress.getByName(zone < 0 ? ip : ip.substring(0, zone)), 53);
                }
            }
        }
        throw new IllegalArgumentException("no server given and no nameserver in " + resolvConf
                + "; pass one with server=host[:port]");
    }

    /** Normalises expected values so that they compare with {@link #value(Record)}. */
    private static List<String> expected(String text, int type) {
        List<String> out = new ArrayList<>();
        for (String part : text.split(",")) {
            String p = part.strip();
            if (p.isEmpty()) {
                continue;
            }
            if (type == Type.A || type == Type.AAAA) {
                try {
                    p = Address.getByAddress(p).getHostAddress();
                } catch (java.net.UnknownHostException e) {
                    // not an address literal: kept as written, so it shows up as missing
                }
            } else {
                p = p.toLowerCase(Locale.ROOT);
                if (p.endsWith(".")) {
                    p = p.substring(0, p.length() - 1);
                }
            }
            out.add(p);
        }
        return out;
    }

    private static String value(Record r) {
        if (r instanceof ARecord a) {
            return a.getAddress().getHostAddress();
        }
        if (r instanceof AAAARecord a) {
            return a.getAddress().getHostAddress();
        }
        if (r instanceof CNAMERecord c) {
            return trimDot(c.getTarget().toString().toLowerCase(Locale.ROOT));
        }
        if (r instanceof SRVRecord s) {
            return s.getPriority() + " " + s.getWeight() + " " + s.getPort() + " "
                    + trimDot(s.getTarget().toString().toLowerCase(Locale.ROOT));
        }
        return r.rdataToString();
    }

    private static String trimDot(String s) {
        return s.endsWith(".") ? s.substring(0, s.length() - 1) : s;
    }

    /** One question's exchange with one resolver; collects the replies it had to refuse. */
    private static final class Exchange {
        private final Name name;
        private final int type;
        final List<String> anomalies = new ArrayList<>();
        boolean portClosed;

        Exchange(Name name, int type) {
            this.name = name;
            this.type = type;
        }

        private Message query() {
            return Message.newQuery(Record.newRecord(name, type, DClass.IN));
        }

        Message overUdp(InetSocketAddress server, Duration timeout, int attempts, ProbeContext.ResultBuilder result) {
            try (DatagramSocket socket = new DatagramSocket()) {
                socket.connect(server);
                result.source(Endpoints.text(socket.getLocalSocketAddress()));
                byte[] buffer = new byte[65535];
                for (int attempt = 0; attempt < attempts; attempt++) {
                    Message query = query();
                    byte[] wire = query.toWire();
                    socket.send(new DatagramPacket(wire, wire.length));
                    Message accepted = UdpExchange.receive(socket, buffer, timeout,
                            length -> accept(query, buffer, length, "udp"));
                    if (accepted != null) {
                        return accepted;
                    }
                }
            } catch (PortUnreachableException e) {
                portClosed = true;
            } catch (IOException e) {
                note("udp: " + TcpConnect.message(e));
            }
            return null;
        }

        Message overTcp(InetSocketAddress server, Duration timeout) {
            Message query = query();
            byte[] wire = query.toWire();
            try (Socket socket = new Socket()) {
                int millis = (int) Math.max(1, timeout.toMillis());
                socket.connect(server, millis);
                socket.setSoTimeout(millis);
                OutputStream out = socket.getOutputStream();
                byte[] framed = new byte[wire.length + 2];
                framed[0] = (byte) (wire.length >>> 8);
                framed[1] = (byte) wire.length;
                System.arraycopy(wire, 0, framed, 2, wire.length);
                out.write(framed);
                out.flush();
                DataInputStream in = new DataInputStream(DeadlineInput.of(socket, timeout));
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
}
