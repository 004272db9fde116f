package dev.vantage.change;

import dev.vantage.net.IpAddress;
import dev.vantage.site.Address;
import dev.vantage.wire.PortRange;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The {@code nftables} dialect: rules for a Linux firewall, as {@code nft} commands that load with {@code nft -f}.
 *
 * <p>The rules address the table {@value #TABLE} with the chains of the common layout ({@code prerouting} for DNAT,
 * {@code postrouting} for source NAT, {@code forward} for routed traffic, {@code input} for a host's own firewall);
 * a ruleset with other names replaces them. Accept and NAT rules are inserted at the top of their chain so that they
 * come before a reject or drop rule that answered in the destination's place. Sources that are names (not addresses
 * or blocks) cannot be matched by {@code nft} and are listed in a comment instead. The perimeter, host, internal and
 * egress firewalls get snippets; what a person does in words (a SIP ALG, TLS inspection, DNS) gets none.
 */
public final class Nftables implements Dialect {
    /** The table the snippets address. */
    public static final String TABLE = "inet filter";

    @Override
    public String name() {
        return "nftables";
    }

    @Override
    public Optional<String> render(Device device, Change change) {
        Flow f = change.flow();
        if (f == null || f.protocol() == null) {
            return Optional.empty();
        }
        List<String> rules = switch (device.kind()) {
            case PERIMETER_FIREWALL -> perimeter(change, f);
            case HOST_FIREWALL -> switch (change.kind()) {
                case OPEN_PORT -> accept("input", f, f.sources(), List.of(f.internalAddress()), f.internalPorts());
                case CLOSE_PORT -> close("input", f, f.internalAddress(), f.internalPorts());
                default -> List.of();
            };
            case INTERNAL_FIREWALL -> change.kind() == ChangeKind.ALLOW_FLOW
                    ? accept("forward", f, f.sources(), List.of(f.internalAddress()), f.internalPorts()) : List.of();
            case EGRESS -> change.kind() == ChangeKind.ALLOW_OUTBOUND && !f.destinationAddresses().isEmpty()
                    ? accept("forward", f, f.sources(), f.destinationAddresses(), f.destinationPorts()) : List.of();
            default -> List.of();
        };
        return rules.isEmpty() ? Optional.empty() : Optional.of(String.join("\n", rules) + "\n");
    }

    private List<String> perimeter(Change change, Flow f) {
        String to = f.internalAddress();
        List<PortRange> ports = f.publicPorts();
        if (to == null || f.publicAddress() == null || ports.isEmpty()) {
            return List.of();
        }
        String family = family(to);
        String match = f.protocol() + " dport " + set(ports);
        return switch (change.kind()) {
            case ADD_PORT_FORWARD -> withSources(f.sources(), family, List.of(
                    "insert rule " + TABLE + " prerouting %s" + family + " daddr " + f.publicAddress() + " " + match
                            + " dnat " + family + " to " + to,
                    "insert rule " + TABLE + " forward %s" + family + " daddr " + to + " " + match + " ct status dnat accept"));
            case ADMIT_SOURCE -> withSources(f.sources().any() || f.refusedSources().isEmpty() ? f.sources()
                    : new Sources(false, f.sources().roles(), f.refusedSources()), family, List.of(
                    "insert rule " + TABLE + " prerouting %s" + family + " daddr " + f.publicAddress() + " " + match
                            + " dnat " + family + " to " + to,
                    "insert rule " + TABLE + " forward %s" + family + " daddr " + to + " " + match + " ct status dnat accept"));
            case ENABLE_HAIRPIN_NAT -> withSources(f.sources(), family, List.of(
                    "insert rule " + TABLE + " prerouting %s" + family + " daddr " + f.publicAddress() + " " + match
                            + " dnat " + family + " to " + to,
                    "insert rule " + TABLE + " postrouting %s" + family + " daddr " + to + " " + match + " masquerade",
                    "insert rule " + TABLE + " forward %s" + family + " daddr " + to + " " + match + " ct status dnat accept"));
            case CLOSE_EXPOSURE -> close("forward", f, to, ports);
            default -> List.of();
        };
    }

    /** Accept the flow to the destination addresses on the ports, from the sources. */
    private List<String> accept(String chain, Flow f, Sources sources, List<String> daddrs, List<PortRange> ports) {
        List<String> to = daddrs.stream().filter(java.util.Objects::nonNull).toList();
        if (ports.isEmpty() || to.isEmpty()) {
            return List.of();
        }
        String family = family(to.get(0));
        String dst = family + " daddr " + set(to.stream().filter(a -> family(a).equals(family)).toList()) + " ";
        return withSources(sources, family, List.of("insert rule " + TABLE + " " + chain + " %s" + dst + f.protocol()
                + " dport " + set(ports) + " accept"));
    }

    /** Drop the ports to {@code daddr} for every source but the ones that may still reach it. */
    private List<String> close(String chain, Flow f, String daddr, List<PortRange> ports) {
        if (ports.isEmpty()) {
            return List.of();
        }
        String family = daddr == null ? "ip" : family(daddr);
        List<String> allowed = matchable(f.sources(), family);
        String except = allowed.isEmpty() ? "" : family + " saddr != " + set(allowed) + " ";
        List<String> out = new ArrayList<>(unmatchable(f.sources(), family));
        out.add("insert rule " + TABLE + " " + chain + " " + except + (daddr == null ? "" : family + " daddr " + daddr + " ")
                + f.protocol() + " dport " + set(ports) + " drop");
        return out;
    }

    /** Fills each rule's {@code %s} with the source match (nothing for any source). */
    private static List<String> withSources(Sources sources, String family, List<String> rules) {
        List<String> out = new ArrayList<>(unmatchable(sources, family));
        List<String> addresses = matchable(sources, family);
        if (!sources.any() && addresses.isEmpty()) {
            return List.of(); // no source nft can match: the line says who, the snippet would admit everyone
        }
        String saddr = sources.any() ? "" : family + " saddr " + set(addresses) + " ";
        rules.forEach(r -> out.add(r.formatted(saddr)));
        return out;
    }

    /** The sources' addresses and blocks of the family. */
    private static List<String> matchable(Sources sources, String family) {
        return sources.addresses().stream().filter(a -> isIp(a) && family(a).equals(family)).toList();
    }

    private static List<String> unmatchable(Sources sources, String family) {
        List<String> names = sources.addresses().stream().filter(a -> !isIp(a)).toList();
        return names.isEmpty() ? List.of() : List.of("# also for " + String.join(", ", names) + " (names: match their addresses)");
    }

    private static boolean isIp(String a) {
        try {
            Address parsed = Address.parse(a);
            return parsed.type() != Address.Type.HOST;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** {@code ip} or {@code ip6} for an address or block. */
    private static String family(String address) {
        String bare = address.contains("/") ? address.substring(0, address.indexOf('/')) : address;
        return IpAddress.tryParse(bare).map(ip -> ip.family() == IpAddress.Family.IPV6 ? "ip6" : "ip").orElse("ip");
    }

    private static String set(List<?> items) {
        List<String> texts = items.stream().map(Object::toString).toList();
        return texts.size() == 1 ? texts.get(0) : texts.stream().collect(Collectors.joining(", ", "{ ", " }"));
    }
}
