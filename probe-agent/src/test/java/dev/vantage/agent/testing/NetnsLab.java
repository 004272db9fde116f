package dev.vantage.agent.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * A throw-away network namespace reached from the root namespace through a veth pair:
 * {@code 10.201.x.1/30} here, {@code 10.201.x.2/30} inside, where nftables rules and a responder
 * process play the target. Names start with {@code vtn-}; {@link #close()} removes everything.
 * The test JVM stays in the root namespace and probes {@link #labAddress}.
 *
 * <p>A {@link #loopbackOnly()} namespace has nothing but its loopback interface: no route anywhere. Probes
 * run inside it, in a JVM started there ({@link #runJava}), with its own resolver configuration
 * ({@link #resolvConf}) and nftables rules ({@link #nft}).
 */
public final class NetnsLab implements AutoCloseable {
    public final String namespace;
    public final String hostAddress;
    public final String labAddress;
    private final String hostLink;
    /** Where {@code ip netns exec} finds the namespace's own resolv.conf. */
    private final Path etc;
    private final List<Process> processes = new ArrayList<>();
    private final Thread cleanup = new Thread(this::removeQuietly, "vtn-cleanup");

    private NetnsLab(String id, int subnet) {
        this.namespace = "vtn-" + id;
        this.hostLink = subnet == 0 ? null : "vtn" + id + "h";
        this.hostAddress = subnet == 0 ? null : "10.201." + subnet + ".1";
        this.labAddress = subnet == 0 ? null : "10.201." + subnet + ".2";
        this.etc = Path.of("/etc/netns", namespace);
    }

    /** Why a lab cannot be built here (not root, no ip or nft), or null when it can. */
    public static String unavailable() {
        try {
            if (!"0".equals(output("id", "-u").strip())) {
                return "network-namespace tests need root (they create namespaces, veth pairs and nftables rules)";
            }
            if (run("ip", "-V") != 0) {
                return "the 'ip' command (iproute2) is missing";
            }
            if (run("nft", "--version") != 0) {
                return "the 'nft' command (nftables) is missing";
            }
            return null;
        } catch (IOException e) {
            return "cannot run ip/nft: " + e.getMessage();
        }
    }

    public static NetnsLab create() throws IOException {
        String addresses = output("ip", "-o", "-4", "addr", "show");
        int subnet;
        do {
            subnet = ThreadLocalRandom.current().nextInt(1, 255);
        } while (addresses.contains("10.201." + subnet + "."));
        String id = Integer.toHexString(ThreadLocalRandom.current().nextInt(0x100000, 0xFFFFFF));
        NetnsLab lab = new NetnsLab(id, subnet);
        Runtime.getRuntime().addShutdownHook(lab.cleanup);
        try {
            String peer = "vtn" + id + "n";
            lab.must("ip", "netns", "add", lab.namespace);
            lab.must("ip", "link", "add", lab.hostLink, "type", "veth", "peer", "name", peer, "netns", lab.namespace);
            lab.must("ip", "addr", "add", lab.hostAddress + "/30", "dev", lab.hostLink);
            lab.must("ip", "link", "set", lab.hostLink, "up");
            lab.must("ip", "-n", lab.namespace, "addr", "add", lab.labAddress + "/30", "dev", peer);
            lab.must("ip", "-n", lab.namespace, "link", "set", peer, "up");
            lab.must("ip", "-n", lab.namespace, "link", "set", "lo", "up");
            // the kernel rate-limits ICMP errors (1/s per peer after a burst); a sweep needs every one
            lab.must("ip", "netns", "exec", lab.namespace, "sysctl", "-qw", "net.ipv4.icmp_ratelimit=0",
                    "net.ipv4.icmp_msgs_per_sec=1000000", "net.ipv4.icmp_msgs_burst=1000000");
            return lab;
        } catch (IOException | RuntimeException e) {
            lab.close();
            throw e;
        }
    }

    /** A namespace with only its loopback interface (up): every address but its own is without a route. */
    public static NetnsLab loopbackOnly() throws IOException {
        String id = Integer.toHexString(ThreadLocalRandom.current().nextInt(0x100000, 0xFFFFFF));
        NetnsLab lab = new NetnsLab(id, 0);
        Runtime.getRuntime().addShutdownHook(lab.cleanup);
        try {
            lab.must("ip", "netns", "add", lab.namespace);
            lab.must("ip", "-n", lab.namespace, "link", "set", "lo", "up");
            return lab;
        } catch (IOException | RuntimeException e) {
            lab.close();
            throw e;
        }
    }

    /**
     * Gives the processes started in the namespace this resolv.conf: {@code ip netns exec} mounts
     * {@code /etc/netns/NAME/resolv.conf} over {@code /etc/resolv.conf}.
     */
    public void resolvConf(String content) throws IOException {
        Files.createDirectories(etc);
        Files.writeString(etc.resolve("resolv.conf"), content);
    }

    /** Replaces the namespace's nftables ruleset with this one ({@code nft -f} syntax). */
    public void nft(String ruleset) throws IOException {
        must("ip", "netns", "exec", namespace, "nft", "flush", "ruleset");
        Process p = new ProcessBuilder("ip", "netns", "exec", namespace, "nft", "-f", "-").redirectErrorStream(true).start();
        try (OutputStream in = p.getOutputStream()) {
            in.write(ruleset.getBytes(StandardCharsets.UTF_8));
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (waitFor(p) != 0) {
            throw new IOException("nft rejected the ruleset: " + out + "\n" + ruleset);
        }
    }

    /**
     * Starts {@code respond} with these arguments in a JVM inside the namespace and returns once it
     * prints that it listens.
     */
    public void startResponder(String... args) throws IOException {
        startUntil(new ProcessBuilder(respondCommand(List.of(), args)).redirectErrorStream(true).start(),
                "responder listening");
    }

    private void startUntil(Process p, String ready) throws IOException {
        synchronized (this) {
            processes.add(p);
        }
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        StringBuilder seen = new StringBuilder();
        String line;
        while ((line = out.readLine()) != null) {
            seen.append(line).append('\n');
            if (line.startsWith(ready)) {
                Thread drain = new Thread(() -> {
                    try {
                        out.transferTo(java.io.Writer.nullWriter());
                    } catch (IOException e) {
                        // the process ended
                    }
                });
                drain.setDaemon(true);
                drain.start();
                return;
            }
        }
        throw new IOException("the process in " + namespace + " did not print '" + ready + "':\n" + seen);
    }

    /**
     * Runs {@code main} of the test classpath in a JVM inside the namespace, with {@code input} on its standard
     * input, and waits for its end (interruptibly: an interrupted wait kills it). Output and errors are returned
     * together.
     */
    public Finished runJava(Class<?> main, String input, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("ip", "netns", "exec", namespace));
        command.addAll(javaCommand(main));
        command.addAll(List.of(args));
        Path output = Files.createTempFile(namespace, ".out");
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile()).start();
            synchronized (this) {
                processes.add(p);
            }
            try (OutputStream in = p.getOutputStream()) {
                in.write(input.getBytes(StandardCharsets.UTF_8));
            }
            int exit;
            try {
                exit = p.waitFor();
            } catch (InterruptedException e) {
                p.destroyForcibly();
                throw e;
            }
            return new Finished(exit, Files.readString(output, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(output);
        }
    }

    /**
     * Starts {@code main} of the test classpath in a JVM inside the namespace and returns once it prints a line
     * starting with {@code ready}; it runs until the lab is closed.
     */
    public void startJava(Class<?> main, String ready, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of("ip", "netns", "exec", namespace));
        command.addAll(javaCommand(main));
        command.addAll(List.of(args));
        startUntil(new ProcessBuilder(command).redirectErrorStream(true).start(), ready);
    }

    /** Exit code and output of a process that ran to its end. */
    public record Finished(int exitCode, String output) {
    }

    /**
     * Runs {@code respond} to its end inside the namespace with CAP_NET_BIND_SERVICE dropped from the
     * process (as an unprivileged agent would run); the namespace keeps the kernel's default of
     * privileged ports below 1024 whatever the host's setting.
     */
    public Finished respondWithoutBindCapability(String... args) throws IOException {
        return respondWrapped(List.of("setpriv", "--bounding-set=-net_bind_service"), args);
    }

    /** Runs {@code respond} to its end inside the namespace, launched through a wrapper such as {@code prlimit}. */
    public Finished respondWrapped(List<String> wrapper, String... args) throws IOException {
        Process p = new ProcessBuilder(respondCommand(wrapper, args)).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        return new Finished(waitFor(p), out);
    }

    private List<String> respondCommand(List<String> wrapper, String... args) {
        List<String> command = new ArrayList<>(List.of("ip", "netns", "exec", namespace));
        command.addAll(wrapper);
        command.addAll(javaCommand(ResponderMain.class));
        command.addAll(List.of(args));
        return command;
    }

    /** The command that runs {@code main} in a JVM of its own with the tests' class path. */
    public static List<String> javaCommand(Class<?> main) {
        String javaCommand = ProcessHandle.current().info().command().orElse(System.getProperty("java.home") + "/bin/java");
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        return List.of(javaCommand, "-Xshare:auto", "-XX:TieredStopAtLevel=1", "-cp", classpath, main.getName());
    }

    @Override
    public void close() {
        removeQuietly();
        try {
            Runtime.getRuntime().removeShutdownHook(cleanup);
        } catch (IllegalStateException e) {
            // already shutting down: the hook runs anyway
        }
    }

    private synchronized void removeQuietly() {
        for (Process p : processes) {
            p.destroyForcibly();
            waitFor(p);
        }
        processes.clear();
        try {
            run("ip", "netns", "del", namespace);
            if (hostLink != null) {
                run("ip", "link", "del", hostLink);
            }
            if (Files.isDirectory(etc)) {
                try (var files = Files.walk(etc)) {
                    for (Path f : files.sorted(Comparator.reverseOrder()).toList()) {
                        Files.deleteIfExists(f);
                    }
                }
            }
        } catch (IOException e) {
            System.err.println("could not remove lab namespace " + namespace + ": " + e.getMessage());
        }
    }

    private void must(String... command) throws IOException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (waitFor(p) != 0) {
            throw new IOException(String.join(" ", command) + " failed: " + out.strip());
        }
    }

    private static int run(String... command) throws IOException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        return waitFor(p);
    }

    private static String output(String... command) throws IOException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        waitFor(p);
        return out;
    }

    private static int waitFor(Process p) {
        try {
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return -1;
            }
            return p.exitValue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            p.destroyForcibly();
            return -1;
        }
    }
}
