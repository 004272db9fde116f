package dev.vantage.analysis;

import dev.vantage.wire.ProbeKind;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static dev.vantage.analysis.DiagnosisCode.EXPLICIT_REJECT;
import static dev.vantage.analysis.DiagnosisCode.OUTBOUND_BLOCKED;
import static dev.vantage.analysis.VerdictStatus.INCONCLUSIVE;

/** When nothing outbound answers a vantage at all, say so once: that is a route or a blanket block. */
final class OutboundSummaryRule implements CrossVantageRule {

    @Override
    public void apply(SurveyChecks survey) {
        Map<String, List<Judged>> byVantage = new LinkedHashMap<>();
        survey.checks.stream().filter(j -> j.addressKind == AddressKind.NONE && j.task.kind() != ProbeKind.DNS && j.status != null)
                .forEach(j -> byVantage.computeIfAbsent(j.task.vantage() + "/" + j.agentId, k -> new ArrayList<>()).add(j));
        for (List<Judged> js : byVantage.values()) {
            Set<String> hosts = new HashSet<>();
            js.forEach(j -> hosts.add(j.task.target()));
            if (hosts.size() >= 3 && js.stream().allMatch(j -> j.code == OUTBOUND_BLOCKED || j.code == EXPLICIT_REJECT
                    || (j.status == INCONCLUSIVE && j.reached.isEmpty()))) {
                for (Judged j : js) {
                    if (j.code == OUTBOUND_BLOCKED) {
                        j.text = j.text + " None of the " + hosts.size() + " outbound destinations answers from "
                                + j.task.vantage() + ": no route out, or all outbound traffic is blocked.";
                    }
                }
            }
        }
    }
}
