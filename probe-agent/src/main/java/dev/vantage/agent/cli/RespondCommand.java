package dev.vantage.agent.cli;

import dev.vantage.agent.responder.Responder;
import dev.vantage.agent.responder.ResponderException;
import dev.vantage.agent.responder.SipUas;
import dev.vantage.params.Durations;
import dev.vantage.wire.PortRange;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * {@code respond}: opens a responder window on exactly the ports given, prints what it listens on,
 * and exits 0 when the window has passed. Bad input is exit code 2 naming the value; a port that
 * cannot be opened is exit code 1 naming the port and what to do.
 */
@Command(name = "respond",
        mixinStandardHelpOptions = true,
        description = {
                "Listen for a bounded window on exactly the ports given, so other vantages can probe this host.",
                "",
                "TCP accept (answers with one identifying line), UDP echo (answers only Vantage datagrams that "
                        + "carry a nonce, never with more bytes than received), RTP reflector, and a SIP UAS that "
                        + "answers OPTIONS with the request exactly as it arrived (so a SIP ALG on the path shows up). "
                        + "Ports below 1024 need CAP_NET_BIND_SERVICE. Each port is one socket: raise the open-file "
                        + "limit (ulimit -n) for large ranges."})
public class RespondCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--tcp", paramLabel = "PORTS", description = "TCP ports to accept on, e.g. 22,443,5060,30000-34999")
    String tcp;

    @Option(names = "--udp", paramLabel = "PORTS", description = "UDP ports to echo on")
    String udp;

    @Option(names = "--rtp", paramLabel = "PORTS", description = "UDP ports to reflect RTP on")
    String rtp;

    @Option(names = "--sip", paramLabel = "PORT",
            description = "SIP UAS on this port, UDP and TCP (e.g. 5060); must not also be in --tcp/--udp/--rtp")
    Integer sip;

    @Option(names = "--duration", paramLabel = "D", required = true,
            description = "how long to listen, e.g. 90s, 15m, PT1H (at most 24h)")
    String duration;

    @Option(names = "--bind", paramLabel = "ADDR", description = "local address to listen on (default: all)")
    String bind;

    @Option(names = "--agent", paramLabel = "NAME", defaultValue = "${env:HOSTNAME:-vantage-agent}",
            description = "name written in the TCP line (default: $HOSTNAME)")
    String agent;

    @Override
    public Integer call() {
        List<PortRange> tcpPorts = ports("--tcp", tcp);
        List<PortRange> udpPorts = ports("--udp", udp);
        List<PortRange> rtpPorts = ports("--rtp", rtp);
        if (tcpPorts.isEmpty() && udpPorts.isEmpty() && rtpPorts.isEmpty() && sip == null) {
            throw new ParameterException(spec.commandLine(), "nothing to listen on: give --tcp, --udp, --rtp or --sip");
        }
        overlap("--udp", udpPorts, "--rtp", rtpPorts);
        if (sip != null) {
            PortRange sipPort;
            try {
                sipPort = PortRange.of(sip);
            } catch (IllegalArgumentException e) {
                throw new ParameterException(spec.commandLine(), "--sip: " + e.getMessage());
            }
            overlap("--sip", List.of(sipPort), "--tcp", tcpPorts);
            overlap("--sip", List.of(sipPort), "--udp", udpPorts);
            overlap("--sip", List.of(sipPort), "--rtp", rtpPorts);
        }
        Duration window;
        try {
            window = Durations.parse(duration);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), "--duration: " + e.getMessage());
        }
        if (window.compareTo(Duration.ofHours(24)) > 0) {
            throw new ParameterException(spec.commandLine(), "--duration " + duration + " is longer than 24h");
        }
        InetAddress address = null;
        if (bind != null) {
            try {
                address = InetAddress.getByName(bind.strip());
            } catch (UnknownHostException e) {
                throw new ParameterException(spec.commandLine(), "--bind " + bind + " is not an address of this host");
            }
        }
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        SipUas sipUas = null;
        if (sip != null) {
            try {
                sipUas = new SipUas(address, sip, EnumSet.allOf(SipUas.Transport.class), window).start();
            } catch (IOException e) {
                err.println("respond: SIP UAS on port " + sip + ": " + e.getMessage());
                err.flush();
                return 1;
            }
        }
        Responder responder;
        try {
            responder = Responder.open(new Responder.Config(address, tcpPorts, udpPorts, rtpPorts, window, agent));
        } catch (ResponderException e) {
            if (sipUas != null) {
                sipUas.close();
            }
            err.println("respond: " + e.getMessage());
            err.flush();
            return 1;
        }
        Instant until = Instant.now().plus(window).truncatedTo(ChronoUnit.SECONDS);
        out.println("responder listening for " + duration + " (until " + DateTimeFormatter.ISO_INSTANT.format(until) + "):");
        for (String line : responder.describe()) {
            out.println("  " + line);
        }
        if (sipUas != null) {
            out.println("  sip " + sipUas.port() + " (udp, tcp): OPTIONS answered with the request as received");
        }
        out.flush();
        try {
            responder.serve();
        } finally {
            if (sipUas != null) {
                sipUas.close();
            }
        }
        out.printf(Locale.ROOT, "responder window closed: %d tcp connections, %d udp echoes, %d rtp packets reflected,"
                        + " %d ignored%n", responder.tcpAccepted(), responder.udpAnswered(), responder.rtpReflected(),
                responder.ignored());
        out.flush();
        return 0;
    }

    private List<PortRange> ports(String option, String text) {
        List<PortRange> ranges = new ArrayList<>();
        if (text == null) {
            return ranges;
        }
        for (String part : text.split(",")) {
            try {
                ranges.add(PortRange.parse(part));
            } catch (IllegalArgumentException e) {
                throw new ParameterException(spec.commandLine(), option + " " + text + ": " + e.getMessage());
            }
        }
        ranges.sort(null);
        for (int i = 1; i < ranges.size(); i++) {
            if (ranges.get(i).first() <= ranges.get(i - 1).last()) {
                throw new ParameterException(spec.commandLine(), option + " " + text + ": " + ranges.get(i - 1)
                        + " and " + ranges.get(i) + " overlap");
            }
        }
        return ranges;
    }

    private void overlap(String a, List<PortRange> as, String b, List<PortRange> bs) {
        for (PortRange x : as) {
            for (PortRange y : bs) {
                if (x.first() <= y.last() && y.first() <= x.last()) {
                    throw new ParameterException(spec.commandLine(), a + " " + x + " and " + b + " " + y
                            + " overlap: a UDP port is either an echo or an RTP reflector");
                }
            }
        }
    }
}
