package dev.vantage.plan;

import java.util.List;

/**
 * What the planner decided for one requirement at a site.
 *
 * @param requirementId the requirement
 * @param status        planned, untested or not applicable
 * @param reason        for UNTESTED and NOT_APPLICABLE: why, naming the missing role, module, address or
 *                      override; null when planned
 * @param gaps          for PLANNED: the parts that stay untested (a source role without a vantage, a
 *                      source without a usable target address); empty when fully planned
 */
public record RequirementPlan(String requirementId, Status status, String reason, List<String> gaps) {
    public RequirementPlan {
        gaps = List.copyOf(gaps);
    }

    public enum Status {
        PLANNED, UNTESTED, NOT_APPLICABLE;

        public String wireName() {
            return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
        }
    }
}
