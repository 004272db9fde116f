package dev.vantage.coordinator.survey;

import dev.vantage.catalog.Severity;

import java.util.List;

/**
 * One stored verdict: what the analysis says about one requirement in one survey.
 *
 * @param requirementId     the catalog requirement
 * @param verdict           the verdict
 * @param severity          the requirement's severity (or a raised one, e.g. a security finding)
 * @param diagnosisCode     a stable code a program can match on, e.g. {@code perimeter.port-forward-missing}
 * @param diagnosis         one or two sentences for people, naming addresses, ports and vantages
 * @param evidenceResultIds the result ids the verdict rests on
 */
public record VerdictRow(String requirementId, Verdict verdict, Severity severity, String diagnosisCode,
                         String diagnosis, List<String> evidenceResultIds) {
    public VerdictRow {
        evidenceResultIds = List.copyOf(evidenceResultIds);
    }
}
