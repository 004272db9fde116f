package dev.vantage.agent.probe;

import dev.vantage.agent.responder.EchoDatagram;
import dev.vantage.params.Payload;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.function.Predicate;

/**
 * What a UDP probe sends and what it accepts as the answer: a Vantage echo request (answered by a
 * responder), a SIP OPTIONS (5060, 15060) or a DNS query (53).
 */
enum UdpPayload {
    ECHO, SIP, DNS;

    /** The {@code payload} parameter when given; otherwise echo to a responder, or the port's protocol. */
    static UdpPayload choose(Payload given, boolean responder, int port) {
        if (given != null) {
            return switch (given) {
                case SIP -> SIP;
                case DNS -> DNS;
                case ECHO -> ECHO;
            };
        }
        if (port == 5060 || port == 15060) {
            return SIP;
        }
        if (port == 53 && !responder) {
            return DNS;
        }
        return ECHO;
    }

    /** Whether anything on a port may answer this payload: a responder an echo, any SIP stack or resolver the others. */
    boolean answerable(boolean responder) {
        return this != ECHO || responder;
    }

    byte[] request(String nonce, InetSocketAddress destination, InetSocketAddress local) {
        return switch (this) {
            case ECHO -> EchoDatagram.request(nonce);
            case SIP -> sipOptions(nonce, destination, local);
            case DNS -> dnsQuery(dnsId(nonce));
        };
    }

    Predicate<ByteBuffer> answerTo(String nonce) {
        return switch (this) {
            case ECHO -> bytes -> {
                EchoDatagram.Answer answer = EchoDatagram.parseAnswer(bytes);
                return answer != null && answer.nonce().equals(nonce);
            };
            case SIP -> bytes -> new String(bytes.array(), 0, Math.min(bytes.limit(), 12), StandardCharsets.ISO_8859_1)
                    .matches("SIP/2\\.0 [1-6]\\d\\d ");
            case DNS -> bytes -> bytes.limit() >= 12 && Short.toUnsignedInt(bytes.getShort(0)) == dnsId(nonce)
                    && (bytes.get(2) & 0x80) != 0;
        };
    }

    /** True when the answer carries our nonce back (echo, or a SIP reply that copies Call-ID). */
    boolean echoesNonce(byte[] reply, String nonce) {
        if (reply == null) {
            return false;
        }
        if (this == ECHO) {
            EchoDatagram.Answer answer = EchoDatagram.parseAnswer(ByteBuffer.wrap(reply));
            return answer != null && answer.nonce().equals(nonce);
        }
        return this == SIP && new String(reply, StandardCharsets.ISO_8859_1).contains(nonce);
    }

    private static byte[] sipOptions(String nonce, InetSocketAddress destination, InetSocketAddress local) {
        String to = Endpoints.text(destination);
        String from = Endpoints.text(local);
        String fromHost = from.substring(0, from.lastIndexOf(':'));
        String text = "OPTIONS sip:" + to + " SIP/2.0\r\n"
                + "Via: SIP/2.0/UDP " + from + ";branch=z9hG4bK" + nonce + ";rport\r\n"
                + "Max-Forwards: 70\r\n"
                + "From: <sip:vantage@" + fromHost + ">;tag=" + nonce + "\r\n"
                + "To: <sip:" + to + ">\r\n"
                + "Call-ID: " + nonce + "@vantage\r\n"
                + "CSeq: 1 OPTIONS\r\n"
                + "Contact: <sip:vantage@" + from + ">\r\n"
                + "Accept: application/sdp\r\n"
                + "User-Agent: vantage-agent\r\n"
                + "Content-Length: 0\r\n\r\n";
        return text.getBytes(StandardCharsets.US_ASCII);
    }

    private static int dnsId(String nonce) {
        return nonce.hashCode() & 0xFFFF;
    }

    /** A recursive query for the root's NS records: every DNS server answers it somehow. */
    private static byte[] dnsQuery(int id) {
        ByteBuffer out = ByteBuffer.allocate(17);
        out.putShort((short) id).putShort((short) 0x0100).putShort((short) 1).putShort((short) 0)
                .putShort((short) 0).putShort((short) 0)
                .put((byte) 0).putShort((short) 2).putShort((short) 1);
        return out.array();
    }
}
