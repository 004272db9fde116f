package dev.vantage.analysis;

import dev.vantage.catalog.Catalog;
import dev.vantage.plan.Plan;
import dev.vantage.site.Site;
import dev.vantage.wire.ProbeResult;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * Everything one analysis needs; nothing is read from the clock or the network.
 *
 * @param catalog    the site's catalog
 * @param site       the site
 * @param plans      one plan for the whole site, or one per vantage (same site, catalog and mode); the
 *                   tasks are their union
 * @param results    the results of the survey as they arrived, duplicates and garbage included
 * @param previous   the previous survey's verdict per requirement id, or an empty map for the first survey
 * @param analyzedAt the time to stamp on the analysis (passed in to keep the function pure)
 */
public record SurveyInput(Catalog catalog, Site site, List<Plan> plans, List<ProbeResult> results,
                          Map<String, VerdictStatus> previous, Instant analyzedAt) {
    public SurveyInput {
        plans = List.copyOf(plans);
        results = java.util.Collections.unmodifiableList(new ArrayList<>(results)); // may hold nulls: untrusted
        previous = previous == null ? Map.of() : Map.copyOf(previous);
    }

    public SurveyInput(Catalog catalog, Site site, Plan plan, Collection<ProbeResult> results, Instant analyzedAt) {
        this(catalog, site, List.of(plan), new ArrayList<>(results), Map.of(), analyzedAt);
    }

    /** The same input compared against a previous survey's verdicts. */
    public SurveyInput withPrevious(List<Verdict> verdicts) {
        Map<String, VerdictStatus> map = new java.util.LinkedHashMap<>();
        verdicts.forEach(v -> map.put(v.requirementId(), v.status()));
        return new SurveyInput(catalog, site, plans, results, map, analyzedAt);
    }
}
