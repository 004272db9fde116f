package dev.vantage.coordinator.survey;

import dev.vantage.catalog.Requirement;
import dev.vantage.plan.RequirementPlan;
import dev.vantage.plan.TaskParams;
import dev.vantage.wire.Outcome;
import dev.vantage.wire.ProbeResult;
import io.quarkus.arc.DefaultBean;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * PLACEHOLDER for the real analysis (issue 5), behind the {@link SurveyAnalysis} seam until the lead
 * connects {@code dev.vantage.analysis}. It does only what needs no diagnosis:
 * <ul>
 *   <li>UNTESTED and NOT_APPLICABLE with the planner's reason;</li>
 *   <li>INCONCLUSIVE when a task went unanswered, naming the agents that did not answer;</li>
 *   <li>otherwise a naive reading of the outcomes: every result as expected → PASS, none → FAIL, some →
 *       PARTIAL, with the diagnosis code {@code placeholder.*} so nobody mistakes it for a diagnosis.</li>
 * </ul>
 */
@DefaultBean
@ApplicationScoped
public class PlanOnlyAnalysis implements SurveyAnalysis {
    private static final Set<Outcome> REACHED = EnumSet.of(Outcome.OPEN, Outcome.RESOLVED, Outcome.TRUSTED,
            Outcome.RESPONDED, Outcome.PASSED, Outcome.NAT, Outcome.NO_NAT, Outcome.LISTENED);
    private static final Set<Outcome> BLOCKED = EnumSet.of(Outcome.CLOSED, Outcome.FILTERED, Outcome.UNREACHABLE);

    @Override
    public List<VerdictRow> analyse(Input input) {
        Map<String, RequirementPlan> planned = new LinkedHashMap<>();
        input.plan().requirements().forEach(r -> planned.put(r.requirementId(), r));
        Map<String, ProbeResult> resultsById = new LinkedHashMap<>();
        input.results().forEach(r -> resultsById.put(r.resultId(), r));

        List<VerdictRow> rows = new ArrayList<>();
        for (Requirement req : input.catalog().requirements()) {
            RequirementPlan p = planned.get(req.id());
            if (p == null || p.status() == RequirementPlan.Status.UNTESTED) {
                rows.add(new VerdictRow(req.id(), Verdict.UNTESTED, req.severity(), "plan.untested",
                        p == null ? "the plan does not mention this requirement" : p.reason(), List.of()));
                continue;
            }
            if (p.status() == RequirementPlan.Status.NOT_APPLICABLE) {
                rows.add(new VerdictRow(req.id(), Verdict.NOT_APPLICABLE, req.severity(), "plan.not-applicable",
                        p.reason(), List.of()));
                continue;
            }
            List<DispatchedTask> tasks = input.tasks().stream()
                    .filter(t -> t.task().requirementId().equals(req.id())).toList();
            Set<String> silent = new TreeSet<>();
            List<String> evidence = new ArrayList<>();
            int asExpected = 0;
            int answered = 0;
            for (DispatchedTask t : tasks) {
                ProbeResult r = t.resultId() == null ? null : resultsById.get(t.resultId());
                if (r == null) {
                    silent.add(t.task().agentId() + " (" + t.task().vantage() + ")");
                    continue;
                }
                answered++;
                evidence.add(r.resultId());
                boolean blockedExpected = "blocked".equals(t.task().param(TaskParams.EXPECT_STATE, ""));
                if (blockedExpected ? BLOCKED.contains(r.outcome()) : REACHED.contains(r.outcome())) {
                    asExpected++;
                }
            }
            if (!silent.isEmpty()) {
                rows.add(new VerdictRow(req.id(), Verdict.INCONCLUSIVE, req.severity(), "survey.no-result",
                        "no result from agent " + String.join(", ", silent) + " before the survey "
                                + (input.deadlinePassed() ? "deadline passed" : "completed"), evidence));
            } else if (tasks.isEmpty()) {
                rows.add(new VerdictRow(req.id(), Verdict.INCONCLUSIVE, req.severity(), "survey.no-task",
                        "planned, but no agent of the site received a task for it", List.of()));
            } else if (asExpected == answered) {
                rows.add(new VerdictRow(req.id(), Verdict.PASS, req.severity(), "placeholder.as-expected",
                        "all " + answered + " results as expected (placeholder analysis, no diagnosis)", evidence));
            } else if (asExpected == 0) {
                rows.add(new VerdictRow(req.id(), Verdict.FAIL, req.severity(), "placeholder.not-as-expected",
                        "none of " + answered + " results as expected (placeholder analysis, no diagnosis)", evidence));
            } else {
                rows.add(new VerdictRow(req.id(), Verdict.PARTIAL, req.severity(), "placeholder.partly-as-expected",
                        asExpected + " of " + answered + " results as expected (placeholder analysis, no diagnosis)",
                        evidence));
            }
        }
        return rows;
    }
}
