package dev.vantage.agent.responder;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * The datagrams a probe and a responder exchange over UDP. Small, binary, and built so that the
 * responder can never be used to amplify traffic: an answer is never longer than the request.
 *
 * <pre>
 * request  (probe to responder), at least {@link #REQUEST_LENGTH} bytes as sent by Vantage:
 *   0..3   "VNT1"                 magic and version
 *   4      'Q'                    echo request
 *   5      N                      nonce length, 8..32
 *   6..    nonce                  N bytes of [0-9A-Za-z._-]
 *   ...    padding                any bytes; only makes room for the answer
 *
 * answer   (responder to probe), 13+N bytes for IPv4, 25+N for IPv6:
 *   0..3   "VNT1"
 *   4      'A'                    echo answer
 *   5      N                      nonce length
 *   6..    nonce                  copied from the request
 *   6+N    4 or 6                 address family of the source the responder saw
 *   7+N    port                   that source's port, 2 bytes big-endian
 *   9+N    address                that source's address, 4 or 16 bytes
 * </pre>
 *
 * The responder answers only a well-formed request whose length is at least the length of the
 * answer it would send; anything else gets no answer at all. A reflected RTP packet carries the
 * same magic and nonce at the start of its payload with type {@code 'R'} (see {@link #RTP}).
 */
public final class EchoDatagram {
    static final byte[] MAGIC = {'V', 'N', 'T', '1'};
    public static final byte REQUEST = 'Q';
    public static final byte ANSWER = 'A';
    /** Type byte at the start of the payload of a Vantage RTP packet. */
    public static final byte RTP = 'R';
    public static final int MIN_NONCE = 8;
    public static final int MAX_NONCE = 32;
    /** What Vantage sends: room for an IPv6 answer with the longest nonce. */
    public static final int REQUEST_LENGTH = 64;

    /** The nonce and source address a responder reported. */
    public record Answer(String nonce, InetSocketAddress seen) {
    }

    private EchoDatagram() {
    }

    /** True when the text can be carried as a nonce. */
    public static boolean isValidNonce(String nonce) {
        if (nonce == null || nonce.length() < MIN_NONCE || nonce.length() > MAX_NONCE) {
            return false;
        }
        for (int i = 0; i < nonce.length(); i++) {
            if (!isNonceChar(nonce.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    private static boolean isNonceChar(int c) {
        return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z')
                || c == '.' || c == '_' || c == '-';
    }

    /** An echo request for the nonce, padded to {@link #REQUEST_LENGTH}. */
    public static byte[] request(String nonce) {
        byte[] out = new byte[REQUEST_LENGTH];
        writeHeader(ByteBuffer.wrap(out), REQUEST, nonce);
        return out;
    }

    /** Writes magic, type, nonce length and nonce at the buffer's position. */
    public static void writeHeader(ByteBuffer out, byte type, String nonce) {
        if (!isValidNonce(nonce)) {
            throw new IllegalArgumentException("'" + nonce + "' is not a valid nonce");
        }
        out.put(MAGIC).put(type).put((byte) nonce.length()).put(nonce.getBytes(StandardCharsets.US_ASCII));
    }

    /**
     * Reads magic, type and nonce from the buffer's position without moving it.
     *
     * @return the nonce, or null when the bytes are not of that type or the nonce is malformed
     */
    public static String readHeader(ByteBuffer in, byte type) {
        int p = in.position();
        if (in.remaining() < 6 + MIN_NONCE) {
            return null;
        }
        for (int i = 0; i < MAGIC.length; i++) {
            if (in.get(p + i) != MAGIC[i]) {
                return null;
            }
        }
        if (in.get(p + 4) != type) {
            return null;
        }
        int n = in.get(p + 5);
        if (n < MIN_NONCE || n > MAX_NONCE || in.remaining() < 6 + n) {
            return null;
        }
        char[] chars = new char[n];
        for (int i = 0; i < n; i++) {
            int c = in.get(p + 6 + i);
            if (!isNonceChar(c)) {
                return null;
            }
            chars[i] = (char) c;
        }
        return new String(chars);
    }

    /** Length of the answer to a nonce of that length for a source of that address. */
    public static int answerLength(int nonceLength, InetAddress seen) {
        return 9 + nonceLength + (seen instanceof Inet4Address ? 4 : 16);
    }

    /**
     * Writes the answer to a request, or nothing when the request is malformed or too short to be
     * answered without amplification.
     *
     * @param request the received datagram, position to limit
     * @param seen    the source address the request came from
     * @param out     cleared buffer to write the answer into
     * @return the nonce answered when an answer was written (flipped, ready to send), else null
     */
    public static String answer(ByteBuffer request, InetSocketAddress seen, ByteBuffer out) {
        String nonce = readHeader(request, REQUEST);
        if (nonce == null || seen.getAddress() == null
                || request.remaining() < answerLength(nonce.length(), seen.getAddress())) {
            return null;
        }
        writeHeader(out, ANSWER, nonce);
        byte[] address = seen.getAddress().getAddress();
        out.put((byte) (address.length == 4 ? 4 : 6)).putShort((short) seen.getPort()).put(address);
        out.flip();
        return nonce;
    }

    /** Parses an answer; null when the bytes are not a well-formed answer. */
    public static Answer parseAnswer(ByteBuffer in) {
        String nonce = readHeader(in, ANSWER);
        if (nonce == null) {
            return null;
        }
        int p = in.position() + 6 + nonce.length();
        if (in.limit() < p + 3) {
            return null;
        }
        int family = in.get(p);
        int port = Short.toUnsignedInt(in.getShort(p + 1));
        int length = family == 4 ? 4 : family == 6 ? 16 : -1;
        if (length < 0 || in.limit() < p + 3 + length) {
            return null;
        }
        byte[] address = new byte[length];
        in.get(p + 3, address);
        try {
            return new Answer(nonce, new InetSocketAddress(InetAddress.getByAddress(address), port));
        } catch (UnknownHostException e) {
            throw new IllegalStateException("4 or 16 bytes are always an address", e);
        }
    }
}
