package dev.vantage.analysis;

import dev.vantage.catalog.Severity;
import dev.vantage.site.Vantage;
import dev.vantage.wire.ProbeTask;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static dev.vantage.analysis.VerdictStatus.INCONCLUSIVE;
import static dev.vantage.analysis.VerdictStatus.PASS;
import static dev.vantage.analysis.VerdictStatus.UNTESTED;

/**
 * The survey as a whole: counts, go-live readiness, vantages that sent nothing, and what changed since
 * the previous survey.
 */
final class Summarizer {
    private final SurveyPlans plans;
    private final Acceptance.Accepted accepted;

    Summarizer(SurveyPlans plans, Acceptance.Accepted accepted) {
        this.plans = plans;
        this.accepted = accepted;
    }

    /** Not ready for go-live while any critical requirement fails, is partial, untested or inconclusive. */
    SurveySummary summary(List<Verdict> verdicts) {
        Map<VerdictStatus, Integer> counts = zeroes();
        Map<Severity, Map<VerdictStatus, Integer>> bySeverity = new EnumMap<>(Severity.class);
        for (Severity sev : Severity.values()) {
            bySeverity.put(sev, zeroes());
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
        int used = (int) verdicts.stream().flatMap(v -> v.resultIds().stream()).distinct().count();
        return new SurveySummary(counts, bySeverity, reasons.isEmpty(), reasons, silentVantages(), used,
                accepted.ignored().size());
    }

    /** Roles that had probe tasks but sent no result at all, naming their agents. */
    private List<String> silentVantages() {
        Map<String, Integer> planned = new LinkedHashMap<>();
        for (ProbeTask t : plans.probeTasks()) {
            planned.merge(t.vantage(), 1, Integer::sum);
        }
        List<String> silent = new ArrayList<>();
        planned.forEach((role, n) -> {
            if (!accepted.vantagesWithResults().contains(role)) {
                List<String> agents = plans.site().vantages().stream().filter(v -> v.roles().contains(role))
                        .map(Vantage::agent).toList();
                silent.add(role + (agents.isEmpty() ? "" : " (agent " + String.join(" or ", agents) + ")")
                        + ": no result for any of its " + n + " tasks");
            }
        });
        return silent;
    }

    /** Regressed: was PASS, now a failure; fixed: was a failure, now PASS. Other changes are about the survey. */
    Regressions regressions(List<Verdict> verdicts, Map<String, VerdictStatus> previous) {
        if (previous.isEmpty()) {
            return Regressions.NOT_COMPARED;
        }
        List<Regressions.Change> regressed = new ArrayList<>();
        List<Regressions.Change> fixed = new ArrayList<>();
        for (Verdict v : verdicts) {
            VerdictStatus before = previous.get(v.requirementId());
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

    private static Map<VerdictStatus, Integer> zeroes() {
        Map<VerdictStatus, Integer> m = new EnumMap<>(VerdictStatus.class);
        for (VerdictStatus s : VerdictStatus.values()) {
            m.put(s, 0);
        }
        return m;
    }
}
