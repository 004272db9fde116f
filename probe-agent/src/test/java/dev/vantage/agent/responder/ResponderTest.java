package dev.vantage.agent.responder;

import dev.vantage.agent.testing.LoopbackResponder;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ResponderTest {

    /** Sends one datagram and returns the answer, or null when none came within 300 ms. */
    private static byte[] exchange(int port, byte[] request) throws Exception {
        try (DatagramChannel channel = DatagramChannel.open(); Selector selector = Selector.open()) {
            channel.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            channel.configureBlocking(false);
            channel.register(selector, SelectionKey.OP_READ);
            channel.write(ByteBuffer.wrap(request));
            if (selector.select(300) == 0) {
                return null;
            }
            ByteBuffer in = ByteBuffer.allocate(4096);
            channel.read(in);
            in.flip();
            byte[] out = new byte[in.remaining()];
            in.get(out);
            return out;
        }
    }

    @Test
    void echoesTheNonceAndTheSourceItSawWithoutGrowingTheDatagram() throws Exception {
        try (LoopbackResponder r = LoopbackResponder.start(0, 1, 0, Duration.ofSeconds(10));
             DatagramChannel channel = DatagramChannel.open()) {
            byte[] request = EchoDatagram.request("nonce-0001");
            channel.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), r.udp.first()));
            channel.write(ByteBuffer.wrap(request));
            ByteBuffer in = ByteBuffer.allocate(4096);
            channel.read(in);
            in.flip();
            assertThat(in.remaining()).isLessThanOrEqualTo(request.length);
            EchoDatagram.Answer answer = EchoDatagram.parseAnswer(in);
            assertThat(answer.nonce()).isEqualTo("nonce-0001");
            assertThat(answer.seen()).isEqualTo(channel.getLocalAddress());
        }
    }

    @Test
    void neverAnswersADatagramWithoutAValidNonce() throws Exception {
        try (LoopbackResponder r = LoopbackResponder.start(0, 1, 1, Duration.ofSeconds(10))) {
            byte[] garbage = "hello responder, please amplify me".getBytes(StandardCharsets.US_ASCII);
            byte[] badNonce = EchoDatagram.request("nonce-0001");
            badNonce[8] = '!';
            byte[] tooShortNonce = EchoDatagram.request("nonce-0001");
            tooShortNonce[5] = 3;
            byte[] rtpWithoutNonce = new byte[172];
            rtpWithoutNonce[0] = (byte) 0x80;
            for (byte[] request : List.of(garbage, badNonce, tooShortNonce, new byte[0], rtpWithoutNonce)) {
                assertThat(exchange(r.udp.first(), request)).as("answer to %s", new String(request)).isNull();
            }
            assertThat(exchange(r.rtp.first(), rtpWithoutNonce)).isNull();
            assertThat(r.responder.udpAnswered()).isZero();
            assertThat(r.responder.rtpReflected()).isZero();
        }
    }

    @Test
    void staysSilentWhenTheAnswerWouldBeLargerThanTheRequest() throws Exception {
        try (LoopbackResponder r = LoopbackResponder.start(0, 1, 0, Duration.ofSeconds(10))) {
            byte[] full = EchoDatagram.request("nonce-0001");
            int answerLength = EchoDatagram.answerLength(10, InetAddress.getLoopbackAddress());
            byte[] justShort = java.util.Arrays.copyOf(full, answerLength - 1);
            byte[] exact = java.util.Arrays.copyOf(full, answerLength);
            assertThat(exchange(r.udp.first(), justShort)).isNull();
            assertThat(exchange(r.udp.first(), exact)).hasSize(answerLength);
        }
    }

    @Test
    void acceptsTcpWithAnIdentifyingLineNamingPortAndSeenSource() throws Exception {
        try (LoopbackResponder r = LoopbackResponder.start(1, 0, 0, Duration.ofSeconds(10));
             Socket socket = new Socket(InetAddress.getLoopbackAddress(), r.tcp.first())) {
            socket.setSoTimeout(2000);
            InputStream in = socket.getInputStream();
            String line = new String(in.readAllBytes(), StandardCharsets.US_ASCII);
            assertThat(line).isEqualTo("VANTAGE-RESPONDER test-agent " + r.tcp.first() + " 127.0.0.1:"
                    + socket.getLocalPort() + "\r\n");
        }
    }

    @Test
    void refusesPortsItWasNotAskedToOpen() throws Exception {
        try (LoopbackResponder r = LoopbackResponder.start(1, 1, 0, Duration.ofSeconds(10))) {
            int other = r.tcp.first() + 1;
            assertThatThrownBy(() -> new Socket(InetAddress.getLoopbackAddress(), other).close())
                    .isInstanceOf(ConnectException.class);
            assertThatThrownBy(() -> exchange(r.udp.first() + 1, EchoDatagram.request("nonce-0001")))
                    .isInstanceOf(java.net.PortUnreachableException.class);
        }
    }

    @Test
    void endsTheWindowByItselfAndReleasesItsPorts() throws Exception {
        LoopbackResponder r = LoopbackResponder.start(1, 1, 0, Duration.ofMillis(300));
        r.awaitEnd(Duration.ofSeconds(5));
        assertThat(r.responder.isClosed()).isTrue();
        assertThatThrownBy(() -> new Socket(InetAddress.getLoopbackAddress(), r.tcp.first()).close())
                .isInstanceOf(ConnectException.class);
        try (DatagramChannel rebind = DatagramChannel.open()) {
            rebind.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), r.udp.first()));
        }
    }

    @Test
    void saysWhichPortIsTakenWhenItCannotBindAndOpensNothing() throws Exception {
        try (LoopbackResponder first = LoopbackResponder.start(2, 0, 0, Duration.ofSeconds(10))) {
            var config = new Responder.Config(InetAddress.getLoopbackAddress(),
                    List.of(dev.vantage.wire.PortRange.of(first.tcp.last())), List.of(), List.of(),
                    Duration.ofSeconds(1), "x");
            assertThatThrownBy(() -> Responder.open(config))
                    .isInstanceOf(ResponderException.class)
                    .hasMessageContaining("tcp port " + first.tcp.last())
                    .hasMessageContaining("another process already uses it");
        }
    }
}
