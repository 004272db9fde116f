package dev.vantage.plan;

import dev.vantage.catalog.Catalog;
import dev.vantage.catalog.Destination;
import dev.vantage.catalog.Mode;
import dev.vantage.catalog.ProbeSpec;
import dev.vantage.catalog.Requirement;
import dev.vantage.catalog.ResponderPolicy;
import dev.vantage.params.RespondParams;
import dev.vantage.plan.RequirementPlan.Untested;
import dev.vantage.site.Site;
import dev.vantage.site.Vantage;
import dev.vantage.wire.ProbeTask;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

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
 * transport and port range, for a bounded window, and the probes carry {@code responder=true}. After
 * installation the media option ({@link #Planner(Duration, boolean)}) does the same for the catalog's media
 * ports (RTP, which the real service binds per call), with windows that take only the free ports
 * ({@code freeOnly}) and report the ports another process holds; without a vantage on the destination role the
 * media ports are planned as without the option.
 *
 * <p>The plan's tasks are the respond tasks first (listeners must be up before probes arrive), then the probes in
 * catalog order, except that range sweeps follow the other probes and RTP streams follow the sweeps
 * ({@link #measurementTurn}).
 *
 * <p>A requirement no vantage can prove is UNTESTED with a typed reason ({@link Untested}) and a sentence
 * naming the missing role, address or override; one whose module or topology is off is NOT_APPLICABLE.
 * Every task's parameters are written through the record of its kind ({@link dev.vantage.params.ProbeParams}),
 * the same record its probe reads.
 */
public final class Planner {
    /** How long a responder window stays open unless the caller says otherwise. */
    public static final Duration DEFAULT_RESPONDER_WINDOW = RespondParams.DEFAULT_WINDOW;

    private final Duration responderWindow;
    private final boolean mediaResponder;

    public Planner() {
        this(DEFAULT_RESPONDER_WINDOW);
    }

    public Planner(Duration responderWindow) {
        this(responderWindow, false);
    }

    /**
     * @param responderWindow how long responder windows stay open
     * @param mediaResponder  the media option of post-install surveys: the destination's responder takes the free
     *                        ports of the catalog's media ranges, and their probes expect it
     */
    public Planner(Duration responderWindow, boolean mediaResponder) {
        if (responderWindow.isNegative() || responderWindow.isZero()
                || responderWindow.compareTo(RespondParams.MAX_WINDOW) > 0) {
            throw new IllegalArgumentException("responder window " + responderWindow + " must be between 1s and 24h");
        }
        this.responderWindow = responderWindow;
        this.mediaResponder = mediaResponder;
    }

    /**
     * Plans the tasks of the given vantage roles.
     *
     * @param roles the roles to plan tasks for; empty for every role some vantage of the site plays. A
     *              role no vantage of the site plays is planned as if an agent played it (an ad-hoc check)
     * @throws IllegalArgumentException when the site belongs to another catalog or a role is not in the catalog
     */
    public Plan plan(Catalog catalog, Site site, Set<String> roles, Mode mode) {
        return plan(catalog, site, roles, mode, Set.of());
    }

    /** The ids among {@code requirements} that the catalog has no requirement for, sorted. */
    public static List<String> unknownRequirements(Catalog catalog, Set<String> requirements) {
        return requirements.stream().filter(id -> catalog.requirement(id).isEmpty()).sorted().toList();
    }

    /**
     * Plans the tasks of the given vantage roles for the chosen requirements only: a survey of some requirements
     * (those a change request names, those that failed) instead of all. The plan then has a status for each chosen
     * requirement and no other, and the responder windows only their probes need.
     *
     * @param requirements the ids of the requirements to plan; empty for all of the catalog
     * @throws IllegalArgumentException also when a chosen requirement is not in the catalog
     */
    public Plan plan(Catalog catalog, Site site, Set<String> roles, Mode mode, Set<String> requirements) {
        List<String> unknown = unknownRequirements(catalog, requirements);
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException("catalog " + catalog.name() + " has no requirement "
                    + String.join(", ", unknown));
        }
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
            if (requirements.isEmpty() || requirements.contains(r.id())) {
                run.plan(r);
            }
        }
        List<ProbeTask> tasks = new ArrayList<>(run.windows.tasks());
        List<ProbeTask> probes = new ArrayList<>(run.probes);
        probes.sort(Comparator.comparingInt(Planner::measurementTurn));
        tasks.addAll(probes);
        tasks.removeIf(t -> !asked.contains(t.vantage()));
        return new Plan(site.id(), catalog.name(), mode, asked, tasks, run.statuses);
    }

    /**
     * Where a probe goes in the task order: RTP streams and range sweeps of one agent take turns (a sweep beside a
     * stream would load the agent's host and the stream would measure it instead of the path; sweeps run one at a
     * time, streams together), so a vantage's sweeps are planned together and its streams after them: the streams
     * take one turn together, not one each between the sweeps as in catalog order.
     */
    private static int measurementTurn(ProbeTask task) {
        return switch (task.kind()) {
            case UDP_RANGE, TCP_RANGE -> 1;
            case RTP -> 2;
            default -> 0;
        };
    }

    /** One planning pass: decides each requirement's status and collects its tasks. */
    private final class Run {
        final Site site;
        final Mode mode;
        final Set<String> available;
        final Targets targets;
        final TaskWriter writer;
        final ResponderWindows windows;
        final List<ProbeTask> probes = new ArrayList<>();
        final List<RequirementPlan> statuses = new ArrayList<>();

        Run(Catalog catalog, Site site, Mode mode, Set<String> available) {
            this.site = site;
            this.mode = mode;
            this.available = available;
            this.targets = new Targets(catalog, site);
            this.writer = new TaskWriter(catalog, site);
            this.windows = new ResponderWindows(responderWindow, writer, targets);
        }

        void plan(Requirement r) {
            String off = r.when().whyNotApplicable(site.modules(), site.topology());
            if (off != null) {
                statuses.add(new RequirementPlan(r.id(), RequirementPlan.Status.NOT_APPLICABLE, off, List.of()));
                return;
            }
            List<String> sources = r.sources().stream().filter(available::contains).toList();
            List<String> missing = r.sources().stream().filter(s -> !available.contains(s)).toList();
            if (sources.isEmpty()) {
                untested(r, Untested.NO_SOURCE_VANTAGE, "no vantage plays " + orList(missing)
                        + ": add an agent that plays " + (missing.size() == 1 ? "it" : "one of them"));
                return;
            }
            List<String> gaps = new ArrayList<>();
            if (!missing.isEmpty()) {
                gaps.add("not from " + String.join(", ", missing) + ": no vantage plays "
                        + (missing.size() == 1 ? "it" : "them"));
            }
            Destination d = r.destination();
            boolean responder = d.isRole() && (r.responder() == ResponderPolicy.ALWAYS
                    || (r.responder() == ResponderPolicy.PRE_INSTALL && mode == Mode.PRE_INSTALL));
            if (responder && !available.contains(d.role())) {
                untested(r, Untested.NO_RESPONDER_VANTAGE, (r.responder() == ResponderPolicy.ALWAYS ? ""
                        : mode.wireName() + ": ") + "no vantage plays " + d.role()
                        + ", whose agent must open the responder the probes need");
                return;
            }
            // after installation a responder beside the real service is a bonus, never a requirement
            boolean freeOnly = !responder && mediaResponder && r.media() && mode == Mode.POST_INSTALL && d.isRole()
                    && available.contains(d.role());
            responder |= freeOnly;
            List<ProbeSpec> specs = r.probes().stream().filter(p -> p.runsIn(mode)).toList();
            if (specs.isEmpty()) {
                untested(r, Untested.NO_PROBE_FOR_MODE, "the catalog has no probe for " + mode.wireName() + " surveys");
                return;
            }
            int before = probes.size();
            List<String> targetProblems = new ArrayList<>();
            for (String source : sources) {
                Targets.Aim aim = targets.of(r, source);
                if (aim.problem() != null) {
                    targetProblems.add(aim.problem());
                    continue;
                }
                for (ProbeSpec spec : specs) {
                    for (String target : aim.names()) {
                        probes.addAll(writer.probes(r, source, spec, target, aim.port(), responder));
                    }
                }
            }
            if (probes.size() == before) {
                untested(r, Untested.NO_TARGET, String.join("; ", targetProblems));
                return;
            }
            gaps.addAll(targetProblems);
            if (responder) {
                windows.demand(r, specs, freeOnly);
            }
            statuses.add(new RequirementPlan(r.id(), RequirementPlan.Status.PLANNED, null, gaps));
        }

        private void untested(Requirement r, Untested why, String reason) {
            statuses.add(RequirementPlan.untested(r.id(), why, reason));
        }
    }

    private static String orList(List<String> roles) {
        if (roles.size() == 1) {
            return roles.get(0);
        }
        return String.join(", ", roles.subList(0, roles.size() - 1)) + " or " + roles.get(roles.size() - 1);
    }
}
