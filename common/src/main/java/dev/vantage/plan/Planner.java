package dev.vantage.plan;

import dev.vantage.catalog.Catalog;
import dev.vantage.catalog.Destination;
import dev.vantage.catalog.Expectation;
import dev.vantage.catalog.Mode;
import dev.vantage.catalog.ProbeSpec;
import dev.vantage.catalog.Protocol;
import dev.vantage.catalog.Requirement;
import dev.vantage.catalog.ResponderPolicy;
import dev.vantage.catalog.Zone;
import dev.vantage.site.Address;
import dev.vantage.site.DestinationOverride;
import dev.vantage.site.Site;
import dev.vantage.site.SiteRole;
import dev.vantage.site.Vantage;
import dev.vantage.wire.PortRange;
import dev.vantage.wire.ProbeKind;
import dev.vantage.wire.ProbeTask;
import dev.vantage.wire.Wire;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * Turns catalog × site × vantages × mode into probe tasks: a pure function, same input, same plan,
 * same task ids.
 *
 * <p>For every requirement that applies to the site (its modules are on, its topology matches) and
 * every source role some vantage plays, each catalog probe that runs in the mode becomes one task per
 * target and port range:
 * <ul>
 *   <li>a role destination is probed at its internal address from an {@code inside} source and at its
 *       public address from an {@code outside} source (or always at the one the catalog names, e.g. the
 *       public address for hairpin);</li>
 *   <li>a host destination at each host, or at the site's override for the catalog's override key;</li>
 *   <li>a dns requirement resolves the name ({@code {fqdn}} replaced) with the vantage's own resolver and
 *       expects the site's internal or external answer;</li>
 *   <li>a port range stays one task: {@code tcp}/{@code udp} on a range are planned as
 *       {@code tcp-range}/{@code udp-range}; {@code rtp} streams to the first port of the range.</li>
 * </ul>
 * In pre-install mode (and always for requirements whose responder policy is {@code always}) the vantage
 * playing the destination role gets {@code respond} tasks on exactly the catalog's ports, merged per
 * transport and port range, for a bounded window, and the probes carry {@code responder=true}.
 *
 * <p>A requirement no vantage can prove is UNTESTED with the reason (the missing role, address or
 * override); one whose module or topology is off is NOT_APPLICABLE. The task parameters are described in
 * {@link TaskParams}.
 */
public final class Planner {
    /** How long a responder window stays open unless the caller says otherwise. */
    public static final Duration DEFAULT_RESPONDER_WINDOW = Duration.ofMinutes(15);

    private static final Map<ProbeKind, Duration> TIMEOUTS = new EnumMap<>(Map.ofEntries(
            Map.entry(ProbeKind.TCP, Duration.ofSeconds(3)),
            Map.entry(ProbeKind.UDP, Duration.ofSeconds(2)),
            Map.entry(ProbeKind.TCP_RANGE, Duration.ofSeconds(2)),
            Map.entry(ProbeKind.UDP_RANGE, Duration.ofSeconds(2)),
            Map.entry(ProbeKind.DNS, Duration.ofSeconds(3)),
            Map.entry(ProbeKind.TLS, Duration.ofSeconds(5)),
            Map.entry(ProbeKind.HTTP, Duration.ofSeconds(10)),
            Map.entry(ProbeKind.SSH, Duration.ofSeconds(5)),
            Map.entry(ProbeKind.SIP, Duration.ofSeconds(3)),
            Map.entry(ProbeKind.RTP, Duration.ofSeconds(2)),
            Map.entry(ProbeKind.NAT, Duration.ofSeconds(3))));

    private final Duration responderWindow;

    public Planner() {
        this(DEFAULT_RESPONDER_WINDOW);
    }

    public Planner(Duration responderWindow) {
        if (responderWindow.isNegative() || responderWindow.isZero() || responderWindow.toHours() > 24) {
            throw new IllegalArgumentException("responder window " + responderWindow + " must be between 1s and 24h");
        }
        this.responderWindow = responderWindow;
    }

    /**
     * Plans the tasks of the given vantage roles.
     *
     * @param roles the roles to plan tasks for; empty for every role some vantage of the site plays. A
     *              role no vantage of the site plays is planned as if an agent played it (an ad-hoc check)
     * @throws IllegalArgumentException when the site belongs to another catalog or a role is not in the catalog
     */
    public Plan plan(Catalog catalog, Site site, Set<String> roles, Mode mode) {
        if (!site.catalog().equals(catalog.name())) {
            throw new IllegalArgumentException("site " + site.id() + " uses catalog " + site.catalog()
                    + ", not " + catalog.name());
        }
        for (String role : roles) {
            if (!catalog.roles().containsKey(role)) {
                throw new IllegalArgumentException("unknown role '" + role + "', catalog " + catalog.name()
                        + " has roles " + String.join(", ", catalog.roles().keySet()));
            }
        }
        Set<String> available = new LinkedHashSet<>();
        site.vantages().stream().map(Vantage::roles).forEach(available::addAll);
        available.addAll(roles);
        Set<String> asked = roles.isEmpty() ? available : roles;

        Run run = new Run(catalog, site, mode, available);
        for (Requirement r : catalog.requirements()) {
            run.plan(r);
        }
        List<ProbeTask> tasks = new ArrayList<>(run.respondTasks());
        tasks.addAll(run.probes);
        tasks.removeIf(t -> !asked.contains(t.vantage()));
        return new Plan(site.id(), catalog.name(), mode, asked, tasks, run.statuses);
    }

    /** One planning pass; holds what has been decided so far. */
    private final class Run {
        final Catalog catalog;
        final Site site;
        final Mode mode;
        final Set<String> available;
        final List<ProbeTask> probes = new ArrayList<>();
        final List<RequirementPlan> statuses = new ArrayList<>();
        /** Listener demands per destination role, merged when the plan is done. */
        final List<Listen> listens = new ArrayList<>();

        Run(Catalog catalog, Site site, Mode mode, Set<String> available) {
            this.catalog = catalog;
            this.site = site;
            this.mode = mode;
            this.available = available;
        }

        void plan(Requirement r) {
            String off = r.when().whyNotApplicable(site.modules(), site.topology());
            if (off != null) {
                statuses.add(new RequirementPlan(r.id(), RequirementPlan.Status.NOT_APPLICABLE, off, List.of()));
                return;
            }
            List<String> sources = r.sources().stream().filter(available::contains).toList();
            List<String> gaps = new ArrayList<>();
            List<String> missing = r.sources().stream().filter(s -> !available.contains(s)).toList();
            if (sources.isEmpty()) {
                untested(r, "no vantage plays " + orList(missing) + ": add an agent that plays "
                        + (missing.size() == 1 ? "it" : "one of them"));
                return;
            }
            if (!missing.isEmpty()) {
                gaps.add("not from " + String.join(", ", missing) + ": no vantage plays "
                        + (missing.size() == 1 ? "it" : "them"));
            }
            Destination d = r.destination();
            boolean responder = d.isRole() && (r.responder() == ResponderPolicy.ALWAYS
                    || (r.responder() == ResponderPolicy.PRE_INSTALL && mode == Mode.PRE_INSTALL));
            if (responder && !available.contains(d.role())) {
                untested(r, (r.responder() == ResponderPolicy.ALWAYS ? "" : mode.wireName() + ": ")
                        + "no vantage plays " + d.role() + ", whose agent must open the responder the probes need");
                return;
            }
            List<ProbeSpec> specs = r.probes().stream().filter(p -> p.runsIn(mode)).toList();
            if (specs.isEmpty()) {
                untested(r, "the catalog has no probe for " + mode.wireName() + " surveys");
                return;
            }
            int before = probes.size();
            List<String> targetProblems = new ArrayList<>();
            for (String source : sources) {
                Targets targets = targets(r, source);
                if (targets.problem != null) {
                    targetProblems.add(targets.problem);
                    continue;
                }
                for (ProbeSpec spec : specs) {
                    for (String target : targets.names) {
                        addProbes(r, source, spec, target, targets.port, responder);
                    }
                }
            }
            if (probes.size() == before) {
                untested(r, String.join("; ", targetProblems));
                return;
            }
            gaps.addAll(targetProblems);
            if (responder) {
                for (ProbeSpec spec : specs) {
                    for (PortRange range : r.ports()) {
                        listens.add(new Listen(d.role(), transport(r), listenRange(spec, range), serve(spec), r.id()));
                    }
                }
            }
            statuses.add(new RequirementPlan(r.id(), RequirementPlan.Status.PLANNED, null, gaps));
        }

        private void untested(Requirement r, String reason) {
            statuses.add(new RequirementPlan(r.id(), RequirementPlan.Status.UNTESTED, reason, List.of()));
        }

        /** Where a source sends its probes for a requirement, or why it cannot. */
        private Targets targets(Requirement r, String source) {
            Destination d = r.destination();
            if (d.isName()) {
                return new Targets(List.of(d.name().replace("{fqdn}", site.fqdn())), null, null);
            }
            if (d.isHosts()) {
                if (d.override() != null && site.destinations().containsKey(d.override())) {
                    DestinationOverride o = site.destinations().get(d.override());
                    return new Targets(List.of(o.host()), o.port(), null);
                }
                List<String> concrete = d.hosts().stream().filter(h -> !h.startsWith("*.")).toList();
                if (concrete.isEmpty()) {
                    return Targets.problem("the site names no host for " + String.join(", ", d.hosts())
                            + " (destinations." + d.override() + ".host)");
                }
                return new Targets(concrete, null, null);
            }
            SiteRole role = site.roles().get(d.role());
            boolean usePublic = switch (d.address()) {
                case PUBLIC -> true;
                case INTERNAL -> false;
                case AUTO -> zone(d.role()) == Zone.INSIDE && zone(source) == Zone.OUTSIDE;
            };
            String field = "roles." + d.role() + (usePublic ? ".public" : ".addresses");
            List<Address> addresses = role == null ? List.of() : usePublic ? role.public_() : role.addresses();
            if (addresses.isEmpty()) {
                return Targets.problem("the site gives no " + (usePublic ? "public " : "") + "address for "
                        + d.role() + " (" + field + "), needed from " + source);
            }
            List<String> names = addresses.stream().filter(Address::isTarget).map(Address::text).toList();
            if (names.isEmpty()) {
                return Targets.problem(field + " has only CIDR blocks, no single address to probe from " + source);
            }
            return new Targets(names, null, null);
        }

        private Zone zone(String role) {
            SiteRole sr = site.roles().get(role);
            return sr != null && sr.zone() != null ? sr.zone() : catalog.roles().get(role).zone();
        }

        private void addProbes(Requirement r, String source, ProbeSpec spec, String target, Integer portOverride,
                               boolean responder) {
            if (r.protocol() == Protocol.DNS) {
                addDns(r, source, spec, target);
                return;
            }
            List<PortRange> ranges = portOverride == null ? r.ports() : List.of(PortRange.of(portOverride));
            for (PortRange range : ranges) {
                ProbeKind kind = spec.kind();
                PortRange ports = range;
                if (!range.isSingle()) {
                    if (kind == ProbeKind.TCP) {
                        kind = ProbeKind.TCP_RANGE;
                    } else if (kind == ProbeKind.UDP) {
                        kind = ProbeKind.UDP_RANGE;
                    } else if (kind != ProbeKind.TCP_RANGE && kind != ProbeKind.UDP_RANGE) {
                        ports = PortRange.of(range.first()); // a stream or handshake goes to one port
                    }
                }
                Map<String, String> params = params(spec, target, ports);
                if (responder) {
                    params.put(TaskParams.RESPONDER, "true");
                }
                if (r.expect() == Expectation.BLOCKED) {
                    params.put(TaskParams.EXPECT_STATE, "blocked");
                }
                if (kind == ProbeKind.TLS && r.destination().isHosts()) {
                    // an external destination must present a publicly rooted chain; anything else is inspection
                    params.put(TaskParams.PUBLIC, "true");
                }
                probes.add(task(r.id(), source, kind, target, ports, params, timeout(spec, kind)));
            }
        }

        private void addDns(Requirement r, String source, ProbeSpec spec, String name) {
            List<String> expected = switch (r.expect()) {
                case RESOLVES_INTERNAL -> site.dnsInternal();
                case RESOLVES_EXTERNAL -> site.dnsExternal();
                default -> List.of();
            };
            List<String> v4 = expected.stream().filter(a -> !a.contains(":")).toList();
            List<String> v6 = expected.stream().filter(a -> a.contains(":")).toList();
            Map<String, List<String>> byRecord = new LinkedHashMap<>();
            if (!v4.isEmpty() || v6.isEmpty()) {
                byRecord.put("A", v4);
            }
            if (!v6.isEmpty()) {
                byRecord.put("AAAA", v6);
            }
            byRecord.forEach((record, addresses) -> {
                Map<String, String> params = params(spec, name, null);
                params.putIfAbsent(TaskParams.RECORD, record);
                if (!addresses.isEmpty()) {
                    params.put(TaskParams.EXPECT, String.join(",", addresses));
                }
                probes.add(task(r.id(), source, ProbeKind.DNS, name, null, params, timeout(spec, ProbeKind.DNS)));
            });
        }

        private Map<String, String> params(ProbeSpec spec, String target, PortRange ports) {
            Map<String, String> params = new TreeMap<>();
            spec.params().forEach((k, v) -> params.put(k, v.replace("{fqdn}", site.fqdn())));
            String serverName = isAddress(target) ? site.fqdn() : target;
            boolean tls = spec.kind() == ProbeKind.TLS
                    || (spec.kind() == ProbeKind.SIP && "tls".equals(params.get(TaskParams.TRANSPORT)));
            if (spec.kind() == ProbeKind.HTTP) {
                params.putIfAbsent(TaskParams.SCHEME, ports != null && ports.first() == 443 ? "https" : "http");
                params.putIfAbsent(TaskParams.PATH, "/");
                tls = "https".equals(params.get(TaskParams.SCHEME));
            }
            if (tls) {
                params.putIfAbsent(TaskParams.SNI, serverName);
            }
            return params;
        }

        private Duration timeout(ProbeSpec spec, ProbeKind kind) {
            return spec.timeout() != null ? spec.timeout() : TIMEOUTS.get(kind);
        }

        private ProbeTask task(String requirementId, String vantage, ProbeKind kind, String target, PortRange ports,
                               Map<String, String> params, Duration timeout) {
            String key = String.join("|", site.id(), requirementId, vantage, kind.wireName(), target,
                    ports == null ? "" : ports.toString(),
                    new TreeMap<>(params).entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                            .collect(Collectors.joining("&")));
            String id = UUID.nameUUIDFromBytes(key.getBytes(StandardCharsets.UTF_8)).toString();
            return new ProbeTask(Wire.SCHEMA_VERSION, id, null, site.id(), vantage, null, requirementId, kind, target,
                    ports, params, timeout);
        }

        /** Listener demands merged per role, transport and port range: one respond task per listener. */
        List<ProbeTask> respondTasks() {
            List<Listen> sorted = new ArrayList<>(listens);
            sorted.sort(Comparator.comparing(Listen::role).thenComparing(Listen::transport)
                    .thenComparing(l -> l.range().first()).thenComparing(l -> -l.range().size()));
            List<Listen> merged = new ArrayList<>();
            for (Listen l : sorted) {
                Listen into = null;
                for (Listen m : merged) {
                    if (m.role().equals(l.role()) && m.transport().equals(l.transport()) && m.range().contains(l.range())) {
                        into = m;
                        break;
                    }
                }
                if (into == null) {
                    merged.add(l);
                } else {
                    merged.set(merged.indexOf(into), into.absorb(l));
                }
            }
            List<ProbeTask> tasks = new ArrayList<>();
            for (Listen l : merged) {
                Map<String, String> params = new TreeMap<>();
                params.put(TaskParams.TRANSPORT, l.transport());
                params.put(TaskParams.SERVE, l.serve().wireName());
                params.put(TaskParams.DURATION, responderWindow.toString());
                params.put(TaskParams.REQUIREMENTS, String.join(",", l.requirements()));
                tasks.add(task(l.requirements().get(0), l.role(), ProbeKind.RESPOND, bindAddress(l.role()), l.range(),
                        params, responderWindow));
            }
            return tasks;
        }

        /** The role's own IP address, so the listener is on the interface the forwarded traffic reaches. */
        private String bindAddress(String role) {
            SiteRole sr = site.roles().get(role);
            return sr == null ? "0.0.0.0" : sr.addresses().stream().filter(Address::isIp).map(Address::text)
                    .findFirst().orElse("0.0.0.0");
        }
    }

    private static String transport(Requirement r) {
        return r.protocol() == Protocol.UDP ? "udp" : "tcp";
    }

    private static PortRange listenRange(ProbeSpec spec, PortRange range) {
        boolean onePort = !range.isSingle() && switch (spec.kind()) {
            case TCP, UDP, TCP_RANGE, UDP_RANGE -> false;
            default -> true;
        };
        return onePort ? PortRange.of(range.first()) : range;
    }

    private static Serve serve(ProbeSpec spec) {
        return switch (spec.kind()) {
            case NAT -> Serve.NAT;
            case RTP -> Serve.RTP;
            case SIP -> Serve.SIP;
            case UDP, UDP_RANGE -> Serve.ECHO;
            default -> Serve.ACCEPT;
        };
    }

    private static boolean isAddress(String target) {
        return target.contains(":") || target.matches("[0-9.]+");
    }

    private static String orList(List<String> roles) {
        if (roles.size() == 1) {
            return roles.get(0);
        }
        return String.join(", ", roles.subList(0, roles.size() - 1)) + " or " + roles.get(roles.size() - 1);
    }

    /** What a listener does; a later constant does everything an earlier one on the same transport does. */
    private enum Serve {
        ACCEPT, ECHO, SIP, RTP, NAT;

        String wireName() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    private record Listen(String role, String transport, PortRange range, Serve serve, List<String> requirements) {
        Listen(String role, String transport, PortRange range, Serve serve, String requirement) {
            this(role, transport, range, serve, List.of(requirement));
        }

        Listen absorb(Listen other) {
            List<String> ids = new ArrayList<>(requirements);
            other.requirements.stream().filter(id -> !ids.contains(id)).forEach(ids::add);
            Serve s = other.serve.compareTo(serve) > 0 ? other.serve : serve;
            return new Listen(role, transport, range, s, ids);
        }
    }

    private record Targets(List<String> names, Integer port, String problem) {
        static Targets problem(String why) {
            return new Targets(List.of(), null, why);
        }
    }
}
