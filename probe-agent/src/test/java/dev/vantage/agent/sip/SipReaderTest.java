package dev.vantage.agent.sip;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class SipReaderTest {
    private static final String HEAD = "OPTIONS sip:127.0.0.1 SIP/2.0\r\n"
            + "Via: SIP/2.0/TCP 10.0.0.1:5060;branch=z9hG4bK-1\r\n"
            + "From: <sip:a@10.0.0.1>;tag=abc\r\n"
            + "To: <sip:127.0.0.1>\r\n"
            + "Call-ID: c1@test\r\n"
            + "CSeq: 1 OPTIONS\r\n";

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    private static SipReader stream(String s, int max) {
        return new SipReader(new ByteArrayInputStream(bytes(s)), max);
    }

    private static SipMessage message(SipReader.Result r) {
        assertThat(r).isInstanceOf(SipReader.Message.class);
        return ((SipReader.Message) r).message();
    }

    private static String malformed(SipReader.Result r) {
        assertThat(r).isInstanceOf(SipReader.Malformed.class);
        return ((SipReader.Malformed) r).reason();
    }

    @Test
    void readsMessagesOffAStreamByContentLengthSkippingKeepAlives() throws IOException {
        SipReader in = stream("\r\n\r\n" + HEAD + "Content-Length: 5\r\n\r\nv=0\r\n" + "\r\n"
                + HEAD + "l: 0\r\n\r\n", 4096);
        SipReader.Result first = in.next();
        assertThat(message(first).body()).isEqualTo("v=0\r\n");
        assertThat(new String(((SipReader.Message) first).raw(), StandardCharsets.ISO_8859_1))
                .isEqualTo(HEAD + "Content-Length: 5\r\n\r\nv=0\r\n");
        assertThat(message(in.next()).body()).isEmpty();
        assertThat(in.next()).isInstanceOf(SipReader.End.class);
    }

    @Test
    void takesAStreamMessageWithoutContentLengthAsBodilessSoItsBodyCannotPassAsPartOfIt() throws IOException {
        SipReader in = stream(HEAD + "\r\nv=0\r\nsmuggled", 4096);
        assertThat(message(in.next()).body()).isEmpty();
        assertThat(malformed(in.next())).contains("ended").contains("head");
    }

    @Test
    void refusesAStreamHeadLargerThanTheLimit() throws IOException {
        SipReader.Result r = stream(HEAD + "X-Pad: " + "a".repeat(10_000) + "\r\n\r\n", 4096).next();
        assertThat(malformed(r)).contains("larger than 4096 bytes");
        assertThat(((SipReader.Malformed) r).raw().length).isEqualTo(4097);
    }

    @Test
    void refusesAContentLengthBeyondTheLimitWithoutReadingTheBody() throws IOException {
        assertThat(malformed(stream(HEAD + "Content-Length: 100000\r\n\r\nx", 4096).next()))
                .contains("Content-Length 100000").contains("4096");
    }

    @Test
    void refusesAContentLengthThatIsNotALength() throws IOException {
        assertThat(malformed(stream(HEAD + "Content-Length: -1\r\n\r\n", 4096).next())).contains("'-1'");
        assertThat(malformed(stream(HEAD + "Content-Length: ten\r\n\r\n", 4096).next())).contains("'ten'");
        assertThat(malformed(stream(HEAD + "Content-Length: 99999999999\r\n\r\n", 4096).next()))
                .contains("99999999999");
    }

    @Test
    void reportsAStreamThatEndsInsideTheBody() throws IOException {
        assertThat(malformed(stream(HEAD + "Content-Length: 50\r\n\r\nshort", 4096).next()))
                .contains("5 bytes into a body of 50");
    }

    @Test
    void reportsGarbageOnAStreamAndInADatagram() throws IOException {
        assertThat(malformed(stream("\u0000\u00ff GET / HTTP/1.1\r\nHost: x\r\n\r\n", 4096).next()))
                .contains("neither a SIP request line");
        byte[] junk = bytes("\u0000\u00ffgarbage\r\n\r\n");
        assertThat(malformed(SipReader.datagram(junk, junk.length))).contains("neither a SIP request line");
        assertThat(malformed(SipReader.datagram(new byte[0], 0))).contains("no start line");
    }

    @Test
    void reportsAHeaderLineWithoutAColonByItsNumber() {
        byte[] b = bytes(HEAD + "this is not a header\r\n\r\n");
        assertThat(malformed(SipReader.datagram(b, b.length))).contains("line 7");
    }

    @Test
    void takesTheRestOfADatagramAsTheBodyWhateverContentLengthSays() {
        // a SIP ALG that lengthens the SDP without fixing Content-Length: the echo must still show it
        byte[] b = bytes(HEAD + "Content-Length: 4\r\n\r\nv=0\r\nc=IN IP4 198.51.100.9\r\n");
        assertThat(message(SipReader.datagram(b, b.length)).body()).isEqualTo("v=0\r\nc=IN IP4 198.51.100.9\r\n");
    }

    @Test
    void unfoldsContinuationLines() {
        byte[] b = bytes(HEAD.replace("Via: SIP/2.0/TCP 10.0.0.1:5060;branch=z9hG4bK-1\r\n",
                "Via: SIP/2.0/TCP 10.0.0.1:5060\r\n\t;branch=z9hG4bK-1\r\n  ;rport\r\n") + "\r\n");
        SipMessage m = message(SipReader.datagram(b, b.length));
        assertThat(m.all("via")).containsExactly("SIP/2.0/TCP 10.0.0.1:5060 ;branch=z9hG4bK-1 ;rport");
        assertThat(SipHeaders.param(m.header("v"), "branch")).isEqualTo("z9hG4bK-1");
    }

    @Test
    void refusesAContinuationLineBeforeAnyHeader() {
        byte[] b = bytes("SIP/2.0 200 OK\r\n ;branch=x\r\n\r\n");
        assertThat(malformed(SipReader.datagram(b, b.length))).contains("continues a header field");
    }

    @Test
    void readsStatusLines() {
        byte[] b = bytes("SIP/2.0 404 Not Found Here\r\nCall-ID: x\r\n\r\n");
        SipMessage m = message(SipReader.datagram(b, b.length));
        assertThat(m.isResponse()).isTrue();
        assertThat(m.status()).isEqualTo(404);
        assertThat(m.reason()).isEqualTo("Not Found Here");
        assertThat(m.method()).isNull();
        byte[] bad = bytes("SIP/2.0 2000 OK\r\n\r\n");
        assertThat(malformed(SipReader.datagram(bad, bad.length))).contains("status line");
    }

    @Test
    void neverThrowsOnRandomBytes() throws IOException {
        Random random = new Random(13);
        for (int i = 0; i < 2_000; i++) {
            byte[] b = new byte[random.nextInt(300)];
            random.nextBytes(b);
            if (i % 2 == 0) {
                // give half of them a SIP-looking start so the header parser gets to work
                byte[] start = bytes(i % 4 == 0 ? "SIP/2.0 200 OK\r\n" : "OPTIONS sip:x SIP/2.0\r\nv:");
                System.arraycopy(start, 0, b, 0, Math.min(start.length, b.length));
            }
            assertThat(SipReader.datagram(b, b.length)).isNotNull();
            SipReader in = new SipReader(new ByteArrayInputStream(b), 256);
            for (int n = 0; n < 10 && in.next() instanceof SipReader.Message; n++) {
                // read on while it frames
            }
        }
    }
}
