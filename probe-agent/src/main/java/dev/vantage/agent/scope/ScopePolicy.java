package dev.vantage.agent.scope;

import dev.vantage.net.Endpoint;
import dev.vantage.net.IpAddress;
import dev.vantage.net.IpNetwork;
import dev.vantage.plan.Plan;
import dev.vantage.wire.PortRange;
import dev.vantage.wire.ProbeTask;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * What this agent may probe, decided from its own configuration and never from the task: the
 * addresses and names its site declares plus the catalog's external destinations, and only the
 * catalog's ports. A task outside this scope is refused, so a compromised broker or coordinator
 * cannot turn the agent into a port scanner.
 *
 * <p>Names are matched exactly or by a {@code *.suffix} wildcard (as the catalog writes
 * {@code *.blob.core.windows.net}); address literals must fall into a declared CIDR. Addresses and
 * networks are read by {@link IpAddress} and {@link IpNetwork} (the spellings stated there, the same as in
 * site files); anything else is a name, so {@code 010.0.0.1} is no address here either. A name that is
 * in scope is trusted to resolve to the right place: the agent resolves it through its own resolver,
 * never through data in the task.
 */
public final class ScopePolicy {
    private final List<IpNetwork> networks;
    private final Set<String> names;
    private final List<String> wildcardSuffixes;
    private final List<PortRange> ports;

    /**
     * @param networks CIDRs (or single addresses) the agent may reach
     * @throws IllegalArgumentException naming a network that is none
     * @param names    host names the agent may reach; {@code *.example.com} allows any name below example.com
     * @param ports    ports and ranges the agent may probe
     */
    public ScopePolicy(List<String> networks, List<String> names, List<PortRange> ports) {
        this.networks = networks.stream().map(IpNetwork::parseAddressOrBlock).toList();
        List<String> exact = new ArrayList<>();
        List<String> suffixes = new ArrayList<>();
        for (String n : names) {
            String name = normalise(n);
            if (name.startsWith("*.")) {
                suffixes.add(name.substring(1));
            } else {
                exact.add(name);
            }
        }
        this.names = Set.copyOf(exact);
        this.wildcardSuffixes = List.copyOf(suffixes);
        this.ports = List.copyOf(ports);
    }

    /**
     * The scope of an agent derived from what the planner would ask of it at its site, in every mode:
     * exactly the targets (and resolver/public addresses in parameters) and the ports of those tasks.
     * It is computed from the agent's own copy of the site file, never from received tasks.
     */
    public static ScopePolicy fromPlans(List<Plan> plans) {
        Set<String> networks = new TreeSet<>();
        Set<String> names = new TreeSet<>();
        List<PortRange> ports = new ArrayList<>();
        for (Plan plan : plans) {
            for (ProbeTask task : plan.tasks()) {
                addHost(task.target(), networks, names);
                for (String param : List.of("server", "publicAddress")) {
                    String extra = task.params().get(param);
                    if (extra != null) {
                        addHost(hostOf(extra), networks, names);
                    }
                }
                if (task.ports() != null && !ports.contains(task.ports())) {
                    ports.add(task.ports());
                }
            }
        }
        return new ScopePolicy(List.copyOf(networks), List.copyOf(names), ports);
    }

    private static void addHost(String host, Set<String> networks, Set<String> names) {
        if (host == null || host.isBlank()) {
            return;
        }
        if (IpAddress.isLiteral(host)) {
            networks.add(host.strip());
        } else {
            names.add(host);
        }
    }

    /** Number of addresses/networks, names and port ranges in scope, for the start-up log. */
    public String describe() {
        return networks.size() + " addresses, " + (names.size() + wildcardSuffixes.size()) + " names, "
                + ports.size() + " port ranges";
    }

    /** Why the task is out of scope, or empty when it may run. */
    public Optional<String> refusal(ProbeTask task) {
        String target = task.target();
        if (target == null || target.isBlank()) {
            return Optional.of("the task names no target");
        }
        if (!targetAllowed(target)) {
            return Optional.of("target '" + target + "' is outside this agent's scope (not a declared address, "
                    + "network or name of its site, nor a catalog destination)");
        }
        for (String param : List.of("server", "publicAddress")) {
            String extra = task.params().get(param);
            if (extra != null && !targetAllowed(hostOf(extra))) {
                return Optional.of("parameter " + param + "='" + extra + "' is outside this agent's scope");
            }
        }
        PortRange requested = task.ports();
        if (requested != null && ports.stream().noneMatch(allowed -> allowed.contains(requested))) {
            return Optional.of("port " + requested + " is not a catalog port of this agent's scope");
        }
        return Optional.empty();
    }

    private boolean targetAllowed(String target) {
        String t = normalise(target);
        Optional<IpAddress> ip = IpAddress.tryParse(t);
        if (ip.isPresent()) {
            return networks.stream().anyMatch(n -> n.contains(ip.get()));
        }
        if (names.contains(t)) {
            return true;
        }
        return wildcardSuffixes.stream().anyMatch(s -> t.endsWith(s) && t.length() > s.length());
    }

    /** The host of {@code host:port} or {@code [v6]:port}; text that is no endpoint is kept whole (and so in no scope). */
    private static String hostOf(String hostPort) {
        return Endpoint.tryParse(hostPort).map(Endpoint::host).orElse(hostPort.strip());
    }

    private static String normalise(String name) {
        String n = name.strip().toLowerCase(Locale.ROOT);
        return n.endsWith(".") ? n.substring(0, n.length() - 1) : n;
    }
}
