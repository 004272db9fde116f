package dev.vantage.analysis;

import dev.vantage.site.Vantage;
import dev.vantage.wire.ProbeKind;
import dev.vantage.wire.ProbeResult;
import dev.vantage.wire.ProbeTask;
import dev.vantage.wire.Wire;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The first pass: results are untrusted input. One that answers no task of the plans, names another
 * requirement, vantage, site, kind or ports than its task, comes from an agent that does not play the
 * task's role, or has no outcome is set aside with the reason; a re-sent result (same id) counts once.
 * Arrival order does not matter.
 */
final class Acceptance {
    private final SurveyPlans plans;

    Acceptance(SurveyPlans plans) {
        this.plans = plans;
    }

    /**
     * What the later passes use.
     *
     * @param results             accepted results per task id and agent id ("" when none), in a fixed order
     * @param ignored             the results set aside, with the reason
     * @param vantagesWithResults vantage roles with at least one accepted result for a probe task
     */
    record Accepted(Map<String, Map<String, List<ProbeResult>>> results, List<IgnoredResult> ignored,
                    Set<String> vantagesWithResults) {

        /** The accepted results of a task, per agent. */
        Map<String, List<ProbeResult>> of(ProbeTask t) {
            return results.getOrDefault(t.taskId(), Map.of());
        }

        /** The plan's responder windows with the report of each agent (the closing one when it arrived). */
        List<ResponderWindow> windows(SurveyPlans plans) {
            List<ResponderWindow> windows = new ArrayList<>();
            for (ProbeTask t : plans.tasks().values()) {
                if (t.kind() == ProbeKind.RESPOND) {
                    windows.add(new ResponderWindow(t, of(t).values().stream().map(ResponderWindow::of).toList()));
                }
            }
            return windows;
        }
    }

    Accepted accept(List<ProbeResult> input) {
        List<IgnoredResult> ignored = new ArrayList<>();
        Map<String, Map<String, List<ProbeResult>>> results = new LinkedHashMap<>();
        Set<String> vantagesWithResults = new LinkedHashSet<>();
        List<ProbeResult> sorted = new ArrayList<>();
        for (ProbeResult r : input) {
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
            ProbeTask t = plans.tasks().get(r.taskId());
            if (t.kind() != ProbeKind.RESPOND) {
                vantagesWithResults.add(t.vantage());
            }
            results.computeIfAbsent(r.taskId(), k -> new LinkedHashMap<>())
                    .computeIfAbsent(r.agentId() == null ? "" : r.agentId(), k -> new ArrayList<>()).add(r);
        }
        return new Accepted(results, ignored, vantagesWithResults);
    }

    /** Why the result cannot be used, or null when it can. */
    private String reject(ProbeResult r) {
        if (r.resultId() == null || r.resultId().isBlank()) {
            return "no result id";
        }
        if (!Wire.readsResultSchema(r.schemaVersion())) {
            return "schema version " + r.schemaVersion() + ", this analysis reads versions " + Wire.OLDEST_RESULT_SCHEMA
                    + " to " + Wire.SCHEMA_VERSION;
        }
        ProbeTask t = r.taskId() == null ? null : plans.tasks().get(r.taskId());
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
        String siteId = plans.site().id();
        if (r.siteId() != null && !r.siteId().equals(siteId)) {
            return "is for site '" + r.siteId() + "', not '" + siteId + "'";
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
            Vantage v = plans.site().vantages().stream().filter(x -> x.agent().equals(r.agentId())).findFirst().orElse(null);
            if (v != null && !v.roles().contains(t.vantage())) {
                return "agent '" + r.agentId() + "' plays " + String.join(", ", v.roles()) + " at site " + siteId
                        + ", not " + t.vantage();
            }
        }
        if (r.outcome() == null) {
            return "no outcome";
        }
        return null;
    }
}
