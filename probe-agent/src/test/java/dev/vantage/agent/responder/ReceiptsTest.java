package dev.vantage.agent.responder;

import dev.vantage.agent.testing.LoopbackResponder;
import dev.vantage.wire.PortRange;
import dev.vantage.wire.ReceiptEvidence;
import dev.vantage.wire.ReceiptEvidence.Kind;
import dev.vantage.wire.ReceiptEvidence.Receipt;
import dev.vantage.wire.Wire;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a responder window records of what reached it, with real sockets on loopback: 127.0.0.1 and 127.0.0.2 play
 * two vantages (every 127/8 address is the loopback interface's on Linux).
 */
class ReceiptsTest {
    private static final InetAddress FIRST = address("127.0.0.1");
    private static final InetAddress SECOND = address("127.0.0.2");
    private static final String TASK_A = ReceiptEvidence.tagOf("task-a");

    @Test
    void recordsEachTcpConnectionBySourceAddressAndPort() throws Exception {
        try (LoopbackResponder r = LoopbackResponder.start(2, 0, 0, Duration.ofSeconds(30))) {
            connect(FIRST, r.tcp.first());
            connect(FIRST, r.tcp.last());
            connect(SECOND, r.tcp.first());

            List<Receipt> accepts = r.responder.evidence().of(Kind.TCP_ACCEPT);
            assertThat(accepts).extracting(Receipt::source).containsExactly("127.0.0.1", "127.0.0.2");
            Receipt first = accepts.get(0);
            assertThat(first.ports()).containsExactly(r.tcp);
            assertThat(first.count()).isEqualTo(2);
            assertThat(first.tag()).as("a TCP connection carries no nonce").isNull();
            assertThat(first.first()).isBeforeOrEqualTo(first.last());
            assertThat(accepts.get(1).ports()).containsExactly(PortRange.of(r.tcp.first()));
            assertThat(accepts.get(1).count()).isEqualTo(1);
        }
    }

    @Test
    void countsDatagramsWithASurveyNonceByTaskTagAndStrayOnesApart() throws Exception {
        try (LoopbackResponder r = LoopbackResponder.start(0, 1, 0, Duration.ofSeconds(30));
             DatagramChannel channel = channelFrom(SECOND)) {
            int port = r.udp.first();
            // stray first: the echo that follows on the same socket is read after it, so its answer proves both arrived
            channel.send(ByteBuffer.wrap("not a vantage datagram".getBytes(StandardCharsets.US_ASCII)),
                    new InetSocketAddress(FIRST, port));
            assertThat(echo(channel, port, TASK_A + "0a0b0c0d")).isTrue();
            assertThat(echo(channel, port, "nonce-0001")).as("a valid nonce not derived from a task").isTrue();

            ReceiptEvidence evidence = r.responder.evidence();
            assertThat(evidence.of(Kind.UDP_NONCE)).extracting(Receipt::source, Receipt::tag, Receipt::count)
                    .containsExactly(org.assertj.core.groups.Tuple.tuple("127.0.0.2", null, 1L),
                            org.assertj.core.groups.Tuple.tuple("127.0.0.2", TASK_A, 1L));
            assertThat(evidence.receipts()).as("the stray datagram is no vantage's").hasSize(2);
            assertThat(evidence.note()).contains("1 datagram(s) or request(s) without a survey nonce not counted");
            assertThat(evidence.summarised()).isFalse();
            assertThat(evidence.listened()).containsExactly(r.udp);
            assertThat(evidence.skipped()).isEmpty();
        }
    }

    @Test
    void namesTheSubRangesOfARangeThatReceivedAndHowManyThereWere() throws Exception {
        try (LoopbackResponder r = LoopbackResponder.start(0, 0, 10, Duration.ofSeconds(30));
             DatagramChannel channel = channelFrom(FIRST)) {
            int first = r.rtp.first();
            for (int port = first; port <= r.rtp.last(); port++) {
                if (port != first + 4) {
                    assertThat(echo(channel, port, TASK_A + "00000001")).as("echo on %d", port).isTrue();
                }
            }
            Receipt sweep = r.responder.evidence().of(Kind.UDP_NONCE).get(0);
            assertThat(sweep.ports()).containsExactly(new PortRange(first, first + 3),
                    new PortRange(first + 5, r.rtp.last()));
            assertThat(sweep.fragments()).isEqualTo(2);
            assertThat(sweep.count()).isEqualTo(9);
            assertThat(sweep.received(first + 4)).isFalse();
        }
    }

    @Test
    void aWindowOnFreePortsOnlySkipsThePortAnotherProcessHoldsAndSaysWhy() throws Exception {
        for (int attempt = 0; ; attempt++) {
            int base = java.util.concurrent.ThreadLocalRandom.current().nextInt(10_000, 30_000);
            PortRange asked = new PortRange(base, base + 4);
            try (DatagramSocket holder = new DatagramSocket(new InetSocketAddress(FIRST, base + 2))) {
                Responder responder = Responder.open(new Responder.Config(FIRST, List.of(), List.of(), List.of(asked),
                        Duration.ofSeconds(5), "test-agent", true));
                try (responder) {
                    ReceiptEvidence evidence = responder.evidence();
                    assertThat(evidence.listened()).containsExactly(new PortRange(base, base + 1),
                            new PortRange(base + 3, base + 4));
                    assertThat(evidence.skipped()).containsExactly(new ReceiptEvidence.Skipped(PortRange.of(base + 2),
                            "in use by another process"));
                    assertThat(responder.skippedCount()).isEqualTo(1);
                    assertThat(holder.getLocalPort()).as("the other process keeps its port").isEqualTo(base + 2);
                }
                return;
            } catch (java.net.BindException | ResponderException e) {
                if (attempt > 20) {
                    throw e; // the random block was taken by someone else twenty times: something is wrong
                }
            }
        }
    }

    @Test
    void aWindowThatTakesEveryPortStillRefusesOneInUse() throws Exception {
        try (DatagramSocket holder = new DatagramSocket(new InetSocketAddress(FIRST, 0))) {
            int port = holder.getLocalPort();
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> Responder.open(new Responder.Config(FIRST,
                            List.of(), List.of(PortRange.of(port)), List.of(), Duration.ofSeconds(5), "test-agent")))
                    .isInstanceOf(ResponderException.class).hasMessageContaining("another process already uses it");
        }
    }

    @Test
    void moreSourcesThanTheBoundAreSummedUpPerKindAndTheReportSaysSo() throws Exception {
        Receipts receipts = new Receipts(30000, Clock.systemUTC());
        int sources = Receipts.MAX_TRACKED + 150;
        for (int i = 0; i < sources; i++) {
            InetAddress source = InetAddress.getByAddress(new byte[]{(byte) 198, 51, (byte) (i / 250), (byte) (1 + i % 250)});
            receipts.record(Kind.TCP_ACCEPT, source, null, 30000 + i % 7);
        }
        receipts.record(Kind.UDP_NONCE, FIRST, TASK_A, 30001);
        ReceiptEvidence evidence = receipts.evidence(List.of(new PortRange(30000, 30006)), List.of());

        assertThat(evidence.receipts()).hasSizeLessThanOrEqualTo(ReceiptEvidence.MAX_RECEIPTS);
        assertThat(evidence.summarised()).isTrue();
        assertThat(evidence.note()).contains("sources summarised per kind: more than 256 entries")
                .contains("more than 1024 sources or tags: the further ones counted together per kind");
        assertThat(evidence.of(Kind.UDP_NONCE)).as("a receipt that names its task is kept first").singleElement()
                .satisfies(u -> assertThat(u.tag()).isEqualTo(TASK_A));
        Receipt others = evidence.of(Kind.TCP_ACCEPT).stream()
                .filter(x -> x.source().equals(ReceiptEvidence.OTHER_SOURCES)).findFirst().orElseThrow();
        long counted = evidence.of(Kind.TCP_ACCEPT).stream().mapToLong(Receipt::count).sum();
        assertThat(counted).as("nothing is lost from the counts").isEqualTo(sources);
        assertThat(others.count()).isGreaterThan(0);
    }

    @Test
    void aFiveThousandPortWindowSweptByFiveVantagesReportsInAFewKilobytes() throws Exception {
        try (LoopbackResponder r = LoopbackResponder.start(0, 0, 5000, Duration.ofMinutes(2))) {
            for (int v = 1; v <= 5; v++) {
                try (DatagramChannel vantage = channelFrom(address("127.0.0." + v))) {
                    byte[] request = EchoDatagram.request(ReceiptEvidence.tagOf("sweep-" + v) + "0000000" + v);
                    for (int port = r.rtp.first(); port <= r.rtp.last(); port++) {
                        vantage.send(ByteBuffer.wrap(request), new InetSocketAddress(FIRST, port));
                    }
                }
            }
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(60))
                    .until(() -> r.responder.udpAnswered() == 5 * 5000);

            ReceiptEvidence evidence = r.responder.evidence();
            assertThat(evidence.of(Kind.UDP_NONCE)).hasSize(5).allSatisfy(x -> {
                assertThat(x.ports()).containsExactly(r.rtp);
                assertThat(x.count()).isEqualTo(5000);
            });
            assertThat(evidence.summarised()).isFalse();
            dev.vantage.wire.ProbeTask task = new dev.vantage.wire.ProbeTask(Wire.SCHEMA_VERSION,
                    java.util.UUID.randomUUID().toString(), java.util.UUID.randomUUID().toString(), "example-berlin",
                    "acd-stack", "berlin-stack", "inbound.rtp", dev.vantage.wire.ProbeKind.RESPOND, "10.20.0.10", r.rtp,
                    java.util.Map.of(), Duration.ofMinutes(3));
            dev.vantage.wire.ProbeResult closing = dev.vantage.agent.probe.ProbeContext.standalone("test")
                    .result(task, java.time.Instant.now()).outcome(dev.vantage.wire.Outcome.LISTENED).evidence(evidence)
                    .summary("responder (echo) on 10.20.0.10 udp " + r.rtp + " listened PT1M of PT3M: 0 tcp accepted, "
                            + "25000 udp answered, 0 rtp reflected, 0 ignored; 5 receipt(s) from 5 source(s)").build();
            int bytes = Wire.encode(closing).length;
            System.out.printf("closing report of a 5,000-port window swept by five vantages: %d bytes%n", bytes);
            assertThat(bytes).isLessThan(4096);
        }
    }

    @Test
    void theWorstCaseReportStaysFarBelowTheMessageLimit() throws Exception {
        // every kind from more sources and tags than a report holds, each receiving every other port of a 5,000-port
        // range, and every other port of it held by another process
        Receipts receipts = new Receipts(30000, Clock.systemUTC());
        for (int i = 0; i < ReceiptEvidence.MAX_RECEIPTS + 50; i++) {
            InetAddress source = InetAddress.getByAddress(new byte[]{(byte) 203, 0, (byte) (i / 250), (byte) (1 + i % 250)});
            Kind kind = Kind.values()[i % Kind.values().length];
            String tag = kind == Kind.TCP_ACCEPT ? null : ReceiptEvidence.tagOf("task-" + i);
            for (int port = 30000 + i % 2; port <= 34999; port += 2) {
                receipts.record(kind, source, tag, port);
            }
        }
        List<ReceiptEvidence.Skipped> skipped = new java.util.ArrayList<>();
        for (int port = 30001; port <= 34999; port += 2) {
            skipped.add(new ReceiptEvidence.Skipped(PortRange.of(port), Receipts.IN_USE));
        }
        List<PortRange> listened = new java.util.ArrayList<>();
        for (int port = 30000; port <= 34999; port += 2) {
            listened.add(PortRange.of(port));
        }
        ReceiptEvidence evidence = receipts.evidence(listened, skipped);

        assertThat(evidence.receipts()).hasSizeLessThanOrEqualTo(ReceiptEvidence.MAX_RECEIPTS);
        assertThat(evidence.receipts().stream().mapToInt(x -> x.ports().size()).sum())
                .isLessThanOrEqualTo(ReceiptEvidence.MAX_RANGES);
        assertThat(evidence.skipped()).hasSize(ReceiptEvidence.MAX_SKIPPED);
        assertThat(evidence.listened()).as("what was held stays exact").hasSize(2500);
        assertThat(evidence.note()).contains("further skipped range(s)").contains("fragments says how many");
        int bytes = Wire.encode(evidence).length;
        System.out.printf("worst-case closing report evidence: %d bytes (limit %d)%n", bytes, Wire.MAX_MESSAGE_BYTES);
        assertThat(bytes).isLessThan(Wire.MAX_MESSAGE_BYTES / 2);
    }

    private static void connect(InetAddress from, int port) throws Exception {
        try (Socket s = new Socket(FIRST, port, from, 0)) {
            s.setSoTimeout(5000);
            InputStream in = s.getInputStream();
            // the identifying line is written after the accept was recorded
            assertThat(new String(in.readAllBytes(), StandardCharsets.US_ASCII)).startsWith("VANTAGE-RESPONDER");
        }
    }

    private static DatagramChannel channelFrom(InetAddress local) throws Exception {
        DatagramChannel channel = DatagramChannel.open();
        channel.bind(new InetSocketAddress(local, 0));
        channel.socket().setSoTimeout(2000);
        return channel;
    }

    /** Sends an echo request and waits for its answer (recorded before it is sent). */
    private static boolean echo(DatagramChannel channel, int port, String nonce) throws Exception {
        channel.send(ByteBuffer.wrap(EchoDatagram.request(nonce)), new InetSocketAddress(FIRST, port));
        try (java.nio.channels.Selector selector = java.nio.channels.Selector.open()) {
            channel.configureBlocking(false);
            channel.register(selector, java.nio.channels.SelectionKey.OP_READ);
            if (selector.select(5000) == 0) {
                return false;
            }
            ByteBuffer in = ByteBuffer.allocate(512);
            channel.receive(in);
            in.flip();
            EchoDatagram.Answer answer = EchoDatagram.parseAnswer(in);
            return answer != null && answer.nonce().equals(nonce);
        } finally {
            channel.configureBlocking(true);
        }
    }

    private static InetAddress address(String text) {
        try {
            return InetAddress.getByName(text);
        } catch (java.net.UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }
}
