package dev.vantage.agent.probe;

import org.xbill.DNS.ARecord;
import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SRVRecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;

/**
 * A small authoritative-looking DNS server on 127.0.0.1 (UDP and TCP, same port) whose behaviour
 * is chosen by the first label of the question:
 * {@code ok} A 10.0.0.5, {@code alias} CNAME to ok + A, {@code nx} NXDOMAIN, {@code fail}
 * SERVFAIL, {@code refused} REFUSED, {@code nodata} empty NOERROR, {@code silent} no answer,
 * {@code big} TC over UDP then two A records over TCP, {@code tcpdead} TC over UDP and TCP closed at
 * once, {@code garbage} random bytes with the right id, {@code spoofed} a wrong-id answer first then
 * the right one, {@code _sip} an SRV record.
 */
public final class TestDnsServer implements AutoCloseable {
    private final DatagramSocket udp;
    private final ServerSocket tcp;
    private volatile boolean running = true;

    public TestDnsServer() throws IOException {
        DatagramSocket u = null;
        ServerSocket t = null;
        for (int i = 0; i < 20 && t == null; i++) {
            u = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            try {
                t = new ServerSocket(u.getLocalPort(), 10, InetAddress.getLoopbackAddress());
            } catch (IOException busy) {
                u.close();
            }
        }
        if (t == null) {
            throw new IOException("no port free for both UDP and TCP");
        }
        udp = u;
        tcp = t;
        daemon("test-dns-udp", this::serveUdp);
        daemon("test-dns-tcp", this::serveTcp);
    }

    public static void daemon(String name, Runnable body) {
        Thread t = new Thread(body, name);
        t.setDaemon(true);
        t.start();
    }

    public String address() {
        return "127.0.0.1:" + udp.getLocalPort();
    }

    private void serveUdp() {
        byte[] buf = new byte[4096];
        while (running) {
            DatagramPacket p = new DatagramPacket(buf, buf.length);
            try {
                udp.receive(p);
                Message q = new Message(java.util.Arrays.copyOf(buf, p.getLength()));
                String label = q.getQuestion().getName().getLabelString(0);
                switch (label) {
                    case "silent" -> {
                    }
                    case "big", "tcpdead" -> {
                        Message r = reply(q, Rcode.NOERROR);
                        r.getHeader().setFlag(Flags.TC);
                        send(r.toWire(), p);
                    }
                    case "garbage" -> {
                        byte[] junk = "\0\0this is not a DNS message at all, just junk".getBytes();
                        junk[0] = buf[0];
                        junk[1] = buf[1];
                        send(junk, p);
                    }
                    case "spoofed" -> {
                        Message fake = answer(q);
                        fake.getHeader().setID((q.getHeader().getID() + 1) & 0xffff);
                        fake.removeAllRecords(Section.ANSWER);
                        fake.addRecord(new ARecord(q.getQuestion().getName(), DClass.IN, 60,
                                InetAddress.getByName("192.0.2.66")), Section.ANSWER);
                        send(fake.toWire(), p);
                        send(answer(q).toWire(), p);
                    }
                    default -> send(answer(q).toWire(), p);
                }
            } catch (SocketException closed) {
                return;
            } catch (IOException | RuntimeException e) {
                // a test server: a query it cannot read is dropped
            }
        }
    }

    private void send(byte[] data, DatagramPacket to) throws IOException {
        udp.send(new DatagramPacket(data, data.length, to.getSocketAddress()));
    }

    private void serveTcp() {
        while (running) {
            try (Socket s = tcp.accept()) {
                s.setSoTimeout(2000);
                DataInputStream in = new DataInputStream(s.getInputStream());
                byte[] q = new byte[in.readUnsignedShort()];
                in.readFully(q);
                Message query = new Message(q);
                if (query.getQuestion().getName().getLabelString(0).equals("tcpdead")) {
                    continue;
                }
                byte[] r = answer(query).toWire();
                OutputStream out = s.getOutputStream();
                out.write(new byte[] {(byte) (r.length >>> 8), (byte) r.length});
                out.write(r);
                out.flush();
            } catch (SocketException closed) {
                if (!running) {
                    return;
                }
            } catch (IOException | RuntimeException e) {
                // dropped
            }
        }
    }

    private static Message reply(Message q, int rcode) {
        Message r = new Message(q.getHeader().getID());
        r.getHeader().setFlag(Flags.QR);
        r.getHeader().setFlag(Flags.AA);
        r.getHeader().setRcode(rcode);
        r.addRecord(q.getQuestion(), Section.QUESTION);
        return r;
    }

    private static Message answer(Message q) throws IOException {
        Name name = q.getQuestion().getName();
        String label = name.getLabelString(0);
        return switch (label) {
            case "nx" -> reply(q, Rcode.NXDOMAIN);
            case "fail" -> reply(q, Rcode.SERVFAIL);
            case "refused" -> reply(q, Rcode.REFUSED);
            case "nodata" -> reply(q, Rcode.NOERROR);
            case "_sip" -> {
                Message r = reply(q, Rcode.NOERROR);
                r.addRecord(new SRVRecord(name, DClass.IN, 120, 10, 5, 5060, Name.fromString("sbc.test.")),
                        Section.ANSWER);
                yield r;
            }
            case "alias" -> {
                Message r = reply(q, Rcode.NOERROR);
                Name target = Name.fromString("ok.test.");
                r.addRecord(new CNAMERecord(name, DClass.IN, 600, target), Section.ANSWER);
                if (q.getQuestion().getType() == Type.A) {
                    r.addRecord(new ARecord(target, DClass.IN, 300, InetAddress.getByName("10.0.0.5")),
                            Section.ANSWER);
                }
                yield r;
            }
            case "big" -> {
                Message r = reply(q, Rcode.NOERROR);
                r.addRecord(new ARecord(name, DClass.IN, 300, InetAddress.getByName("10.0.0.5")), Section.ANSWER);
                r.addRecord(new ARecord(name, DClass.IN, 300, InetAddress.getByName("10.0.0.6")), Section.ANSWER);
                yield r;
            }
            default -> {
                Message r = reply(q, Rcode.NOERROR);
                if (q.getQuestion().getType() == Type.A) {
                    Record a = new ARecord(name, DClass.IN, 300, InetAddress.getByName("10.0.0.5"));
                    r.addRecord(a, Section.ANSWER);
                }
                yield r;
            }
        };
    }

    @Override
    public void close() throws IOException {
        running = false;
        udp.close();
        tcp.close();
    }
}
