package dev.vantage.change;

import dev.vantage.analysis.DiagnosisCode;
import dev.vantage.analysis.VerdictStatus;

import java.util.List;

/**
 * What the survey could not turn into a change: an inconclusive check, an untested requirement, or a failure no rule
 * could place. Names what would decide it.
 *
 * @param requirementId the requirement
 * @param status        the status of the check (or of the verdict, for an untested requirement)
 * @param code          its diagnosis code
 * @param finding       what the analysis said
 * @param decide        what would decide it: the vantage to add, the responder to run, the agent to fix
 * @param vantages      the vantages it is about
 * @param resultIds     the results it rests on
 */
public record ToVerify(String requirementId, VerdictStatus status, DiagnosisCode code, String finding, String decide,
                       List<String> vantages, List<String> resultIds) {
    public ToVerify {
        vantages = List.copyOf(vantages);
        resultIds = List.copyOf(resultIds);
    }
}
