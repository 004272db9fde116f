package dev.vantage.analysis;

import dev.vantage.catalog.Catalog;
import dev.vantage.catalog.Mode;
import dev.vantage.plan.Plan;
import dev.vantage.plan.RequirementPlan;
import dev.vantage.site.Site;
import dev.vantage.wire.ProbeKind;
import dev.vantage.wire.ProbeTask;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The plans of one survey, merged: what was planned for each requirement, every task by id, and the roles
 * the plans are for. Checked to be for the analysed site and catalog and of one mode.
 *
 * @param statuses     per requirement id, its plan (a PLANNED one wins over an UNTESTED or NOT_APPLICABLE one
 *                     from another vantage's plan)
 * @param tasks        every task by id, in plan order (responder windows included)
 * @param plannedRoles the vantage roles the plans were made for
 */
record SurveyPlans(Catalog catalog, Site site, Mode mode, Map<String, RequirementPlan> statuses,
                   Map<String, ProbeTask> tasks, Set<String> plannedRoles) {

    /**
     * @throws IllegalArgumentException when there is no plan, or the plans are for another site, catalog or
     *                                  of mixed modes (naming the values)
     */
    static SurveyPlans of(SurveyInput in) {
        Catalog catalog = Objects.requireNonNull(in.catalog(), "catalog");
        Site site = Objects.requireNonNull(in.site(), "site");
        if (in.plans().isEmpty()) {
            throw new IllegalArgumentException("no plan given for site " + site.id() + ": the analysis needs the plan"
                    + " the results answer");
        }
        Map<String, RequirementPlan> statuses = new LinkedHashMap<>();
        Map<String, ProbeTask> tasks = new LinkedHashMap<>();
        Set<String> plannedRoles = new LinkedHashSet<>();
        Mode mode = null;
        for (Plan p : in.plans()) {
            if (!p.siteId().equals(site.id())) {
                throw new IllegalArgumentException("a plan is for site '" + p.siteId() + "', the analysis is for site '"
                        + site.id() + "'");
            }
            if (!p.catalog().equals(catalog.name())) {
                throw new IllegalArgumentException("a plan uses catalog '" + p.catalog() + "', the analysis uses '"
                        + catalog.name() + "'");
            }
            if (mode != null && p.mode() != mode) {
                throw new IllegalArgumentException("the plans mix modes " + mode.wireName() + " and " + p.mode().wireName()
                        + ": analyse one survey at a time");
            }
            mode = p.mode();
            plannedRoles.addAll(p.roles());
            for (RequirementPlan rp : p.requirements()) {
                RequirementPlan known = statuses.get(rp.requirementId());
                if (known == null || (known.status() != RequirementPlan.Status.PLANNED
                        && rp.status() == RequirementPlan.Status.PLANNED)) {
                    statuses.put(rp.requirementId(), rp);
                }
            }
            p.tasks().forEach(t -> tasks.putIfAbsent(t.taskId(), t));
        }
        return new SurveyPlans(catalog, site, mode, Collections.unmodifiableMap(statuses),
                Collections.unmodifiableMap(tasks), Collections.unmodifiableSet(plannedRoles));
    }

    /** The probe tasks, in plan order: every task but the responder windows. */
    List<ProbeTask> probeTasks() {
        return tasks.values().stream().filter(t -> t.kind() != ProbeKind.RESPOND).toList();
    }
}
