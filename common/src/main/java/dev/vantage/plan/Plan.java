package dev.vantage.plan;

import dev.vantage.catalog.Mode;
import dev.vantage.wire.ProbeTask;

import java.util.List;
import java.util.Set;

/**
 * The planner's answer for one site: the tasks of the asked vantages and the status of every
 * requirement of the catalog.
 *
 * @param siteId       the site
 * @param catalog      the catalog name
 * @param mode         pre-install or post-install
 * @param roles        the vantage roles the tasks are for
 * @param tasks        respond tasks first (listeners must be up before probes arrive), then probes in
 *                     catalog order with range sweeps after the other probes and RTP streams last
 * @param requirements one entry per catalog requirement, in catalog order
 */
public record Plan(String siteId, String catalog, Mode mode, Set<String> roles, List<ProbeTask> tasks,
                   List<RequirementPlan> requirements) {
    public Plan {
        roles = Set.copyOf(roles);
        tasks = List.copyOf(tasks);
        requirements = List.copyOf(requirements);
    }

    public List<RequirementPlan> withStatus(RequirementPlan.Status status) {
        return requirements.stream().filter(r -> r.status() == status).toList();
    }

    public List<ProbeTask> tasksFor(String role) {
        return tasks.stream().filter(t -> t.vantage().equals(role)).toList();
    }
}
