package dev.vantage.change;

import dev.vantage.analysis.DiagnosisCode;
import dev.vantage.wire.PortRange;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * A change while it is being written: the facts of the checks that need it, merged. Checks of several vantages and
 * requirements that need the same change (the trunk's and the internet's RTP sweeps, the LAN's hairpin sweep of the
 * same missing sub-range) become one draft, with their requirements and evidence together. Mutable only while one
 * change request is written.
 */
final class Draft {
    final Device device;
    final ChangeKind kind;
    String protocol;
    String publicAddress;
    String internalAddress;
    /** The ports of the change (on the public address where there is one, the internal ports are the same). */
    List<PortRange> ports = new ArrayList<>();
    /** The ports the requirements document, to tell "the missing part of a range" from "a whole forward". */
    List<PortRange> documented = new ArrayList<>();
    boolean anySource;
    final Set<String> sourceRoles = new LinkedHashSet<>();
    final Set<String> sourceAddresses = new LinkedHashSet<>();
    final Set<String> refusedSources = new LinkedHashSet<>();
    final Set<String> hosts = new LinkedHashSet<>();
    final Set<String> hostAddresses = new LinkedHashSet<>();
    final Set<String> protocols = new LinkedHashSet<>();
    DnsRecord dns;
    final Set<String> requirements = new LinkedHashSet<>();
    final Set<DiagnosisCode> codes = new LinkedHashSet<>();
    final Set<String> vantages = new LinkedHashSet<>();
    final Set<String> reachedFrom = new LinkedHashSet<>();
    final Set<String> resultIds = new LinkedHashSet<>();
    String answeredWith;
    String issuer;

    Draft(Device device, ChangeKind kind, Finding f) {
        this.device = device;
        this.kind = kind;
        this.protocol = f.requirement().protocol() == dev.vantage.catalog.Protocol.DNS ? null : f.transport();
        if (protocol != null) {
            protocols.add(protocol);
        }
        requirements.add(f.requirement().id());
        if (f.code() != null) {
            codes.add(f.code());
        }
        vantages.add(f.vantage());
        reachedFrom.addAll(f.facts().reachedFrom());
        resultIds.addAll(f.resultIds());
        answeredWith = f.facts().answeredWith();
        issuer = f.facts().issuer();
        documented = new ArrayList<>(f.requirement().ports());
    }

    Draft ports(List<PortRange> ports) {
        this.ports = Ports.merge(ports);
        return this;
    }

    Draft addresses(String publicAddress, String internalAddress) {
        this.publicAddress = publicAddress;
        this.internalAddress = internalAddress;
        return this;
    }

    Draft sources(Sources s) {
        anySource |= s.any();
        sourceRoles.addAll(s.roles());
        sourceAddresses.addAll(s.addresses());
        return this;
    }

    Sources sources() {
        return new Sources(anySource, new ArrayList<>(sourceRoles), new ArrayList<>(sourceAddresses));
    }

    /** Whether {@code other} is the same change for the same device, so the two become one. */
    boolean sameChangeAs(Draft other) {
        if (!device.equals(other.device) || kind != other.kind) {
            return false;
        }
        boolean sameTraffic = Objects.equals(protocol, other.protocol) && Objects.equals(publicAddress, other.publicAddress)
                && Objects.equals(internalAddress, other.internalAddress);
        return switch (kind) {
            // one setting of the device, whatever ports it is seen on
            case ENABLE_HAIRPIN_NAT -> sameTraffic;
            case DISABLE_SIP_ALG, BYPASS_TLS_INSPECTION, BYPASS_PROXY, FIX_RETURN_ROUTE, IMPROVE_MEDIA_PATH, FIX_RESOLVER -> true;
            case ALLOW_OUTBOUND -> sameTraffic && ports.equals(other.ports) && sources().equals(other.sources());
            case ADD_RECORD, CORRECT_RECORD -> dns != null && other.dns != null && dns.name().equalsIgnoreCase(other.dns.name());
            default -> sameTraffic && Ports.overlap(ports, other.ports);
        };
    }

    /** Takes the facts and evidence of the same change seen by another check. */
    void absorb(Draft o) {
        List<PortRange> all = new ArrayList<>(ports);
        all.addAll(o.ports);
        ports = Ports.merge(all);
        List<PortRange> doc = new ArrayList<>(documented);
        doc.addAll(o.documented);
        documented = Ports.merge(doc);
        if (!Objects.equals(protocol, o.protocol)) {
            protocol = null;
        }
        protocols.addAll(o.protocols);
        anySource |= o.anySource;
        sourceRoles.addAll(o.sourceRoles);
        sourceAddresses.addAll(o.sourceAddresses);
        refusedSources.addAll(o.refusedSources);
        hosts.addAll(o.hosts);
        hostAddresses.addAll(o.hostAddresses);
        requirements.addAll(o.requirements);
        codes.addAll(o.codes);
        vantages.addAll(o.vantages);
        reachedFrom.addAll(o.reachedFrom);
        resultIds.addAll(o.resultIds);
        answeredWith = answeredWith != null ? answeredWith : o.answeredWith;
        issuer = issuer != null ? issuer : o.issuer;
    }

    /** The change, once its id and line are known; snippets come from the dialects. */
    Change change(String id, String line, Map<String, String> snippets) {
        Flow flow = dns != null ? null : new Flow(protocol, sources(), publicAddress, publicAddress == null ? List.of() : ports,
                internalAddress, internalAddress == null ? List.of() : ports, new ArrayList<>(refusedSources),
                new ArrayList<>(hosts), new ArrayList<>(hostAddresses), hosts.isEmpty() ? List.of() : ports);
        List<String> reached = new ArrayList<>(reachedFrom);
        reached.removeAll(vantages);
        return new Change(id, kind, line, flow, dns, new ArrayList<>(requirements), new Evidence(new ArrayList<>(codes),
                new ArrayList<>(vantages), reached, new ArrayList<>(resultIds), answeredWith, issuer), snippets);
    }
}
