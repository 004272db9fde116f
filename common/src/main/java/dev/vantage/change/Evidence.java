package dev.vantage.change;

import dev.vantage.analysis.DiagnosisCode;

import java.util.List;

/**
 * What a change rests on: the diagnoses, the vantages that failed, the vantages whose results placed the failure, and
 * the results.
 *
 * @param codes        the diagnosis codes of the checks behind the change
 * @param vantages     the vantages whose checks failed
 * @param reachedFrom  the vantages that reached the destination on those ports (what placed the failure)
 * @param resultIds    the results of the failing checks
 * @param answeredWith how the path answered in the destination's place ({@code reset}, {@code ICMP port
 *                     unreachable}, ...), null when it stayed silent or it does not apply
 * @param issuer       the issuer of the certificate chain an inspecting device presented, null otherwise
 */
public record Evidence(List<DiagnosisCode> codes, List<String> vantages, List<String> reachedFrom,
                       List<String> resultIds, String answeredWith, String issuer) {
    public Evidence {
        codes = List.copyOf(codes);
        vantages = List.copyOf(vantages);
        reachedFrom = List.copyOf(reachedFrom);
        resultIds = List.copyOf(resultIds);
    }
}
