package dev.vantage.coordinator.survey;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * What changed between two surveys of a site, per requirement: {@code regressed} (passed before, does
 * not now), {@code fixed} (failed or partly failed before, passes now) or {@code changed}. Where one of them checked
 * chosen requirements only, only the requirements both checked are compared.
 */
public record Changes(UUID from, UUID to, List<Change> changes) {
    public record Change(String requirementId, Verdict before, Verdict after, String kind, String diagnosis) {
    }

    private static final Set<Verdict> BROKEN = Set.of(Verdict.FAIL, Verdict.PARTIAL, Verdict.INCONCLUSIVE);

    /** What changed from survey {@code from} to survey {@code to}, given their verdicts. */
    public static Changes between(SurveyQueries.SurveyView from, List<VerdictRow> before, SurveyQueries.SurveyView to,
                                  List<VerdictRow> after) {
        if (from.chosen() || to.chosen()) {
            // a survey of chosen requirements says nothing of the others: compare what both surveys checked
            Set<String> both = new java.util.HashSet<>();
            before.forEach(v -> both.add(v.requirementId()));
            both.retainAll(after.stream().map(VerdictRow::requirementId).toList());
            before = before.stream().filter(v -> both.contains(v.requirementId())).toList();
            after = after.stream().filter(v -> both.contains(v.requirementId())).toList();
        }
        return between(from.id(), before, to.id(), after);
    }

    static Changes between(UUID from, List<VerdictRow> before, UUID to, List<VerdictRow> after) {
        Map<String, VerdictRow> old = new LinkedHashMap<>();
        before.forEach(v -> old.put(v.requirementId(), v));
        List<Change> out = new ArrayList<>();
        for (VerdictRow now : after) {
            VerdictRow was = old.remove(now.requirementId());
            Verdict b = was == null ? null : was.verdict();
            if (b == now.verdict()) {
                continue;
            }
            String kind = b == Verdict.PASS && BROKEN.contains(now.verdict()) ? "regressed"
                    : now.verdict() == Verdict.PASS && BROKEN.contains(b) ? "fixed" : "changed";
            out.add(new Change(now.requirementId(), b, now.verdict(), kind, now.diagnosis()));
        }
        old.values().forEach(v -> out.add(new Change(v.requirementId(), v.verdict(), null, "changed",
                "no longer in the catalog")));
        return new Changes(from, to, out);
    }
}
