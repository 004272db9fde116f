package dev.vantage.agent.testing;

import dev.vantage.agent.cli.CheckCommand;
import dev.vantage.agent.probe.ProbeRegistry;
import dev.vantage.agent.probe.StuckProbe;
import dev.vantage.wire.ProbeKind;
import picocli.CommandLine;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.Arrays;

/**
 * Runs {@code check} without Quarkus (every probe built directly), for a check inside a lab namespace. With
 * {@code --stuck KIND} first, the probe of that kind is a {@link StuckProbe} hanging on a peer of this process
 * that never speaks.
 */
public final class CheckMain {
    private CheckMain() {
    }

    public static void main(String[] args) throws IOException {
        ProbeRegistry probes = AllProbes.registry();
        String[] checkArgs = args;
        ServerSocket silent = null;
        if (args.length >= 2 && args[0].equals("--stuck")) {
            silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
            probes = AllProbes.with(new StuckProbe(ProbeKind.fromWireName(args[1]),
                    (InetSocketAddress) silent.getLocalSocketAddress()));
            checkArgs = Arrays.copyOfRange(args, 2, args.length);
        }
        int exit = new CommandLine(new CheckCommand(probes)).execute(checkArgs);
        System.exit(exit);
    }
}
