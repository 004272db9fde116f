package dev.vantage.agent.bench;

import dev.vantage.agent.probe.ProbeContext;
import dev.vantage.agent.probe.TcpProbe;
import dev.vantage.agent.probe.TcpRangeProbe;
import dev.vantage.agent.probe.UdpRangeProbe;
import dev.vantage.agent.responder.Responder;
import dev.vantage.agent.testing.Tasks;
import dev.vantage.wire.Outcome;
import dev.vantage.wire.PortRange;
import dev.vantage.wire.ProbeKind;
import dev.vantage.wire.ProbeResult;
import dev.vantage.wire.RangeEvidence;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The probe-engine benchmark (not a test): TCP sweep of 5000 loopback ports against nmap -sT with a
 * per-port comparison, UDP sweep of 5000 ports through the responder, and CPU per TCP probe. Run by
 * {@code probe-agent/src/bench/probe-bench.sh}; exits non-zero when a state disagrees with nmap or a
 * UDP port is falsely OPEN.
 */
public final class ProbeBench {
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    private static final ProbeContext CONTEXT = ProbeContext.standalone("bench");

    private ProbeBench() {
    }

    public static void main(String[] args) throws Exception {
        int first = args.length > 0 ? Integer.parseInt(args[0]) : 20000;
        PortRange range = new PortRange(first, first + 4999);
        boolean ok = tcpSweepAgainstNmap(range);
        ok &= udpSweepThroughResponder(range);
        cpuPerTcpProbe();
        System.exit(ok ? 0 : 1);
    }

    /** Listens on every third port of the range and accepts (and drops) whatever connects. */
    private static final class Listeners implements AutoCloseable {
        final List<ServerSocketChannel> servers = new ArrayList<>();
        final Selector selector;
        final Thread acceptor;
        volatile boolean stop;

        Listeners(List<Integer> ports) throws IOException {
            selector = Selector.open();
            for (int port : ports) {
                ServerSocketChannel server = ServerSocketChannel.open();
                server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1024);
                server.configureBlocking(false);
                server.register(selector, SelectionKey.OP_ACCEPT);
                servers.add(server);
            }
            acceptor = new Thread(this::accept, "bench-acceptor");
            acceptor.start();
        }

        private void accept() {
            try {
                while (!stop) {
                    selector.select(100);
                    for (SelectionKey key : selector.selectedKeys()) {
                        SocketChannel client;
                        while ((client = ((ServerSocketChannel) key.channel()).accept()) != null) {
                            client.close();
                        }
                    }
                    selector.selectedKeys().clear();
                }
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }

        @Override
        public void close() throws Exception {
            stop = true;
            acceptor.join();
            for (ServerSocketChannel server : servers) {
                server.close();
            }
            selector.close();
        }
    }

    private static boolean tcpSweepAgainstNmap(PortRange range) throws Exception {
        List<Integer> open = new ArrayList<>();
        for (int port = range.first(); port <= range.last(); port += 3) {
            open.add(port);
        }
        try (Listeners listeners = new Listeners(open)) {
            long coldCpu0 = THREADS.getCurrentThreadCpuTime();
            long cold0 = System.nanoTime();
            new TcpRangeProbe().run(Tasks.of(ProbeKind.TCP_RANGE, "127.0.0.1", range.toString(),
                    Duration.ofSeconds(1), "concurrency=256", "rate=100000"), CONTEXT);
            long coldWall = System.nanoTime() - cold0;
            long coldCpu = THREADS.getCurrentThreadCpuTime() - coldCpu0;
            long cpu0 = THREADS.getCurrentThreadCpuTime();
            long t0 = System.nanoTime();
            ProbeResult result = new TcpRangeProbe().run(Tasks.of(ProbeKind.TCP_RANGE, "127.0.0.1", range.toString(),
                    Duration.ofSeconds(1), "concurrency=256", "rate=100000", "detail=ports"), CONTEXT);
            long wall = System.nanoTime() - t0;
            long cpu = THREADS.getCurrentThreadCpuTime() - cpu0;
            Map<Integer, Outcome> ours = ((RangeEvidence) result.evidence()).ports();

            String[] nmap = {"bash", "-c", "nmap -n -Pn -sT -T5 -p " + range + " -oG - 127.0.0.1; times"};
            long n0 = System.nanoTime();
            Process p = new ProcessBuilder(nmap).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            p.waitFor();
            long nmapWall = System.nanoTime() - n0;
            Map<Integer, String> theirs = nmapStates(out, range);
            String[] times = out.strip().split("\n");
            String nmapCpu = times[times.length - 1].strip(); // children's user and system time

            int mismatches = 0;
            for (int port = range.first(); port <= range.last(); port++) {
                String expected = theirs.get(port);
                String actual = ours.get(port).name().toLowerCase(Locale.ROOT);
                if (!actual.equals(expected)) {
                    if (mismatches++ < 10) {
                        System.out.println("  MISMATCH port " + port + ": vantage " + actual + ", nmap " + expected);
                    }
                }
            }
            System.out.printf(Locale.ROOT, "tcp sweep of %d loopback ports (%d listening):%n", range.size(), open.size());
            System.out.printf(Locale.ROOT, "  vantage tcp-range: %.0f ms wall, %.0f ms CPU (sweep thread, %.1f us per port), %s;"
                            + " first (cold JIT) run %.0f ms wall, %.0f ms CPU%n",
                    wall / 1e6, cpu / 1e6, cpu / 1e3 / range.size(), ((RangeEvidence) result.evidence()).counts(),
                    coldWall / 1e6, coldCpu / 1e6);
            System.out.printf(Locale.ROOT, "  nmap -sT -T5:      %.0f ms wall, CPU user/system %s%n", nmapWall / 1e6, nmapCpu);
            System.out.printf(Locale.ROOT, "  per-port states: %s%n", mismatches == 0 ? "all " + range.size()
                    + " match nmap" : mismatches + " MISMATCHES");
            return mismatches == 0;
        }
    }

    /** Per-port state from nmap's greppable output: listed ports with theirs, the rest the ignored state. */
    static Map<Integer, String> nmapStates(String greppable, PortRange range) {
        Map<Integer, String> states = new HashMap<>();
        Matcher ignored = Pattern.compile("Ignored State: (\\w+)").matcher(greppable);
        String rest = ignored.find() ? ignored.group(1) : "unknown";
        for (int port = range.first(); port <= range.last(); port++) {
            states.put(port, rest);
        }
        Matcher listed = Pattern.compile("(\\d+)/(open|closed|filtered|unfiltered|open\\|filtered)/tcp").matcher(greppable);
        while (listed.find()) {
            states.put(Integer.parseInt(listed.group(1)), listed.group(2));
        }
        return states;
    }

    private static boolean udpSweepThroughResponder(PortRange range) throws Exception {
        // the responder echoes on the first 4000 ports; the last 1000 have nothing behind them
        PortRange answered = new PortRange(range.first(), range.first() + 3999);
        Responder responder = Responder.open(new Responder.Config(InetAddress.getLoopbackAddress(), List.of(),
                List.of(answered), List.of(), Duration.ofMinutes(5), "bench"));
        Thread serving = new Thread(responder::serve, "bench-responder");
        serving.start();
        try {
            long cpu0 = THREADS.getCurrentThreadCpuTime();
            long t0 = System.nanoTime();
            ProbeResult result = new UdpRangeProbe().run(Tasks.of(ProbeKind.UDP_RANGE, "127.0.0.1", range.toString(),
                    Duration.ofMillis(500), "responder=true", "concurrency=256", "rate=20000", "detail=ports"), CONTEXT);
            long wall = System.nanoTime() - t0;
            long cpu = THREADS.getCurrentThreadCpuTime() - cpu0;
            RangeEvidence evidence = (RangeEvidence) result.evidence();
            long falseOpen = evidence.ports().entrySet().stream()
                    .filter(e -> e.getValue() == Outcome.OPEN && !answered.contains(e.getKey())).count();
            long missed = evidence.ports().entrySet().stream()
                    .filter(e -> e.getValue() != Outcome.OPEN && answered.contains(e.getKey())).count();
            System.out.printf(Locale.ROOT, "udp sweep of %d loopback ports through the responder (%d echoing):%n",
                    range.size(), answered.size());
            System.out.printf(Locale.ROOT, "  vantage udp-range: %.0f ms wall, %.0f ms CPU (sweep thread), %s%n",
                    wall / 1e6, cpu / 1e6, evidence.counts());
            System.out.printf(Locale.ROOT, "  segments: %s%n", evidence.segments().size() <= 6 ? evidence.segments()
                    : evidence.segments().size() + " segments");
            System.out.printf(Locale.ROOT, "  false OPEN: %d, echoing ports not seen OPEN: %d%n", falseOpen, missed);
            return falseOpen == 0;
        } finally {
            responder.close();
            serving.join();
        }
    }

    private static void connectAndReset(InetSocketAddress target) throws IOException {
        try (SocketChannel channel = SocketChannel.open()) {
            channel.setOption(java.net.StandardSocketOptions.SO_LINGER, 0);
            channel.connect(target);
        }
    }

    private static void cpuPerTcpProbe() throws Exception {
        int rounds = 20_000;
        int port;
        try (ServerSocketChannel probeForFree = ServerSocketChannel.open()) {
            probeForFree.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            port = probeForFree.socket().getLocalPort();
        }
        {
            try (Listeners acceptor = new Listeners(List.of(port))) {
                TcpProbe probe = new TcpProbe();
                var task = Tasks.of(ProbeKind.TCP, "127.0.0.1", String.valueOf(port), Duration.ofSeconds(1));
                for (int i = 0; i < 2000; i++) { // warm-up: JIT
                    probe.run(task, CONTEXT);
                }
                long cpu0 = THREADS.getCurrentThreadCpuTime();
                long user0 = THREADS.getCurrentThreadUserTime();
                long t0 = System.nanoTime();
                int open = 0;
                String notOpen = "";
                for (int i = 0; i < rounds; i++) {
                    ProbeResult result = probe.run(task, CONTEXT);
                    if (result.outcome() == Outcome.OPEN) {
                        open++;
                    } else {
                        notOpen = " (not OPEN, e.g.: " + result.summary() + ")";
                    }
                }
                long wall = System.nanoTime() - t0;
                long cpu = THREADS.getCurrentThreadCpuTime() - cpu0;
                long user = THREADS.getCurrentThreadUserTime() - user0;
                System.out.printf(Locale.ROOT, "cpu per tcp probe (TcpProbe.run, connect + RST close, loopback, %d probes, %d OPEN):%n",
                        rounds, open);
                System.out.print(notOpen.isEmpty() ? "" : notOpen + "\n");
                System.out.printf(Locale.ROOT, "  %.1f us CPU per probe (%.1f us user, %.1f us system), %.1f us wall%n",
                        cpu / 1e3 / rounds, user / 1e3 / rounds, (cpu - user) / 1e3 / rounds, wall / 1e3 / rounds);
                InetSocketAddress target = new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
                for (int i = 0; i < 2000; i++) {
                    connectAndReset(target);
                }
                cpu0 = THREADS.getCurrentThreadCpuTime();
                user0 = THREADS.getCurrentThreadUserTime();
                for (int i = 0; i < rounds; i++) {
                    connectAndReset(target);
                }
                cpu = THREADS.getCurrentThreadCpuTime() - cpu0;
                user = THREADS.getCurrentThreadUserTime() - user0;
                System.out.printf(Locale.ROOT, "  floor, bare SocketChannel connect + RST close: %.1f us CPU (%.1f us user)%n",
                        cpu / 1e3 / rounds, user / 1e3 / rounds);
            }
        }
    }
}
