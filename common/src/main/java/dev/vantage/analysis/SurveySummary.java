package dev.vantage.analysis;

import dev.vantage.catalog.Severity;

import java.util.List;
import java.util.Map;

/**
 * Counts and the go-live flag of one survey.
 *
 * @param counts          verdicts per status (every status present, zero when none)
 * @param bySeverity      verdicts per severity and status
 * @param readyForGoLive  no critical requirement is FAIL, PARTIAL, UNTESTED or INCONCLUSIVE
 * @param notReadyReasons one line per critical requirement that blocks go-live, empty when ready
 * @param silentVantages  one line per vantage role that had planned probes but sent no result at all (an agent
 *                        down or disconnected), naming its agents
 * @param resultsUsed     results the verdicts rest on
 * @param resultsIgnored  results set aside (see {@link Analysis#ignored()})
 */
public record SurveySummary(Map<VerdictStatus, Integer> counts, Map<Severity, Map<VerdictStatus, Integer>> bySeverity,
                            boolean readyForGoLive, List<String> notReadyReasons, List<String> silentVantages,
                            int resultsUsed, int resultsIgnored) {
    public SurveySummary {
        counts = java.util.Collections.unmodifiableMap(new java.util.EnumMap<>(counts));
        java.util.EnumMap<Severity, Map<VerdictStatus, Integer>> copy = new java.util.EnumMap<>(Severity.class);
        bySeverity.forEach((s, m) -> copy.put(s, java.util.Collections.unmodifiableMap(new java.util.EnumMap<>(m))));
        bySeverity = java.util.Collections.unmodifiableMap(copy);
        notReadyReasons = List.copyOf(notReadyReasons);
        silentVantages = List.copyOf(silentVantages);
    }
}
