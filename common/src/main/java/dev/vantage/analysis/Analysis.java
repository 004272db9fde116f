package dev.vantage.analysis;

import dev.vantage.catalog.Mode;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The outcome of analysing one survey.
 *
 * @param siteId      the site
 * @param catalog     the catalog name
 * @param mode        pre-install or post-install
 * @param analyzedAt  as given in the input
 * @param verdicts    one per catalog requirement, in catalog order
 * @param summary     counts and the go-live flag
 * @param regressions changes against the previous survey
 * @param ignored     results set aside, with the reason
 */
public record Analysis(String siteId, String catalog, Mode mode, Instant analyzedAt, List<Verdict> verdicts,
                       SurveySummary summary, Regressions regressions, List<IgnoredResult> ignored) {
    public Analysis {
        verdicts = List.copyOf(verdicts);
        ignored = List.copyOf(ignored);
    }

    public Optional<Verdict> verdict(String requirementId) {
        return verdicts.stream().filter(v -> v.requirementId().equals(requirementId)).findFirst();
    }
}
