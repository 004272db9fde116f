package dev.vantage.site;

import dev.vantage.catalog.Catalog;
import dev.vantage.catalog.CatalogException;
import dev.vantage.catalog.Catalogs;
import dev.vantage.catalog.Requirement;
import dev.vantage.catalog.Topology;
import dev.vantage.catalog.Zone;
import dev.vantage.yaml.YamlNode;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.charset.CharacterCodingException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Reads and validates site files. A site is checked against its catalog, so every role, module and
 * destination override it names exists; the first problem found is thrown as a
 * {@link SiteFileException} naming the file, the field path and the value.
 */
public final class Sites {
    /** Site and agent ids end up in Kafka topic names and keys: letters, digits, '.', '_', '-'. */
    private static final Pattern TOPIC_SAFE = Pattern.compile("[A-Za-z0-9._-]{1,200}");
    private static final Pattern FQDN = Pattern.compile(
            "([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?\\.)+[A-Za-z]{2,63}\\.?");

    private Sites() {
    }

    /** Reads a site file and checks it against the bundled catalog it names. */
    public static Site load(Path file) {
        String name = file.toString();
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new SiteFileException(name, "", null, "no such file");
        } catch (CharacterCodingException e) {
            throw new SiteFileException(name, "", null, "not UTF-8 text");
        } catch (IOException e) {
            throw new SiteFileException(name, "", null, "cannot be read: " + e.getMessage());
        }
        return parse(name, text, Catalogs::bundled);
    }

    /**
     * Parses and validates a site.
     *
     * @param file     name used in messages
     * @param catalogs finds a catalog by name; a {@link CatalogException} from it becomes an error at {@code catalog}
     */
    public static Site parse(String file, String yaml, Function<String, Catalog> catalogs) {
        YamlNode root = YamlNode.parse(file, yaml, SiteFileException::new)
                .allowOnly("site", "name", "catalog", "fqdn", "topology", "modules", "roles", "dns", "destinations",
                        "vantages");
        String id = root.text("site");
        if (!TOPIC_SAFE.matcher(id).matches()) {
            throw root.get("site").fail("'" + id + "' is not a site id: use 1-200 letters, digits, '.', '_' or '-'");
        }
        String catalogName = root.text("catalog");
        Catalog catalog;
        try {
            catalog = catalogs.apply(catalogName);
        } catch (CatalogException e) {
            if (Catalogs.BUNDLED.contains(catalogName)) {
                throw e; // a broken bundled catalog is our bug, not the site file's
            }
            throw root.get("catalog").fail("unknown catalog '" + catalogName + "', known catalogs: "
                    + String.join(", ", Catalogs.BUNDLED));
        }
        String fqdn = root.text("fqdn");
        if (!FQDN.matcher(fqdn).matches()) {
            throw root.get("fqdn").fail("'" + fqdn + "' is not a fully qualified domain name such as jtelacd.example.com");
        }
        fqdn = fqdn.endsWith(".") ? fqdn.substring(0, fqdn.length() - 1) : fqdn;
        Topology topology = root.get("topology").oneOf(Topology.class, Topology::wireName);

        Set<String> modules = new LinkedHashSet<>();
        for (YamlNode m : root.optional("modules").map(n -> n.items(false)).orElse(List.of())) {
            String module = m.text();
            if (!catalog.modules().containsKey(module)) {
                throw m.fail("unknown module '" + module + "', catalog " + catalog.name() + " has "
                        + (catalog.modules().isEmpty() ? "no modules" : String.join(", ", catalog.modules().keySet())));
            }
            modules.add(module);
        }

        Map<String, SiteRole> roles = new LinkedHashMap<>();
        root.get("roles").entries().forEach((roleId, node) -> roles.put(roleId, role(roleId, node, catalog)));

        List<String> dnsInternal = new ArrayList<>();
        List<String> dnsExternal = new ArrayList<>();
        root.optional("dns").ifPresent(dns -> {
            dns.allowOnly("internal", "external");
            dnsInternal.addAll(ips(dns, "internal"));
            dnsExternal.addAll(ips(dns, "external"));
        });
        SiteRole stack = roles.get("acd-stack");
        if (dnsInternal.isEmpty() && stack != null) {
            stack.addresses().stream().filter(Address::isIp).map(Address::text).forEach(dnsInternal::add);
        }
        if (dnsExternal.isEmpty() && stack != null) {
            stack.public_().stream().filter(Address::isIp).map(Address::text).forEach(dnsExternal::add);
        }

        Set<String> overrideKeys = new TreeSet<>();
        catalog.requirements().stream().map(Requirement::destination).map(d -> d.override())
                .filter(Objects::nonNull).forEach(overrideKeys::add);
        Map<String, DestinationOverride> destinations = new LinkedHashMap<>();
        root.optional("destinations").ifPresent(ds -> ds.entries().forEach((key, node) -> {
            if (!overrideKeys.contains(key)) {
                throw node.fail("unknown destination '" + key + "', catalog " + catalog.name() + " lets a site set "
                        + String.join(", ", overrideKeys));
            }
            destinations.put(key, override(key, node));
        }));

        List<Vantage> vantages = new ArrayList<>();
        Set<String> agents = new HashSet<>();
        for (YamlNode v : root.items("vantages")) {
            v.allowOnly("agent", "roles");
            String agent = v.text("agent");
            if (!TOPIC_SAFE.matcher(agent).matches()) {
                throw v.get("agent").fail("'" + agent + "' is not an agent id: use 1-200 letters, digits, '.', '_' or '-'");
            }
            if (!agents.add(agent)) {
                throw v.get("agent").fail("agent '" + agent + "' is listed twice");
            }
            List<YamlNode> roleNodes = v.get("roles").items(true);
            List<String> played = new ArrayList<>();
            for (YamlNode r : roleNodes) {
                played.add(knownRole(r, catalog));
            }
            vantages.add(new Vantage(agent, played));
        }

        return new Site(id, root.optionalText("name").orElse(id), catalog.name(), fqdn, topology, modules, roles,
                dnsInternal, dnsExternal, destinations, vantages);
    }

    private static SiteRole role(String roleId, YamlNode node, Catalog catalog) {
        if (!catalog.roles().containsKey(roleId)) {
            throw node.fail("unknown role '" + roleId + "', catalog " + catalog.name() + " has roles "
                    + String.join(", ", catalog.roles().keySet()));
        }
        node.allowOnly("addresses", "public", "zone");
        List<Address> addresses = addresses(node, "addresses", true);
        List<Address> pub = addresses(node, "public", false);
        Zone zone = node.optional("zone").map(z -> z.oneOf(Zone.class, Zone::wireName)).orElse(null);
        return new SiteRole(roleId, addresses, pub, zone);
    }

    private static List<Address> addresses(YamlNode node, String key, boolean cidrAllowed) {
        List<Address> out = new ArrayList<>();
        for (YamlNode a : node.optional(key).map(n -> n.items(true)).orElse(List.of())) {
            Address address;
            try {
                address = Address.parse(a.text());
            } catch (IllegalArgumentException e) {
                throw a.fail(e.getMessage());
            }
            if (!cidrAllowed && !address.isTarget()) {
                throw a.fail("'" + address + "' is a CIDR block; a public address must be one IP address or host name");
            }
            out.add(address);
        }
        return out;
    }

    private static List<String> ips(YamlNode dns, String key) {
        List<String> out = new ArrayList<>();
        for (YamlNode a : dns.optional(key).map(n -> n.items(true)).orElse(List.of())) {
            Address address;
            try {
                address = Address.parse(a.text());
            } catch (IllegalArgumentException e) {
                throw a.fail(e.getMessage());
            }
            if (!address.isIp()) {
                throw a.fail("'" + address + "' is not an IP address; a DNS answer is an IPv4 or IPv6 address");
            }
            out.add(address.text());
        }
        return out;
    }

    private static DestinationOverride override(String key, YamlNode node) {
        node.allowOnly("host", "port");
        String host = node.text("host");
        Address address;
        try {
            address = Address.parse(host);
        } catch (IllegalArgumentException e) {
            throw node.get("host").fail(e.getMessage());
        }
        if (!address.isTarget()) {
            throw node.get("host").fail("'" + host + "' is a CIDR block, expected a host name or IP address");
        }
        Integer port = null;
        if (node.has("port")) {
            YamlNode p = node.get("port");
            String t = p.text();
            if (!t.matches("\\d{1,9}") || Integer.parseInt(t) < 1 || Integer.parseInt(t) > 65535) {
                throw p.fail("'" + t + "' is not a port, expected 1-65535");
            }
            port = Integer.parseInt(t);
        }
        return new DestinationOverride(key, address.text(), port);
    }

    private static String knownRole(YamlNode r, Catalog catalog) {
        String role = r.text();
        if (!catalog.roles().containsKey(role)) {
            throw r.fail("unknown role '" + role + "', catalog " + catalog.name() + " has roles "
                    + String.join(", ", catalog.roles().keySet()));
        }
        return role;
    }
}
