package dev.vantage.catalog;

import dev.vantage.params.MalformedParamException;
import dev.vantage.params.ParamNames;
import dev.vantage.params.ProbeParams;
import dev.vantage.wire.PortRange;
import dev.vantage.wire.ProbeKind;
import dev.vantage.yaml.YamlNode;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Loads and validates catalogs. The bundled ones live in {@code catalogs/<name>.yaml} on the class
 * path; the format is described in {@code docs/catalog-format.md}. Everything a planner relies on is
 * checked here, so a catalog that loads can be planned: unknown keys, unknown roles or modules, probe
 * kinds that do not fit the protocol, duplicate ids, bad ports are all rejected with the file, the
 * field path and the value.
 */
public final class Catalogs {
    /** The catalogs bundled with Vantage, by name. */
    public static final List<String> BUNDLED = List.of("jtel-container-stack", "jtel-acd-legacy");

    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");
    private static final Pattern REQUIREMENT_ID = Pattern.compile("[a-z][a-z0-9-]*(\\.[a-z0-9-]+)+");
    private static final Pattern HOST = Pattern.compile(
            "(\\*\\.)?([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?\\.)+[A-Za-z]{2,63}");
    private static final Set<ProbeKind> TCP_KINDS = EnumSet.of(ProbeKind.TCP, ProbeKind.TCP_RANGE, ProbeKind.TLS,
            ProbeKind.HTTP, ProbeKind.SSH);
    private static final Set<ProbeKind> UDP_KINDS = EnumSet.of(ProbeKind.UDP, ProbeKind.UDP_RANGE, ProbeKind.RTP);

    private Catalogs() {
    }

    /**
     * Loads a bundled catalog.
     *
     * @throws CatalogException naming the name and the bundled catalogs when there is no such catalog
     */
    public static Catalog bundled(String name) {
        if (!BUNDLED.contains(name)) {
            throw new CatalogException(name, "", name, "no such catalog, known catalogs: " + String.join(", ", BUNDLED));
        }
        String resource = "catalogs/" + name + ".yaml";
        try (InputStream in = Catalogs.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("bundled catalog resource " + resource + " is missing from the build");
            }
            Catalog catalog = parse(resource, new String(in.readAllBytes(), StandardCharsets.UTF_8));
            if (!catalog.name().equals(name)) {
                throw new CatalogException(resource, "catalog", catalog.name(), "must be '" + name + "', the file name");
            }
            return catalog;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + resource, e);
        }
    }

    /**
     * Parses and validates a catalog.
     *
     * @param file name used in error messages
     * @throws CatalogException on the first problem found
     */
    public static Catalog parse(String file, String yaml) {
        YamlNode root = YamlNode.parse(file, yaml, CatalogException::new)
                .allowOnly("catalog", "title", "document", "roles", "modules", "requirements");
        String name = root.text("catalog");
        if (!NAME.matcher(name).matches()) {
            throw root.get("catalog").fail("'" + name + "' is not a catalog name: lower-case letters, digits and '-'");
        }
        Map<String, Role> roles = new LinkedHashMap<>();
        root.get("roles").entries().forEach((id, node) -> roles.put(id, role(id, node)));
        Map<String, String> modules = new LinkedHashMap<>();
        root.optional("modules").ifPresent(m -> m.entries().forEach((id, node) -> {
            if (!NAME.matcher(id).matches()) {
                throw node.fail("module id '" + id + "' must be lower-case letters, digits and '-'");
            }
            modules.put(id, node.text());
        }));
        List<Requirement> requirements = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        for (YamlNode item : root.get("requirements").items(false)) {
            Requirement r = requirement(item, roles, modules);
            if (!ids.add(r.id())) {
                throw item.get("id").fail("duplicate requirement id '" + r.id() + "'");
            }
            requirements.add(r);
        }
        if (requirements.isEmpty()) {
            throw root.get("requirements").fail("a catalog needs at least one requirement");
        }
        return new Catalog(name, root.text("title"), root.text("document"), roles, modules, requirements);
    }

    private static Role role(String id, YamlNode node) {
        if (!NAME.matcher(id).matches()) {
            throw node.fail("role id '" + id + "' must be lower-case letters, digits and '-'");
        }
        node.allowOnly("title", "zone", "refs");
        return new Role(id, node.text("title"), node.get("zone").oneOf(Zone.class, Zone::wireName), refs(node));
    }

    private static List<Ref> refs(YamlNode node) {
        List<Ref> refs = new ArrayList<>();
        for (YamlNode r : node.items("refs")) {
            r.allowOnly("table", "row");
            refs.add(new Ref(r.text("table"), r.text("row")));
        }
        return refs;
    }

    private static Requirement requirement(YamlNode item, Map<String, Role> roles, Map<String, String> modules) {
        String id = item.text("id");
        if (!REQUIREMENT_ID.matcher(id).matches()) {
            throw item.get("id").fail("'" + id + "' is not a requirement id: dotted lower-case words such as inbound.sip-udp");
        }
        YamlNode n = item.renamed("requirements[" + id + "]");
        n.allowOnly("id", "title", "refs", "direction", "protocol", "ports", "sources", "destination", "when",
                "expect", "probes", "severity", "responder", "media", "note");
        List<Ref> refs = refs(n);
        if (refs.isEmpty()) {
            throw n.fail("needs at least one entry in refs: the document row it comes from");
        }
        Protocol protocol = n.get("protocol").oneOf(Protocol.class, Protocol::wireName);
        List<PortRange> ports = n.optional("ports").map(YamlNode::ports).orElse(List.of());
        if (protocol == Protocol.DNS && !ports.isEmpty()) {
            throw n.get("ports").fail("a dns requirement has no ports");
        }
        if (protocol != Protocol.DNS && ports.isEmpty()) {
            throw n.fail("ports are required for protocol " + protocol.wireName());
        }
        List<String> sources = n.texts("sources");
        if (sources.isEmpty()) {
            throw n.fail("needs at least one source role");
        }
        for (int i = 0; i < sources.size(); i++) {
            if (!roles.containsKey(sources.get(i))) {
                throw n.get("sources").items(false).get(i).fail("unknown role '" + sources.get(i)
                        + "', the catalog's roles are " + String.join(", ", roles.keySet()));
            }
        }
        Destination destination = destination(n.get("destination"), roles, protocol);
        Conditions when = n.optional("when").map(w -> conditions(w, modules)).orElse(Conditions.ALWAYS);
        Expectation expect = n.get("expect").oneOf(Expectation.class, Expectation::wireName);
        ResponderPolicy responder = n.optional("responder")
                .map(r -> r.oneOf(ResponderPolicy.class, ResponderPolicy::wireName))
                .orElse(destination.isRole() ? ResponderPolicy.PRE_INSTALL : ResponderPolicy.NEVER);
        if (responder != ResponderPolicy.NEVER && !destination.isRole()) {
            throw n.get("responder").fail("only a role destination can open a responder");
        }
        boolean media = n.optional("media").map(YamlNode::bool).orElse(false);
        if (media && (responder == ResponderPolicy.NEVER || protocol != Protocol.UDP)) {
            throw n.get("media").fail("only udp ports of a role destination that opens a responder can be media ports");
        }
        List<ProbeSpec> probes = new ArrayList<>();
        for (YamlNode p : n.get("probes").items(false)) {
            ProbeSpec spec = probe(p, protocol, ports);
            plannable(p, spec, ports, expect, responder, media);
            probes.add(spec);
        }
        if (probes.isEmpty()) {
            throw n.get("probes").fail("needs at least one probe kind that proves it");
        }
        return new Requirement(id, n.text("title"), refs, n.get("direction").oneOf(Direction.class, Direction::wireName),
                protocol, ports, sources, destination, when, expect, probes,
                n.get("severity").oneOf(Severity.class, Severity::wireName), responder, media,
                n.optionalText("note").orElse(null));
    }

    private static Destination destination(YamlNode d, Map<String, Role> roles, Protocol protocol) {
        d.allowOnly("role", "address", "hosts", "match", "override", "name");
        int kinds = (d.has("role") ? 1 : 0) + (d.has("hosts") ? 1 : 0) + (d.has("name") ? 1 : 0);
        if (kinds != 1) {
            throw d.fail("needs exactly one of role, hosts or name");
        }
        if (d.has("role")) {
            String role = d.text("role");
            if (!roles.containsKey(role)) {
                throw d.get("role").fail("unknown role '" + role + "', the catalog's roles are "
                        + String.join(", ", roles.keySet()));
            }
            rejectUnless(d, false, "match", "override", "name");
            AddressChoice address = d.optional("address").map(a -> a.oneOf(AddressChoice.class, AddressChoice::wireName))
                    .orElse(AddressChoice.AUTO);
            return new Destination(role, address, List.of(), null, null, null);
        }
        rejectUnless(d, false, "address");
        if (d.has("name")) {
            if (protocol != Protocol.DNS) {
                throw d.get("name").fail("a name destination is for dns requirements; use hosts for " + protocol.wireName());
            }
            rejectUnless(d, false, "match", "override");
            String name = d.text("name");
            if (!HOST.matcher(name.replace("{fqdn}", "fqdn.example")).matches()) {
                throw d.get("name").fail("'" + name + "' is not a host name (use {fqdn} for the site's FQDN)");
            }
            return new Destination(null, null, List.of(), null, null, name);
        }
        List<YamlNode> hostNodes = d.get("hosts").items(true);
        List<String> hosts = new ArrayList<>();
        for (YamlNode h : hostNodes) {
            String host = h.text();
            if (!HOST.matcher(host).matches()) {
                throw h.fail("'" + host + "' is not a host name (a leading '*.' is allowed)");
            }
            hosts.add(host);
        }
        String override = d.optionalText("override").orElse(null);
        if (override != null && !NAME.matcher(override).matches()) {
            throw d.get("override").fail("'" + override + "' is not an override key: lower-case letters, digits and '-'");
        }
        if (override == null && hosts.stream().anyMatch(h -> h.startsWith("*."))) {
            throw d.get("hosts").fail("a wildcard host needs an override key, so a site can name the real host");
        }
        HostMatch match = d.optional("match").map(m -> m.oneOf(HostMatch.class, HostMatch::wireName)).orElse(HostMatch.ALL);
        return new Destination(null, null, hosts, match, override, null);
    }

    private static void rejectUnless(YamlNode d, boolean allowed, String... keys) {
        for (String k : keys) {
            if (!allowed && d.has(k)) {
                throw d.get(k).fail("'" + k + "' does not go with this kind of destination");
            }
        }
    }

    private static Conditions conditions(YamlNode w, Map<String, String> modules) {
        w.allowOnly("modules", "topology");
        List<YamlNode> items = w.optional("modules").map(m -> m.items(true)).orElse(List.of());
        List<String> needed = new ArrayList<>();
        for (YamlNode m : items) {
            String module = m.text();
            if (!modules.containsKey(module)) {
                throw m.fail("unknown module '" + module + "', the catalog's modules are "
                        + String.join(", ", new TreeSet<>(modules.keySet())));
            }
            needed.add(module);
        }
        Topology topology = w.optional("topology").map(t -> t.oneOf(Topology.class, Topology::wireName)).orElse(null);
        return new Conditions(needed, topology);
    }

    private static ProbeSpec probe(YamlNode p, Protocol protocol, List<PortRange> ports) {
        if (!p.isMapping()) {
            return new ProbeSpec(kind(p, protocol), null, Map.of(), null);
        }
        p.allowOnly("kind", "mode", "params", "timeout");
        ProbeKind kind = kind(p.get("kind"), protocol);
        Mode mode = p.optional("mode").map(m -> m.oneOf(Mode.class, Mode::wireName)).orElse(null);
        Map<String, String> params = new LinkedHashMap<>();
        p.optional("params").ifPresent(ps -> ps.entries().forEach((k, v) -> {
            if (!ParamNames.CATALOG_SETTABLE.contains(k)) {
                throw v.fail("unknown or planner-owned task parameter '" + k + "', a catalog may set "
                        + String.join(", ", new TreeSet<>(ParamNames.CATALOG_SETTABLE)));
            }
            params.put(k, v.text());
        }));
        Duration timeout = p.optional("timeout").map(YamlNode::duration).orElse(null);
        ProbeSpec spec = new ProbeSpec(kind, mode, params, timeout);
        // read the parameters as the planner will, with the kind it plans on each port range
        Map<String, String> asPlanned = new LinkedHashMap<>();
        params.forEach((k, v) -> asPlanned.put(k, v.replace("{fqdn}", "fqdn.example")));
        for (ProbeKind planned : plannedKinds(spec, ports)) {
            try {
                ProbeParams.of(planned, asPlanned, timeout);
            } catch (MalformedParamException e) {
                YamlNode at = p.optional("params").flatMap(ps -> ps.optional(e.field()))
                        .or(() -> p.optional(e.field())).orElse(p);
                throw at.fail(e.getMessage());
            }
        }
        return spec;
    }

    private static Set<ProbeKind> plannedKinds(ProbeSpec spec, List<PortRange> ports) {
        Set<ProbeKind> kinds = EnumSet.noneOf(ProbeKind.class);
        if (ports.isEmpty()) {
            kinds.add(spec.kindOn(null));
        }
        ports.forEach(range -> kinds.add(spec.kindOn(range)));
        return kinds;
    }

    /**
     * The parameters the planner adds must fit the kind: {@code responder} where a responder answers the probe,
     * {@code expectState} where the port must be blocked.
     */
    private static void plannable(YamlNode p, ProbeSpec spec, List<PortRange> ports, Expectation expect,
                                  ResponderPolicy responder, boolean media) {
        boolean meetsResponder = responder == ResponderPolicy.ALWAYS
                || (responder == ResponderPolicy.PRE_INSTALL && spec.runsIn(Mode.PRE_INSTALL))
                || (media && spec.runsIn(Mode.POST_INSTALL)); // the media option's responder after installation
        for (ProbeKind planned : plannedKinds(spec, ports)) {
            if (meetsResponder && !ProbeParams.takesResponder(planned)) {
                throw p.fail("a " + planned.wireName() + " probe cannot be answered by the responder this requirement"
                        + " opens" + (responder == ResponderPolicy.ALWAYS ? "; set responder: never"
                        : " before installation; add mode: post-install or set responder: never"));
            }
            if (expect == Expectation.BLOCKED && !ProbeParams.takesExpectState(planned)) {
                throw p.fail("a " + planned.wireName() + " probe cannot prove a port is blocked; use tcp or udp");
            }
        }
    }

    private static ProbeKind kind(YamlNode node, Protocol protocol) {
        ProbeKind kind;
        try {
            kind = ProbeKind.fromWireName(node.text());
        } catch (IllegalArgumentException e) {
            throw node.fail(e.getMessage());
        }
        boolean fits = switch (kind) {
            case DNS -> protocol == Protocol.DNS;
            case SIP, NAT -> protocol != Protocol.DNS;
            case RESPOND, CLOSE -> false;
            default -> TCP_KINDS.contains(kind) ? protocol == Protocol.TCP : UDP_KINDS.contains(kind) && protocol == Protocol.UDP;
        };
        if (!fits) {
            throw node.fail(switch (kind) {
                case RESPOND -> "respond tasks are added by the planner, not listed in a catalog";
                case CLOSE -> "close is what the coordinator sends when a survey completes, not a probe of a catalog";
                default -> "probe kind " + kind.wireName() + " does not fit protocol " + protocol.wireName();
            });
        }
        return kind;
    }
}
