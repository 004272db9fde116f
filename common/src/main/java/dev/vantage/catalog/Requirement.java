package dev.vantage.catalog;

import dev.vantage.wire.PortRange;

import java.util.List;
import java.util.stream.Collectors;

/**
 * One documented flow or property with a stable id.
 *
 * @param id          stable id, e.g. {@code inbound.sip-udp}
 * @param title       one line for people
 * @param refs        the document rows it comes from
 * @param direction   inbound, outbound or internal
 * @param protocol    tcp, udp, or dns (name resolution, no port)
 * @param ports       ports and ranges (empty for dns)
 * @param sources     roles the traffic comes from: the vantages that can prove it
 * @param destination where it goes
 * @param when        applicability (modules, topology)
 * @param expect      what must be observed
 * @param probes      the probe kinds that prove it
 * @param severity    how much a failure matters
 * @param responder   when the destination's agent must open a responder
 * @param media       media ports (RTP): the real service binds them per call, so after installation most are free
 *                    and a survey's media option may let the destination's responder take the free ones
 * @param note        the interpretation chosen where the document is ambiguous, or null
 */
public record Requirement(
        String id,
        String title,
        List<Ref> refs,
        Direction direction,
        Protocol protocol,
        List<PortRange> ports,
        List<String> sources,
        Destination destination,
        Conditions when,
        Expectation expect,
        List<ProbeSpec> probes,
        Severity severity,
        ResponderPolicy responder,
        boolean media,
        String note) {

    public Requirement {
        refs = List.copyOf(refs);
        ports = List.copyOf(ports);
        sources = List.copyOf(sources);
        probes = List.copyOf(probes);
    }

    /** Ports as written in the document: {@code 5060}, {@code 30000-34999}, {@code 80,443}; empty for dns. */
    public String portsText() {
        return ports.stream().map(PortRange::toString).collect(Collectors.joining(","));
    }
}
