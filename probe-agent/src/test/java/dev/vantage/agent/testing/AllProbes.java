package dev.vantage.agent.testing;

import dev.vantage.agent.probe.DnsProbe;
import dev.vantage.agent.probe.HttpProbe;
import dev.vantage.agent.probe.NatProbe;
import dev.vantage.agent.probe.Probe;
import dev.vantage.agent.probe.ProbeRegistry;
import dev.vantage.agent.probe.RespondProbe;
import dev.vantage.agent.probe.RtpProbe;
import dev.vantage.agent.probe.SipProbe;
import dev.vantage.agent.probe.SshProbe;
import dev.vantage.agent.probe.TcpProbe;
import dev.vantage.agent.probe.TcpRangeProbe;
import dev.vantage.agent.probe.TlsProbe;
import dev.vantage.agent.probe.UdpProbe;
import dev.vantage.agent.probe.UdpRangeProbe;

import java.util.ArrayList;
import java.util.List;

/** Every probe of the agent, built without CDI, for the test mains that run inside a lab namespace. */
final class AllProbes {
    private AllProbes() {
    }

    static ProbeRegistry registry() {
        return new ProbeRegistry(all());
    }

    /** Every probe, {@code replacement} instead of the real one of its kind. */
    static ProbeRegistry with(Probe replacement) {
        List<Probe> probes = new ArrayList<>(all());
        probes.removeIf(p -> p.kind() == replacement.kind());
        probes.add(replacement);
        return new ProbeRegistry(probes);
    }

    private static List<Probe> all() {
        return List.of(new TcpProbe(), new UdpProbe(), new TcpRangeProbe(), new UdpRangeProbe(), new DnsProbe(),
                new TlsProbe(), new HttpProbe(), new SshProbe(), new SipProbe(), new RtpProbe(), new NatProbe(),
                new RespondProbe());
    }
}
