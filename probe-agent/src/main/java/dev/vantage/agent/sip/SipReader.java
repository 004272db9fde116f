package dev.vantage.agent.sip;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Finds where SIP messages begin and end (RFC 3261 section 18.3) and reads them, for the probe and
 * the responder alike. Whatever arrives, the answer is a {@link Result}: bytes that are not SIP, too
 * large or cut short are {@link Malformed} with the reason, never an exception.
 *
 * <ul>
 *   <li>Datagram: one message per datagram, the body is the rest of the datagram (a wrong
 *       Content-Length, as a SIP ALG leaves behind after rewriting SDP, is not held against it).</li>
 *   <li>Stream (TCP, TLS): CRLFs between messages are skipped, the head runs to the blank line and
 *       the body is Content-Length bytes. A message without Content-Length has no body (RFC 3261
 *       requires the field on streams; bytes that follow are read as the next message). At most
 *       {@code maxBytes} per message; after a {@link Malformed} the stream's framing is lost, so the
 *       caller stops reading it.</li>
 * </ul>
 */
public final class SipReader {
    /** What one read gave. */
    public sealed interface Result permits Message, Malformed, End {
    }

    /** A message and the bytes it was read from (head, blank line and body). */
    public record Message(SipMessage message, byte[] raw) implements Result {
    }

    /** Bytes that are not a SIP message, as far as they were read, and why. */
    public record Malformed(String reason, byte[] raw) implements Result {
    }

    /** The stream ended between messages. */
    public record End() implements Result {
    }

    private final InputStream in;
    private final int maxBytes;

    /**
     * A reader of the messages on one stream.
     *
     * @param in       the stream; buffer it, the head is read a byte at a time
     * @param maxBytes the largest message accepted (head and body)
     */
    public SipReader(InputStream in, int maxBytes) {
        this.in = in;
        this.maxBytes = maxBytes;
    }

    /** The one message of a datagram. */
    public static Result datagram(byte[] data, int length) {
        String text = new String(data, 0, length, StandardCharsets.ISO_8859_1);
        int split = text.indexOf("\r\n\r\n");
        int skip = 4;
        if (split < 0) {
            split = text.indexOf("\n\n");
            skip = 2;
        }
        String head = split < 0 ? text : text.substring(0, split);
        String body = split < 0 ? "" : text.substring(split + skip);
        try {
            return new Message(SipMessage.parse(head, body), Arrays.copyOf(data, length));
        } catch (SipFormatException e) {
            return new Malformed(e.getMessage(), Arrays.copyOf(data, length));
        }
    }

    /**
     * The next message of the stream.
     *
     * @throws IOException when reading fails (a timeout, a reset): the network, not the bytes
     */
    public Result next() throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int newlines = 0;
        while (true) {
            int b = in.read();
            if (b < 0) {
                return head.size() == 0 ? new End()
                        : new Malformed("the stream ended " + head.size() + " bytes into a message head",
                                head.toByteArray());
            }
            if (head.size() == 0 && (b == '\r' || b == '\n')) {
                continue; // keep-alive CRLFs between messages
            }
            head.write(b);
            if (head.size() > maxBytes) {
                return new Malformed("the message head is larger than " + maxBytes + " bytes", head.toByteArray());
            }
            if (b == '\n') {
                if (++newlines == 2) {
                    break;
                }
            } else if (b != '\r') {
                newlines = 0;
            }
        }
        SipMessage parsed;
        try {
            parsed = SipMessage.parse(head.toString(StandardCharsets.ISO_8859_1), "");
        } catch (SipFormatException e) {
            return new Malformed(e.getMessage(), head.toByteArray());
        }
        String declared = parsed.header("content-length");
        int length;
        try {
            length = declared == null ? 0 : Integer.parseInt(declared);
        } catch (NumberFormatException e) {
            length = -1;
        }
        if (length < 0) {
            return new Malformed("Content-Length '" + declared + "' is not a length", head.toByteArray());
        }
        if (length > maxBytes - head.size()) {
            return new Malformed("Content-Length " + length + " makes the message larger than " + maxBytes + " bytes",
                    head.toByteArray());
        }
        byte[] body = in.readNBytes(length);
        head.write(body);
        if (body.length < length) {
            return new Malformed("the stream ended " + body.length + " bytes into a body of " + length,
                    head.toByteArray());
        }
        return new Message(new SipMessage(parsed.startLine(), parsed.headers(),
                new String(body, StandardCharsets.ISO_8859_1)), head.toByteArray());
    }
}
