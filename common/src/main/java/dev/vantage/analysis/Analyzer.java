package dev.vantage.analysis;

import dev.vantage.catalog.Catalog;
import dev.vantage.catalog.Expectation;
import dev.vantage.catalog.HostMatch;
import dev.vantage.catalog.Mode;
import dev.vantage.catalog.Requirement;
import dev.vantage.catalog.Severity;
import dev.vantage.catalog.Zone;
import dev.vantage.plan.Plan;
import dev.vantage.plan.RequirementPlan;
import dev.vantage.plan.TaskParams;
import dev.vantage.site.Address;
import dev.vantage.site.Site;
import dev.vantage.site.SiteRole;
import dev.vantage.site.Vantage;
import dev.vantage.wire.Outcome;
import dev.vantage.wire.ProbeKind;
import dev.vantage.wire.ProbeResult;
import dev.vantage.wire.ProbeTask;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

import static dev.vantage.analysis.DiagnosisCode.*;
import static dev.vantage.analysis.VerdictStatus.*;

/**
 * Turns a survey's results into verdicts with diagnoses: a pure function of its {@link SurveyInput}
 * (same input, same analysis; no clock, no network).
 *
 * <p>How it decides, in three passes:
 * <ol>
 *   <li><b>Accept.</b> Results are untrusted input. One that answers no task of the plans, names another
 *       requirement, vantage or site than its task, comes from an agent that does not play the task's role,
 *       or has no outcome is set aside with the reason ({@link Analysis#ignored()}); a re-sent result (same id)
 *       counts once. Two different results for the same task and agent that disagree make that check
 *       INCONCLUSIVE (EVIDENCE_CONFLICT); when they agree, the later one is used.</li>
 *   <li><b>Judge each result</b> against its requirement's expectation (the local rules: port states,
 *       DNS answers, TLS chains, HTTP/SSH/SIP answers, RTP quality), then across vantages and requirements:
 *       place every silent path using what the other vantages saw on the same destination and port, tell a
 *       responder from whatever else answers, compare the TLS chains different vantages got for one
 *       destination, and relate DNS answers to hairpin checks (see {@link DiagnosisCode} for each rule).</li>
 *   <li><b>Combine</b> the checks of a requirement: the checks of one path (vantage, agent, target) are
 *       aspects of the same traffic, so a path is as good as its worst check; then all paths pass is PASS,
 *       some is PARTIAL, none is FAIL; a must-be-blocked port that answered on any path is FAIL; passes with a
 *       missing or unusable result are INCONCLUSIVE. For a destination with alternatives ("A or B"), one
 *       passing host per vantage is enough.</li>
 * </ol>
 *
 * <p>UDP is judged honestly: silence ({@code OPEN_OR_FILTERED}) where something was obliged to answer (a
 * Vantage responder, a SIP stack, an RTP reflector) is a failure; silence where nothing was is
 * INCONCLUSIVE, never a pass. ICMP port unreachable across a UDP range swept without a responder proves the
 * path (media ports are bound per call).
 */
public final class Analyzer {
    /** How far two agents' clocks may disagree before a probe counts as outside a responder's window. */
    static final Duration CLOCK_SKEW = Duration.ofSeconds(30);

    /**
     * Analyses one survey.
     *
     * @throws IllegalArgumentException when there is no plan, or the plans are for another site, catalog or
     *                                  of mixed modes (naming the values)
     */
    public Analysis analyze(SurveyInput input) {
        Objects.requireNonNull(input, "input");
        return new Run(input).analyze();
    }

    private static final class Run {
        final Catalog catalog;
        final Site site;
        final Mode mode;
        final Map<String, RequirementPlan> statuses = new LinkedHashMap<>();
        final Map<String, ProbeTask> tasks = new LinkedHashMap<>();
        final Set<String> plannedRoles = new LinkedHashSet<>();
        final List<IgnoredResult> ignored = new ArrayList<>();
        /** Accepted results per task id and agent, in arrival order. */
        final Map<String, Map<String, List<ProbeResult>>> results = new LinkedHashMap<>();
        final SurveyInput input;
        /** Vantage roles with at least one accepted result for a probe task. */
        final Set<String> vantagesWithResults = new LinkedHashSet<>();

        Run(SurveyInput in) {
            this.input = in;
            this.catalog = Objects.requireNonNull(in.catalog(), "catalog");
            this.site = Objects.requireNonNull(in.site(), "site");
            if (in.plans().isEmpty()) {
                throw new IllegalArgumentException("no plan given for site " + site.id() + ": the analysis needs the plan"
                        + " the results answer");
            }
            Mode m = null;
            for (Plan p : in.plans()) {
                if (!p.siteId().equals(site.id())) {
                    throw new IllegalArgumentException("a plan is for site '" + p.siteId() + "', the analysis is for site '"
                            + site.id() + "'");
                }
                if (!p.catalog().equals(catalog.name())) {
                    throw new IllegalArgumentException("a plan uses catalog '" + p.catalog() + "', the analysis uses '"
                            + catalog.name() + "'");
                }
                if (m != null && p.mode() != m) {
                    throw new IllegalArgumentException("the plans mix modes " + m.wireName() + " and " + p.mode().wireName()
                            + ": analyse one survey at a time");
                }
                m = p.mode();
                plannedRoles.addAll(p.roles());
                for (RequirementPlan rp : p.requirements()) {
                    RequirementPlan known = statuses.get(rp.requirementId());
                    if (known == null || (known.status() != RequirementPlan.Status.PLANNED
                            && rp.status() == RequirementPlan.Status.PLANNED)) {
                        statuses.put(rp.requirementId(), rp);
                    }
                }
                p.tasks().forEach(t -> tasks.putIfAbsent(t.taskId(), t));
            }
            this.mode = m;
        }

        Analysis analyze() {
            accept();
            Judge judge = new Judge(catalog, site);
            List<Judged> judged = new ArrayList<>();
            Map<String, List<Judged>> byTask = new LinkedHashMap<>();
            for (ProbeTask t : tasks.values()) {
                if (t.kind() == ProbeKind.RESPOND) {
                    continue;
                }
                Requirement req = catalog.requirement(t.requirementId()).orElse(null);
                if (req == null) {
                    continue;
                }
                for (Map.Entry<String, List<ProbeResult>> e : results.getOrDefault(t.taskId(), Map.of()).entrySet()) {
                    Judged j = judgeAll(judge, t, req, e.getKey(), e.getValue());
                    responderCheck(j);
                    judged.add(j);
                    byTask.computeIfAbsent(t.taskId(), k -> new ArrayList<>()).add(j);
                }
            }
            Locator locator = new Locator(judged);
            judged.forEach(locator::locate);
            locator.identify();
            locator.compareTlsChains();
            outboundSummary(judged);
            dnsNeedsHairpin(judged);

            List<Verdict> verdicts = new ArrayList<>();
            for (Requirement r : catalog.requirements()) {
                verdicts.add(verdict(r, byTask));
            }
            int used = (int) verdicts.stream().flatMap(v -> v.resultIds().stream()).distinct().count();
            return new Analysis(site.id(), catalog.name(), mode, input.analyzedAt(), verdicts, summary(verdicts, used),
                    regressions(verdicts), ignored);
        }

        // --- accepting results ------------------------------------------------------------------

        private void accept() {
            List<ProbeResult> sorted = new ArrayList<>();
            for (ProbeResult r : input.results()) {
                if (r == null) {
                    ignored.add(new IgnoredResult(null, null, null, "a null result"));
                } else {
                    sorted.add(r);
                }
            }
            // arrival order must not matter: same results, same analysis
            sorted.sort(Comparator.comparing((ProbeResult r) -> String.valueOf(r.taskId()))
                    .thenComparing(r -> String.valueOf(r.agentId()))
                    .thenComparing(r -> r.startedAt() == null ? Instant.MIN : r.startedAt())
                    .thenComparing(r -> String.valueOf(r.resultId())));
            Set<String> seen = new HashSet<>();
            for (ProbeResult r : sorted) {
                String why = reject(r);
                if (why != null) {
                    ignored.add(new IgnoredResult(r.resultId(), r.taskId(), r.agentId(), why));
                    continue;
                }
                if (!seen.add(r.resultId())) {
                    continue; // a re-sent result: same id, counted once
                }
                if (tasks.get(r.taskId()).kind() != ProbeKind.RESPOND) {
                    vantagesWithResults.add(tasks.get(r.taskId()).vantage());
                }
                results.computeIfAbsent(r.taskId(), k -> new LinkedHashMap<>())
                        .computeIfAbsent(r.agentId() == null ? "" : r.agentId(), k -> new ArrayList<>()).add(r);
            }
        }

        private String reject(ProbeResult r) {
            if (r.resultId() == null || r.resultId().isBlank()) {
                return "no result id";
            }
            if (r.schemaVersion() != dev.vantage.wire.Wire.SCHEMA_VERSION) {
                return "schema version " + r.schemaVersion() + ", this analysis reads version " + dev.vantage.wire.Wire.SCHEMA_VERSION;
            }
            ProbeTask t = r.taskId() == null ? null : tasks.get(r.taskId());
            if (t == null) {
                return "task '" + r.taskId() + "' is not part of the survey's plan";
            }
            if (r.requirementId() != null && !r.requirementId().equals(t.requirementId())) {
                return "names requirement '" + r.requirementId() + "' but task " + t.taskId() + " is for '"
                        + t.requirementId() + "'";
            }
            if (r.vantage() != null && !r.vantage().equals(t.vantage())) {
                return "comes from vantage '" + r.vantage() + "' but task " + t.taskId() + " is for '" + t.vantage() + "'";
            }
            if (r.siteId() != null && !r.siteId().equals(site.id())) {
                return "is for site '" + r.siteId() + "', not '" + site.id() + "'";
            }
            if (r.kind() != null && r.kind() != t.kind()) {
                return "is a " + r.kind().wireName() + " result for a " + t.kind().wireName() + " task";
            }
            if (r.ports() != null && t.ports() != null && !r.ports().equals(t.ports())) {
                return "reports ports " + r.ports() + " but task " + t.taskId() + " asked for " + t.ports();
            }
            if (t.agentId() != null && r.agentId() != null && !t.agentId().equals(r.agentId())) {
                return "comes from agent '" + r.agentId() + "' but task " + t.taskId() + " was sent to '" + t.agentId() + "'";
            }
            if (r.agentId() != null) {
                Vantage v = site.vantages().stream().filter(x -> x.agent().equals(r.agentId())).findFirst().orElse(null);
                if (v != null && !v.roles().contains(t.vantage())) {
                    return "agent '" + r.agentId() + "' plays " + String.join(", ", v.roles()) + " at site " + site.id()
                            + ", not " + t.vantage();
                }
            }
            if (r.outcome() == null) {
                return "no outcome";
            }
            return null;
        }

        // --- judging ----------------------------------------------------------------------------

        private Judged judgeAll(Judge judge, ProbeTask t, Requirement req, String agent, List<ProbeResult> rs) {
            List<Judged> each = new ArrayList<>();
            for (ProbeResult r : rs) {
                Judged j = newJudged(t, req, r, agent.isEmpty() ? null : agent);
                judge.judge(j);
                each.add(j);
            }
            Judged last = each.get(each.size() - 1);
            Set<VerdictStatus> statuses = new LinkedHashSet<>();
            each.forEach(j -> statuses.add(j.status));
            if (statuses.size() > 1) {
                Judged c = newJudged(t, req, last.result, last.agentId);
                StringBuilder sb = new StringBuilder();
                for (Judged j : each) {
                    sb.append(sb.length() == 0 ? "" : ", ").append(j.result.outcome())
                            .append(j.result.startedAt() == null ? "" : " at " + j.result.startedAt());
                }
                c.set(INCONCLUSIVE, EVIDENCE_CONFLICT, c.from() + " reported " + each.size() + " different results for "
                        + Judge.where(c) + " (" + sb + "): the path is flapping or the results are not from one survey.");
                return c;
            }
            return last;
        }

        private Judged newJudged(ProbeTask t, Requirement req, ProbeResult r, String agent) {
            return new Judged(t, req, r, agent, zone(t.vantage()), addressKind(t, req), transport(t, req));
        }

        private Zone zone(String role) {
            SiteRole sr = site.roles().get(role);
            if (sr != null && sr.zone() != null) {
                return sr.zone();
            }
            return catalog.roles().containsKey(role) ? catalog.roles().get(role).zone() : Zone.INSIDE;
        }

        private String addressKind(ProbeTask t, Requirement req) {
            if (!req.destination().isRole()) {
                return null;
            }
            SiteRole sr = site.roles().get(req.destination().role());
            boolean isPublic = sr != null && sr.public_().stream().map(Address::text).anyMatch(a -> a.equalsIgnoreCase(t.target()));
            return isPublic ? "public" : "internal";
        }

        private static String transport(ProbeTask t, Requirement req) {
            return switch (t.kind()) {
                case TCP, TCP_RANGE, TLS, HTTP, SSH -> "tcp";
                case UDP, UDP_RANGE, RTP -> "udp";
                case SIP -> "udp".equals(t.param(TaskParams.TRANSPORT, "udp")) ? "udp" : "tcp";
                case NAT -> t.param(TaskParams.TRANSPORT, "udp");
                default -> req.protocol().wireName();
            };
        }

        /**
         * Pre-install failures towards a responder that did not open, or whose window was closed when the probe
         * ran, say nothing about the path.
         */
        private void responderCheck(Judged j) {
            if (j.status == null || !(j.isFailure() || j.code == RESPONDER_NOT_RUNNING) || !Judge.responderExpected(j.task)
                    || j.task.ports() == null || !j.requirement.destination().isRole()) {
                return;
            }
            for (ProbeTask rt : tasks.values()) {
                if (rt.kind() != ProbeKind.RESPOND || !rt.vantage().equals(j.requirement.destination().role())
                        || !j.transport.equals(rt.param(TaskParams.TRANSPORT, "tcp")) || rt.ports() == null
                        || !Judge.overlaps(rt.ports(), j.task.ports())) {
                    continue;
                }
                for (List<ProbeResult> rs : results.getOrDefault(rt.taskId(), Map.of()).values()) {
                    ProbeResult rr = rs.get(rs.size() - 1);
                    String why = null;
                    if (rr.outcome() == Outcome.ERROR || rr.outcome() == Outcome.TASK_REFUSED) {
                        why = "reported " + rr.outcome() + ": " + Judge.clip(rr.summary());
                    } else if (rr.outcome() == Outcome.LISTENED && rr.startedAt() != null && j.result.startedAt() != null) {
                        Instant end = rr.startedAt().plus(window(rt));
                        // the two times come from two agents' clocks: allow them to disagree a little
                        if (j.result.startedAt().isBefore(rr.startedAt().minus(CLOCK_SKEW))
                                || j.result.startedAt().isAfter(end.plus(CLOCK_SKEW))) {
                            why = "listened from " + rr.startedAt() + " to " + end + ", but the probe ran at "
                                    + j.result.startedAt();
                        }
                    }
                    if (why != null) {
                        j.set(INCONCLUSIVE, RESPONDER_NOT_RUNNING, "The responder of " + rt.vantage() + " (agent "
                                + rr.agentId() + ") for " + Judge.proto(j) + " " + rt.ports() + " " + why
                                + ". The failure seen from " + j.from() + " on " + Judge.where(j)
                                + " cannot be judged until the responder runs.");
                        j.reached.clear();
                        j.silent.clear();
                        j.rejected.clear();
                        return;
                    }
                }
            }
        }

        private static Duration window(ProbeTask respond) {
            try {
                return Duration.parse(respond.param(TaskParams.DURATION, ""));
            } catch (RuntimeException e) {
                return respond.timeout() == null ? Duration.ZERO : respond.timeout();
            }
        }

        /**
         * An internal view that gives the public address makes inside users depend on hairpin NAT: whether the
         * survey's hairpin checks pass decides whether they can reach the stack by its name at all.
         */
        private void dnsNeedsHairpin(List<Judged> judged) {
            List<String> failing = new ArrayList<>();
            List<String> passing = new ArrayList<>();
            for (Judged h : judged) {
                if ("public".equals(h.addressKind) && h.zone == Zone.INSIDE && h.status != null) {
                    if (h.isFailure() && !failing.contains(h.requirement.id())) {
                        failing.add(h.requirement.id());
                    } else if (h.status == PASS && !passing.contains(h.requirement.id())) {
                        passing.add(h.requirement.id());
                    }
                }
            }
            for (Judged j : judged) {
                if (j.code != DNS_SPLIT_HORIZON_WRONG || !(j.result.evidence() instanceof dev.vantage.wire.DnsEvidence e)
                        || e.observed().isEmpty() || !site.dnsExternal().containsAll(e.observed())) {
                    continue;
                }
                if (!failing.isEmpty()) {
                    j.text = j.text + " Hairpin NAT does not work either (" + String.join(", ", failing) + "): from "
                            + j.task.vantage() + " the stack cannot be reached by its name at all.";
                } else if (!passing.isEmpty()) {
                    j.text = j.text + " Hairpin NAT works (" + String.join(", ", passing) + "), so inside users reach"
                            + " the stack by name, but through the firewall.";
                }
            }
        }

        /** When nothing outbound answers a vantage at all, say so once: that is a route or a blanket block. */
        private void outboundSummary(List<Judged> judged) {
            Map<String, List<Judged>> byVantage = new LinkedHashMap<>();
            judged.stream().filter(j -> j.addressKind == null && j.task.kind() != ProbeKind.DNS && j.status != null)
                    .forEach(j -> byVantage.computeIfAbsent(j.task.vantage() + "/" + j.agentId, k -> new ArrayList<>()).add(j));
            for (List<Judged> js : byVantage.values()) {
                Set<String> hosts = new HashSet<>();
                js.forEach(j -> hosts.add(j.task.target()));
                if (hosts.size() >= 3 && js.stream().allMatch(j -> j.code == OUTBOUND_BLOCKED || j.code == EXPLICIT_REJECT
                        || (j.status == INCONCLUSIVE && j.reached.isEmpty()))) {
                    for (Judged j : js) {
                        if (j.code == OUTBOUND_BLOCKED) {
                            j.text = j.text + " None of the " + hosts.size() + " outbound destinations answers from "
                                    + j.task.vantage() + ": no route out, or all outbound traffic is blocked.";
                        }
                    }
                }
            }
        }

        // --- combining --------------------------------------------------------------------------

        private Verdict verdict(Requirement r, Map<String, List<Judged>> byTask) {
            RequirementPlan rp = statuses.get(r.id());
            if (rp == null) {
                return simple(r, UNTESTED, Diagnosis.of(NOT_SURVEYED, "None of the survey's plans covers " + r.id() + "."), List.of());
            }
            if (rp.status() == RequirementPlan.Status.NOT_APPLICABLE) {
                return simple(r, VerdictStatus.NOT_APPLICABLE, Diagnosis.of(DiagnosisCode.NOT_APPLICABLE,
                        "Not applicable: " + rp.reason() + "."), List.of());
            }
            if (rp.status() == RequirementPlan.Status.UNTESTED) {
                List<String> missing = missingRoles(r);
                DiagnosisCode code = rp.untested() != null && rp.untested().missingVantage() ? NO_VANTAGE : UNTESTABLE_AT_SITE;
                return simple(r, UNTESTED, new Diagnosis(code, "Untested: " + rp.reason() + ".", missing, List.of()), List.of());
            }
            List<ProbeTask> own = tasks.values().stream()
                    .filter(t -> t.kind() != ProbeKind.RESPOND && r.id().equals(t.requirementId())).toList();
            if (own.isEmpty()) {
                return simple(r, UNTESTED, new Diagnosis(NOT_SURVEYED, "Not part of this survey: it is proven from "
                        + String.join(", ", r.sources()) + ", and the survey's plans are for " + String.join(", ", plannedRoles)
                        + ".", r.sources(), List.of()), List.of());
            }
            List<String> gaps = new ArrayList<>(rp.gaps());
            Set<String> surveyed = new LinkedHashSet<>();
            own.forEach(t -> surveyed.add(t.vantage()));
            for (String s : r.sources()) {
                if (!surveyed.contains(s) && site.hasVantage(s) && gaps.stream().noneMatch(g -> g.contains(s))) {
                    gaps.add("not from " + s + ": not part of this survey");
                }
            }

            List<Judged> judged = new ArrayList<>();
            for (ProbeTask t : own) {
                List<Judged> js = byTask.get(t.taskId());
                if (js == null || js.isEmpty()) {
                    Judged missing = new Judged(t, r, null, t.agentId(), zone(t.vantage()), addressKind(t, r), transport(t, r));
                    List<String> agents = t.agentId() != null ? List.of(t.agentId()) : site.vantages().stream()
                            .filter(v -> v.roles().contains(t.vantage())).map(Vantage::agent).toList();
                    boolean silentVantage = !vantagesWithResults.contains(t.vantage());
                    missing.set(INCONCLUSIVE, NO_RESULT, "No result from " + t.vantage()
                            + (agents.isEmpty() ? " (no agent of the site plays it)" : " (agent " + String.join(" or ", agents) + ")")
                            + " for the " + t.kind().wireName() + " probe to " + Judge.where(missing)
                            + (silentVantage ? ": it sent no result for any of its tasks; is the agent running and connected?"
                            : ": the agent did not answer this task in time."));
                    judged.add(missing);
                } else {
                    judged.addAll(js);
                }
            }

            List<Judged> counted = r.destination().isHosts() && r.destination().match() == HostMatch.ANY
                    ? bestHostPerVantage(judged) : judged;
            VerdictStatus status = combine(counted, r.expect() == Expectation.BLOCKED);

            List<Diagnosis> diagnoses = new ArrayList<>();
            List<Judged> ordered = new ArrayList<>(counted);
            ordered.sort(Comparator.comparingInt(j -> rank(j.status)));
            for (Judged j : ordered) {
                if (j.code != null && j.status != PASS) {
                    addDiagnosis(diagnoses, new Diagnosis(j.code, j.text, List.of(j.task.vantage()),
                            j.result == null ? List.of() : List.of(j.result.resultId())));
                }
            }
            for (Judged j : counted) {
                j.notes.forEach(n -> addDiagnosis(diagnoses, n));
            }
            Severity severity = diagnoses.stream().anyMatch(d -> d.code() == EXPOSED_TO_INTERNET) ? Severity.CRITICAL : r.severity();
            List<Check> checks = judged.stream().map(Run::check).toList();
            List<String> resultIds = judged.stream().filter(j -> j.result != null).map(j -> j.result.resultId()).distinct().toList();
            return new Verdict(r.id(), r.title(), severity, status, diagnoses, checks, resultIds, gaps);
        }

        private static void addDiagnosis(List<Diagnosis> list, Diagnosis d) {
            for (int i = 0; i < list.size(); i++) {
                Diagnosis x = list.get(i);
                if (x.code() == d.code() && x.text().equals(d.text())) {
                    List<String> v = new ArrayList<>(x.vantages());
                    d.vantages().stream().filter(s -> !v.contains(s)).forEach(v::add);
                    List<String> ids = new ArrayList<>(x.resultIds());
                    d.resultIds().stream().filter(s -> !ids.contains(s)).forEach(ids::add);
                    list.set(i, new Diagnosis(x.code(), x.text(), v, ids));
                    return;
                }
            }
            list.add(d);
        }

        private static int rank(VerdictStatus s) {
            return switch (s) {
                case FAIL -> 0;
                case PARTIAL -> 1;
                case INCONCLUSIVE -> 2;
                default -> 3;
            };
        }

        /** "A or B": per vantage, the best host counts; when none passes, every host's story matters. */
        private static List<Judged> bestHostPerVantage(List<Judged> judged) {
            Map<String, Map<String, List<Judged>>> byVantage = new LinkedHashMap<>();
            for (Judged j : judged) {
                byVantage.computeIfAbsent(j.task.vantage(), k -> new LinkedHashMap<>())
                        .computeIfAbsent(j.task.target(), k -> new ArrayList<>()).add(j);
            }
            List<Judged> counted = new ArrayList<>();
            for (Map<String, List<Judged>> hosts : byVantage.values()) {
                List<Judged> passing = hosts.values().stream().filter(js -> worst(js) == PASS).findFirst().orElse(null);
                if (passing != null) {
                    counted.addAll(passing);
                } else {
                    hosts.values().forEach(counted::addAll);
                }
            }
            return counted;
        }

        /**
         * The checks of one path (vantage, agent, target) are aspects of the same traffic: the path is as good
         * as its worst check. Paths then combine: all pass is PASS, some pass is PARTIAL, none is FAIL; a
         * must-be-blocked port that answered on any path is FAIL.
         */
        static VerdictStatus combine(List<Judged> js, boolean blocked) {
            Map<String, List<Judged>> paths = new LinkedHashMap<>();
            for (Judged j : js) {
                paths.computeIfAbsent(j.task.vantage() + "|" + j.agentId + "|" + j.task.target(), k -> new ArrayList<>()).add(j);
            }
            int pass = 0;
            int fail = 0;
            int partial = 0;
            int inconclusive = 0;
            for (List<Judged> path : paths.values()) {
                switch (worst(path)) {
                    case PASS -> pass++;
                    case FAIL -> fail++;
                    case PARTIAL -> partial++;
                    default -> inconclusive++;
                }
            }
            if (fail + partial == 0) {
                return inconclusive > 0 || pass == 0 ? INCONCLUSIVE : PASS;
            }
            if (blocked && fail > 0) {
                return FAIL;
            }
            return pass + partial == 0 ? FAIL : PARTIAL;
        }

        private static VerdictStatus worst(List<Judged> js) {
            VerdictStatus worst = PASS;
            for (Judged j : js) {
                if (rank(j.status) < rank(worst)) {
                    worst = j.status;
                }
            }
            return worst;
        }

        private static Check check(Judged j) {
            ProbeResult r = j.result;
            Diagnosis d = j.code == null ? (j.notes.isEmpty() ? null : j.notes.get(0))
                    : new Diagnosis(j.code, j.text, List.of(j.task.vantage()), r == null ? List.of() : List.of(r.resultId()));
            return new Check(j.task.taskId(), j.task.vantage(), j.agentId, j.task.kind(), j.task.target(), j.task.ports(),
                    r == null ? null : r.resultId(), r == null ? null : r.outcome(), j.status, d,
                    r == null ? null : Judge.clip(r.summary()));
        }

        private Verdict simple(Requirement r, VerdictStatus status, Diagnosis d, List<String> gaps) {
            return new Verdict(r.id(), r.title(), r.severity(), status, List.of(d), List.of(), List.of(), gaps);
        }

        /** Source roles (and a responder's destination role) that no vantage of the site or of the plans plays. */
        private List<String> missingRoles(Requirement r) {
            List<String> missing = new ArrayList<>();
            for (String s : r.sources()) {
                if (!site.hasVantage(s) && !plannedRoles.contains(s)) {
                    missing.add(s);
                }
            }
            if (r.destination().isRole() && !site.hasVantage(r.destination().role())
                    && !plannedRoles.contains(r.destination().role()) && !missing.contains(r.destination().role())
                    && (r.responder() == dev.vantage.catalog.ResponderPolicy.ALWAYS
                    || (r.responder() == dev.vantage.catalog.ResponderPolicy.PRE_INSTALL && mode == Mode.PRE_INSTALL))) {
                missing.add(r.destination().role());
            }
            return missing;
        }

        // --- summary and regressions ------------------------------------------------------------

        private SurveySummary summary(List<Verdict> verdicts, int used) {
            Map<VerdictStatus, Integer> counts = new EnumMap<>(VerdictStatus.class);
            Map<Severity, Map<VerdictStatus, Integer>> bySeverity = new EnumMap<>(Severity.class);
            for (VerdictStatus s : VerdictStatus.values()) {
                counts.put(s, 0);
            }
            for (Severity sev : Severity.values()) {
                Map<VerdictStatus, Integer> m = new EnumMap<>(VerdictStatus.class);
                for (VerdictStatus s : VerdictStatus.values()) {
                    m.put(s, 0);
                }
                bySeverity.put(sev, m);
            }
            List<String> reasons = new ArrayList<>();
            for (Verdict v : verdicts) {
                counts.merge(v.status(), 1, Integer::sum);
                bySeverity.get(v.severity()).merge(v.status(), 1, Integer::sum);
                if (v.severity() == Severity.CRITICAL && (v.status().isFailure() || v.status() == UNTESTED
                        || v.status() == INCONCLUSIVE)) {
                    Diagnosis d = v.diagnosis();
                    reasons.add(v.requirementId() + " (critical) is " + v.status()
                            + (d == null ? "" : ": " + d.code() + " - " + d.text()));
                }
            }
            Map<String, Integer> planned = new LinkedHashMap<>();
            tasks.values().stream().filter(t -> t.kind() != ProbeKind.RESPOND)
                    .forEach(t -> planned.merge(t.vantage(), 1, Integer::sum));
            List<String> silent = new ArrayList<>();
            planned.forEach((role, n) -> {
                if (!vantagesWithResults.contains(role)) {
                    List<String> agents = site.vantages().stream().filter(v -> v.roles().contains(role)).map(Vantage::agent).toList();
                    silent.add(role + (agents.isEmpty() ? "" : " (agent " + String.join(" or ", agents) + ")")
                            + ": no result for any of its " + n + " tasks");
                }
            });
            return new SurveySummary(counts, bySeverity, reasons.isEmpty(), reasons, silent, used, ignored.size());
        }

        private Regressions regressions(List<Verdict> verdicts) {
            if (input.previous().isEmpty()) {
                return Regressions.NOT_COMPARED;
            }
            List<Regressions.Change> regressed = new ArrayList<>();
            List<Regressions.Change> fixed = new ArrayList<>();
            for (Verdict v : verdicts) {
                VerdictStatus before = input.previous().get(v.requirementId());
                if (before == null) {
                    continue;
                }
                Regressions.Change c = new Regressions.Change(v.requirementId(), v.title(), v.severity(), before,
                        v.status(), v.code());
                if (before == PASS && v.status().isFailure()) {
                    regressed.add(c);
                } else if (before.isFailure() && v.status() == PASS) {
                    fixed.add(c);
                }
            }
            return new Regressions(true, regressed, fixed);
        }
    }
}
