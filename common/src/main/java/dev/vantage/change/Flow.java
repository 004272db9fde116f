package dev.vantage.change;

import dev.vantage.wire.PortRange;

import java.util.List;

/**
 * The traffic a change is about, vendor-neutral: what a firewall rule, a port forward or an exemption must match.
 * Fields that do not apply to a change are null or empty.
 *
 * @param protocol             {@code tcp} or {@code udp}; null when the change covers both (a SIP ALG on UDP and TCP)
 * @param sources              the sources to admit (for {@code CLOSE_EXPOSURE} and {@code CLOSE_PORT}: those that may
 *                             still reach it)
 * @param publicAddress        the public address the traffic is sent to (port forwards, hairpin NAT, exposures)
 * @param publicPorts          the exact ports on the public address, e.g. only the missing sub-range of a range
 * @param internalAddress      the internal address of the destination role
 * @param internalPorts        the ports on the internal address (the same ports: the catalog knows no remapping)
 * @param refusedSources       the sources that were refused, as the probes used them (addresses)
 * @param destinationHosts     outbound destination names (egress changes)
 * @param destinationAddresses the addresses the probes reached them at, where known
 * @param destinationPorts     the ports on the destination hosts (egress changes)
 */
public record Flow(String protocol, Sources sources, String publicAddress, List<PortRange> publicPorts,
                   String internalAddress, List<PortRange> internalPorts, List<String> refusedSources,
                   List<String> destinationHosts, List<String> destinationAddresses, List<PortRange> destinationPorts) {
    public Flow {
        sources = sources == null ? Sources.NONE : sources;
        publicPorts = List.copyOf(publicPorts);
        internalPorts = List.copyOf(internalPorts);
        refusedSources = List.copyOf(refusedSources);
        destinationHosts = List.copyOf(destinationHosts);
        destinationAddresses = List.copyOf(destinationAddresses);
        destinationPorts = List.copyOf(destinationPorts);
    }
}
