package dev.vantage.agent.testing;

import dev.vantage.agent.responder.Responder;
import dev.vantage.agent.responder.ResponderException;
import dev.vantage.wire.PortRange;

import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A responder on 127.0.0.1 with blocks of consecutive free ports below the ephemeral range, serving
 * in a background thread.
 */
public final class LoopbackResponder implements AutoCloseable {
    public final Responder responder;
    public final PortRange tcp;
    public final PortRange udp;
    public final PortRange rtp;
    private final Thread thread;

    private LoopbackResponder(Responder responder, PortRange tcp, PortRange udp, PortRange rtp) {
        this.responder = responder;
        this.tcp = tcp;
        this.udp = udp;
        this.rtp = rtp;
        this.thread = new Thread(responder::serve, "test-responder");
        thread.setDaemon(true);
        thread.start();
    }

    /** Opens {@code count} consecutive ports of each kind (0 for none) for the window. */
    public static LoopbackResponder start(int tcpCount, int udpCount, int rtpCount, Duration window) {
        ResponderException last = null;
        for (int attempt = 0; attempt < 20; attempt++) {
            int base = ThreadLocalRandom.current().nextInt(10_000, 30_000);
            PortRange tcp = tcpCount == 0 ? null : new PortRange(base, base + tcpCount - 1);
            PortRange udp = udpCount == 0 ? null : new PortRange(base, base + udpCount - 1);
            PortRange rtp = rtpCount == 0 ? null : new PortRange(base + udpCount, base + udpCount + rtpCount - 1);
            try {
                Responder responder = Responder.open(new Responder.Config(InetAddress.getLoopbackAddress(),
                        tcp == null ? List.of() : List.of(tcp), udp == null ? List.of() : List.of(udp),
                        rtp == null ? List.of() : List.of(rtp), window, "test-agent"));
                return new LoopbackResponder(responder, tcp, udp, rtp);
            } catch (ResponderException e) {
                last = e;
            }
        }
        throw new IllegalStateException("no free block of ports on 127.0.0.1", last);
    }

    public void awaitEnd(Duration max) throws InterruptedException {
        thread.join(max.toMillis());
    }

    @Override
    public void close() throws InterruptedException {
        responder.close();
        thread.join(2000);
    }
}
