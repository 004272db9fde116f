package dev.vantage.analysis;

import dev.vantage.wire.DnsEvidence;

import java.util.ArrayList;
import java.util.List;

import static dev.vantage.analysis.DiagnosisCode.DNS_SPLIT_HORIZON_WRONG;
import static dev.vantage.analysis.VerdictStatus.PASS;

/**
 * An internal view that gives the public address makes inside users depend on hairpin NAT: whether the
 * survey's hairpin checks pass decides whether they can reach the stack by its name at all.
 */
final class DnsHairpinRule implements CrossVantageRule {

    @Override
    public void apply(SurveyChecks survey) {
        List<String> failing = new ArrayList<>();
        List<String> passing = new ArrayList<>();
        for (Judged h : survey.checks) {
            if (h.isHairpin() && h.status != null) {
                if (h.isFailure() && !failing.contains(h.requirement.id())) {
                    failing.add(h.requirement.id());
                } else if (h.status == PASS && !passing.contains(h.requirement.id())) {
                    passing.add(h.requirement.id());
                }
            }
        }
        for (Judged j : survey.checks) {
            if (j.code != DNS_SPLIT_HORIZON_WRONG || !(j.result.evidence() instanceof DnsEvidence e)
                    || e.observed().isEmpty() || !DnsRules.allListed(survey.site.dnsExternal(), e.observed())) {
                continue;
            }
            if (!failing.isEmpty()) {
                j.text = j.text + " Hairpin NAT does not work either (" + String.join(", ", failing) + "): from "
                        + j.task.vantage() + " the stack cannot be reached by its name at all.";
            } else if (!passing.isEmpty()) {
                j.text = j.text + " Hairpin NAT works (" + String.join(", ", passing) + "), so inside users reach"
                        + " the stack by name, but through the firewall.";
            }
        }
    }
}
