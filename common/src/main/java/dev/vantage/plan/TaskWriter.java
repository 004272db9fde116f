package dev.vantage.plan;

import dev.vantage.catalog.Catalog;
import dev.vantage.catalog.Expectation;
import dev.vantage.catalog.ProbeSpec;
import dev.vantage.catalog.Protocol;
import dev.vantage.catalog.Requirement;
import dev.vantage.params.DnsParams;
import dev.vantage.params.ExpectState;
import dev.vantage.params.HttpParams;
import dev.vantage.params.PortParams;
import dev.vantage.params.ProbeParams;
import dev.vantage.params.ResponderAware;
import dev.vantage.params.SipParams;
import dev.vantage.params.TlsParams;
import dev.vantage.params.Transport;
import dev.vantage.site.Address;
import dev.vantage.site.Site;
import dev.vantage.wire.PortRange;
import dev.vantage.wire.ProbeKind;
import dev.vantage.wire.ProbeTask;
import dev.vantage.wire.Wire;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * Writes the tasks of one site: the catalog's parameters of a probe ({@code {fqdn}} replaced) read into the
 * record of the planned kind, completed with what the planner decides (responder, blocked, public, server name,
 * scheme and path, the site's own hosts for HTTP, DNS record and expected answer), and a task id derived from all
 * of it.
 */
final class TaskWriter {
    private final Site site;
    /** The site's own names: its FQDN and the names the catalog's DNS requirements check ({@code vscode.{fqdn}}). */
    private final List<String> siteNames;

    TaskWriter(Catalog catalog, Site site) {
        this.site = site;
        Set<String> names = new LinkedHashSet<>();
        names.add(site.fqdn().toLowerCase(Locale.ROOT));
        for (Requirement r : catalog.requirements()) {
            String name = r.destination().name();
            if (name != null && name.contains("{fqdn}")) {
                names.add(name.replace("{fqdn}", site.fqdn()).toLowerCase(Locale.ROOT));
            }
        }
        this.siteNames = List.copyOf(names);
    }

    /**
     * The tasks of one catalog probe from one source to one target: one per port range ({@code tcp}/{@code udp}
     * on a range become {@code tcp-range}/{@code udp-range}; streams and handshakes go to the first port), or
     * one per record type for dns.
     */
    List<ProbeTask> probes(Requirement r, String source, ProbeSpec spec, String target, Integer portOverride,
                           boolean responder) {
        if (r.protocol() == Protocol.DNS) {
            return dns(r, source, spec, target);
        }
        List<ProbeTask> tasks = new ArrayList<>();
        List<PortRange> ranges = portOverride == null ? r.ports() : List.of(PortRange.of(portOverride));
        for (PortRange range : ranges) {
            ProbeKind kind = spec.kindOn(range);
            PortRange ports = isRange(kind) ? range : PortRange.of(range.first());
            ProbeParams p = ProbeParams.of(kind, catalogParams(spec), spec.timeout());
            if (responder) {
                p = as(ResponderAware.class, p, r).withResponder(true);
            }
            if (r.expect() == Expectation.BLOCKED) {
                p = as(PortParams.class, p, r).withExpectState(ExpectState.BLOCKED);
            }
            tasks.add(task(r.id(), source, withServerName(p, r, target, ports), target, ports));
        }
        return tasks;
    }

    private static boolean isRange(ProbeKind kind) {
        return kind == ProbeKind.TCP_RANGE || kind == ProbeKind.UDP_RANGE;
    }

    /**
     * TLS of every kind sends the name the stack is known by (its FQDN when probed at an address); an external
     * destination must present a publicly rooted chain, anything else is inspection.
     */
    private ProbeParams withServerName(ProbeParams p, Requirement r, String target, PortRange ports) {
        String serverName = isAddress(target) ? site.fqdn() : target;
        if (p instanceof TlsParams tls) {
            TlsParams named = tls.sni() == null ? tls.withSni(serverName) : tls;
            return r.destination().isHosts() ? named.withPublicDestination(true) : named;
        }
        if (p instanceof HttpParams http) {
            HttpParams explicit = http.withDefaults(ports);
            if (r.destination().isRole() && explicit.siteHosts().isEmpty()) {
                explicit = explicit.withSiteHosts(siteHosts(r.destination().role()));
            }
            return explicit.schemeFor(ports) == HttpParams.Scheme.HTTPS && explicit.sni() == null
                    ? explicit.withSni(serverName) : explicit;
        }
        if (p instanceof SipParams sip && sip.transportOrDefault() == Transport.TLS
                && sip.sni() == null) {
            return sip.withSni(serverName);
        }
        return p;
    }

    /**
     * The hosts an HTTP answer of a role of the site may redirect to without being a proxy sign: the site's names,
     * the role's addresses, inside and public (single addresses and host names, not blocks), and the addresses
     * the FQDN resolves to inside and outside (the analysis judges an older result's redirect by the same hosts).
     */
    private List<String> siteHosts(String role) {
        Set<String> hosts = new LinkedHashSet<>(siteNames);
        site.dnsInternal().forEach(a -> hosts.add(a.toLowerCase(Locale.ROOT)));
        site.dnsExternal().forEach(a -> hosts.add(a.toLowerCase(Locale.ROOT)));
        site.role(role).ifPresent(sr -> {
            for (Address a : sr.addresses()) {
                if (a.isTarget()) {
                    hosts.add(a.text().toLowerCase(Locale.ROOT));
                }
            }
            for (Address a : sr.public_()) {
                if (a.isTarget()) {
                    hosts.add(a.text().toLowerCase(Locale.ROOT));
                }
            }
        });
        return List.copyOf(hosts);
    }

    private List<ProbeTask> dns(Requirement r, String source, ProbeSpec spec, String name) {
        List<String> expected = switch (r.expect()) {
            case RESOLVES_INTERNAL -> site.dnsInternal();
            case RESOLVES_EXTERNAL -> site.dnsExternal();
            default -> List.of();
        };
        List<String> v4 = expected.stream().filter(a -> !a.contains(":")).toList();
        List<String> v6 = expected.stream().filter(a -> a.contains(":")).toList();
        Map<DnsParams.RecordType, List<String>> byRecord = new LinkedHashMap<>();
        if (!v4.isEmpty() || v6.isEmpty()) {
            byRecord.put(DnsParams.RecordType.A, v4);
        }
        if (!v6.isEmpty()) {
            byRecord.put(DnsParams.RecordType.AAAA, v6);
        }
        DnsParams base = DnsParams.of(catalogParams(spec), spec.timeout());
        List<ProbeTask> tasks = new ArrayList<>();
        byRecord.forEach((record, addresses) -> {
            DnsParams p = base.record() == null ? base.withRecord(record) : base;
            tasks.add(task(r.id(), source, addresses.isEmpty() ? p : p.withExpect(addresses), name, null));
        });
        return tasks;
    }

    private Map<String, String> catalogParams(ProbeSpec spec) {
        Map<String, String> params = new TreeMap<>();
        spec.params().forEach((k, v) -> params.put(k, v.replace("{fqdn}", site.fqdn())));
        return params;
    }

    /** A task whose id is derived from everything that makes it what it is, so re-planning gives the same id. */
    ProbeTask task(String requirementId, String vantage, ProbeParams params, String target, PortRange ports) {
        Map<String, String> wire = new TreeMap<>(params.toParams());
        String key = String.join("|", site.id(), requirementId, vantage, params.kind().wireName(), target,
                ports == null ? "" : ports.toString(),
                wire.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining("&")));
        String id = UUID.nameUUIDFromBytes(key.getBytes(StandardCharsets.UTF_8)).toString();
        return new ProbeTask(Wire.SCHEMA_VERSION, id, null, site.id(), vantage, null, requirementId, params.kind(),
                target, ports, wire, params.timeout());
    }

    /** The catalog loader rules out the combinations that fail here; one that gets through is a bug. */
    private static <T> T as(Class<T> type, ProbeParams p, Requirement r) {
        if (!type.isInstance(p)) {
            throw new IllegalStateException("requirement " + r.id() + ": " + p.kind().wireName()
                    + " tasks take no " + (type == PortParams.class ? "expectState" : "responder")
                    + "; the catalog should have been refused");
        }
        return type.cast(p);
    }

    private static boolean isAddress(String target) {
        return target.contains(":") || target.matches("[0-9.]+");
    }
}
