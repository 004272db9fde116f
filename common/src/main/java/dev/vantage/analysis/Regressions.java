package dev.vantage.analysis;

import dev.vantage.catalog.Severity;

import java.util.List;

/**
 * What changed since the previous survey of the site.
 *
 * @param compared  false when no previous verdicts were given (then both lists are empty)
 * @param regressed requirements that passed before and now FAIL or are PARTIAL
 * @param fixed     requirements that failed (FAIL or PARTIAL) before and now PASS
 */
public record Regressions(boolean compared, List<Change> regressed, List<Change> fixed) {
    public Regressions {
        regressed = List.copyOf(regressed);
        fixed = List.copyOf(fixed);
    }

    static final Regressions NOT_COMPARED = new Regressions(false, List.of(), List.of());

    /**
     * One requirement whose verdict changed.
     *
     * @param code the current main diagnosis code, null when none
     */
    public record Change(String requirementId, String title, Severity severity, VerdictStatus before,
                         VerdictStatus after, DiagnosisCode code) {
    }
}
