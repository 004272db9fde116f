package dev.vantage.coordinator.survey;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * What changed between two surveys of a site, per requirement: {@code regressed} (passed before, does
 * not now), {@code fixed} (failed or partly failed before, passes now) or {@code changed}.
 */
public record Changes(UUID from, UUID to, List<Change> changes) {
    public record Change(String requirementId, Verdict before, Verdict after, String kind, String diagnosis) {
    }

    private static final Set<Verdict> BROKEN = Set.of(Verdict.FAIL, Verdict.PARTIAL, Verdict.INCONCLUSIVE);

    public static Changes between(UUID from, List<VerdictRow> before, UUID to, List<VerdictRow> after) {
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
