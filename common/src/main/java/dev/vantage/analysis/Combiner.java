package dev.vantage.analysis;

import dev.vantage.catalog.Expectation;
import dev.vantage.catalog.HostMatch;
import dev.vantage.catalog.Mode;
import dev.vantage.catalog.Requirement;
import dev.vantage.catalog.ResponderPolicy;
import dev.vantage.catalog.Severity;
import dev.vantage.plan.RequirementPlan;
import dev.vantage.site.Site;
import dev.vantage.site.Vantage;
import dev.vantage.wire.ProbeResult;
import dev.vantage.wire.ProbeTask;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static dev.vantage.analysis.DiagnosisCode.*;
import static dev.vantage.analysis.VerdictStatus.*;

/**
 * The third pass: the checks of a requirement combined into its verdict. The checks of one path (vantage,
 * agent, target) are aspects of the same traffic, so a path is as good as its worst check; then all paths
 * pass is PASS, some is PARTIAL, none is FAIL; a must-be-blocked port that answered on any path is FAIL;
 * passes with a missing or unusable result are INCONCLUSIVE. For a destination with alternatives
 * ("A or B"), one passing host per vantage is enough. Requirements the plans did not probe keep the
 * planner's reason (UNTESTED, NOT_APPLICABLE).
 */
final class Combiner {
    private final SurveyPlans plans;
    private final Acceptance.Accepted accepted;
    private final PathFacts facts;
    private final Site site;

    Combiner(SurveyPlans plans, Acceptance.Accepted accepted, PathFacts facts) {
        this.plans = plans;
        this.accepted = accepted;
        this.facts = facts;
        this.site = plans.site();
    }

    /**
     * One verdict per requirement the plans have a status for (every catalog requirement, unless the survey checks
     * chosen ones: {@link dev.vantage.plan.Planner#plan(dev.vantage.catalog.Catalog, Site, Set,
     * dev.vantage.catalog.Mode, Set)}), in catalog order, from the judged checks per task id.
     */
    List<Verdict> verdicts(Map<String, List<Judged>> byTask) {
        return plans.catalog().requirements().stream().filter(r -> plans.statuses().containsKey(r.id()))
                .map(r -> verdict(r, plans.statuses().get(r.id()), byTask)).toList();
    }

    private Verdict verdict(Requirement r, RequirementPlan rp, Map<String, List<Judged>> byTask) {
        if (rp.status() == RequirementPlan.Status.NOT_APPLICABLE) {
            return simple(r, VerdictStatus.NOT_APPLICABLE, Diagnosis.of(DiagnosisCode.NOT_APPLICABLE,
                    "Not applicable: " + rp.reason() + "."));
        }
        if (rp.status() == RequirementPlan.Status.UNTESTED) {
            List<String> missing = missingRoles(r);
            DiagnosisCode code = rp.untested() != null && rp.untested().missingVantage() ? NO_VANTAGE : UNTESTABLE_AT_SITE;
            return simple(r, UNTESTED, new Diagnosis(code, "Untested: " + rp.reason() + ".", missing, List.of()));
        }
        List<ProbeTask> own = plans.probeTasks().stream().filter(t -> r.id().equals(t.requirementId())).toList();
        if (own.isEmpty()) {
            return simple(r, UNTESTED, new Diagnosis(NOT_SURVEYED, "Not part of this survey: it is proven from "
                    + String.join(", ", r.sources()) + ", and the survey's plans are for "
                    + String.join(", ", plans.plannedRoles()) + ".", r.sources(), List.of()));
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
            judged.addAll(js == null || js.isEmpty() ? List.of(noResult(t, r)) : js);
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
        List<Check> checks = judged.stream().map(Combiner::check).toList();
        List<String> resultIds = judged.stream().filter(j -> j.result != null).map(j -> j.result.resultId()).distinct().toList();
        return new Verdict(r.id(), r.title(), severity, status, diagnoses, checks, resultIds, gaps);
    }

    /** A planned task without a result: its vantage said nothing at all, or nothing for this task. */
    private Judged noResult(ProbeTask t, Requirement r) {
        Judged missing = facts.judged(t, r, null, t.agentId());
        List<String> agents = t.agentId() != null ? List.of(t.agentId()) : site.vantages().stream()
                .filter(v -> v.roles().contains(t.vantage())).map(Vantage::agent).toList();
        boolean silentVantage = !accepted.vantagesWithResults().contains(t.vantage());
        missing.set(INCONCLUSIVE, NO_RESULT, "No result from " + t.vantage()
                + (agents.isEmpty() ? " (no agent of the site plays it)" : " (agent " + String.join(" or ", agents) + ")")
                + " for the " + t.kind().wireName() + " probe to " + Phrasing.where(missing)
                + (silentVantage ? ": it sent no result for any of its tasks; is the agent running and connected?"
                : ": the agent did not answer this task in time."));
        return missing;
    }

    /** Diagnoses with the same code and text are one, listing every vantage and result they rest on. */
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
                r == null ? null : Phrasing.clip(r.summary()), CheckFacts.of(j));
    }

    private static Verdict simple(Requirement r, VerdictStatus status, Diagnosis d) {
        return new Verdict(r.id(), r.title(), r.severity(), status, List.of(d), List.of(), List.of(), List.of());
    }

    /** Source roles (and a responder's destination role) that no vantage of the site or of the plans plays. */
    private List<String> missingRoles(Requirement r) {
        List<String> missing = new ArrayList<>();
        for (String s : r.sources()) {
            if (!site.hasVantage(s) && !plans.plannedRoles().contains(s)) {
                missing.add(s);
            }
        }
        String role = r.destination().role();
        if (r.destination().isRole() && !site.hasVantage(role) && !plans.plannedRoles().contains(role)
                && !missing.contains(role) && (r.responder() == ResponderPolicy.ALWAYS
                || (r.responder() == ResponderPolicy.PRE_INSTALL && plans.mode() == Mode.PRE_INSTALL))) {
            missing.add(role);
        }
        return missing;
    }
}
