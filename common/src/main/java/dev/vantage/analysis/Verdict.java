package dev.vantage.analysis;

import dev.vantage.catalog.Severity;

import java.util.List;

/**
 * The verdict for one requirement in one survey.
 *
 * @param requirementId the catalog requirement
 * @param title         its title
 * @param severity      the catalog's severity, raised to critical when the survey found an exposure
 * @param status        the verdict
 * @param diagnoses     why, most important first; for PASS only notes (e.g. NAT seen), often empty
 * @param checks        every planned probe of this survey for the requirement, as judged
 * @param resultIds     the results the verdict rests on
 * @param gaps          what stays unproven although the verdict was reached (a source role no vantage
 *                      plays, a source left out of this survey)
 */
public record Verdict(String requirementId, String title, Severity severity, VerdictStatus status,
                      List<Diagnosis> diagnoses, List<Check> checks, List<String> resultIds, List<String> gaps) {
    public Verdict {
        diagnoses = List.copyOf(diagnoses);
        checks = List.copyOf(checks);
        resultIds = List.copyOf(resultIds);
        gaps = List.copyOf(gaps);
    }

    /** The main diagnosis, null when there is none (a clean PASS). */
    public Diagnosis diagnosis() {
        return diagnoses.isEmpty() ? null : diagnoses.get(0);
    }

    /** The main diagnosis code, null when there is none. */
    public DiagnosisCode code() {
        return diagnoses.isEmpty() ? null : diagnoses.get(0).code();
    }
}
