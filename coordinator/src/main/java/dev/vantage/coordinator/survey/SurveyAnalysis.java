package dev.vantage.coordinator.survey;

import dev.vantage.catalog.Catalog;
import dev.vantage.plan.Plan;
import dev.vantage.site.Site;
import dev.vantage.wire.ProbeResult;
import dev.vantage.wire.ProbeTask;

import java.util.List;
import java.util.Map;

/**
 * The seam between the coordinator and the analysis (issue 5, {@code dev.vantage.analysis} in
 * {@code common}): turns one completed survey into one verdict per catalog requirement.
 *
 * <p>The coordinator calls it exactly once per survey, inside the transaction that marks the survey
 * completed, and stores what it returns in the {@code verdict} and {@code result_check} tables. It must be a pure function of its
 * input (no I/O), return exactly one row per requirement of the catalog, and never throw for data it
 * does not like: a result it cannot use is evidence of an {@link Verdict#INCONCLUSIVE} verdict.
 *
 * <p>{@link AnalyzerAnalysis} implements it with the pure analysis of {@code dev.vantage.analysis} in
 * {@code common}, the same one the agent's standalone {@code check} uses.
 */
public interface SurveyAnalysis {

    /**
     * A task as dispatched to one agent and the id of the result that answered it.
     *
     * @param task     the task with its survey id and agent id set
     * @param resultId the answering result, or null when none arrived before the survey completed
     */
    record DispatchedTask(ProbeTask task, String resultId) {
        public boolean answered() {
            return resultId != null;
        }
    }

    /**
     * Everything known about a completed survey.
     *
     * @param catalog  the site's catalog
     * @param site     the site version the survey ran against
     * @param plan     the plan as made at the start: every task (without agent ids) and every requirement's
     *                 planner status
     * @param tasks    every task as dispatched, one per agent
     * @param results  the results that answered the tasks (one per answered task)
     * @param previous the verdicts of the site's previous completed survey by requirement id, empty for the
     *                 first; for regressions
     * @param deadlinePassed true when the survey completed because its deadline passed
     */
    record Input(Catalog catalog, Site site, Plan plan, List<DispatchedTask> tasks, List<ProbeResult> results,
                 Map<String, VerdictRow> previous, boolean deadlinePassed) {
    }

    /**
     * What the analysis returns: one verdict per requirement of the catalog, in catalog order, and what it said
     * about each result it judged (for the matrix cells and the evidence pages).
     */
    record Analysed(List<VerdictRow> verdicts, List<CheckRow> checks) {
        public Analysed {
            verdicts = List.copyOf(verdicts);
            checks = List.copyOf(checks);
        }
    }

    /** One verdict per requirement of the catalog, in catalog order, and a check per judged result. */
    Analysed analyse(Input input);
}
