package dev.vantage.plan;

import java.util.List;
import java.util.Locale;

/**
 * What the planner decided for one requirement at a site.
 *
 * @param requirementId the requirement
 * @param status        planned, untested or not applicable
 * @param reason        for UNTESTED and NOT_APPLICABLE: why, in a sentence naming the missing role, module,
 *                      address or override; null when planned
 * @param gaps          for PLANNED: the parts that stay untested (a source role without a vantage, a
 *                      source without a usable target address); empty when fully planned
 * @param untested      for UNTESTED: why, as a type to decide on (the sentence is for people); null otherwise,
 *                      and in plans stored before it existed
 */
public record RequirementPlan(String requirementId, Status status, String reason, List<String> gaps,
                              Untested untested) {
    public RequirementPlan {
        gaps = List.copyOf(gaps);
        if (untested != null && status != Status.UNTESTED) {
            throw new IllegalArgumentException("requirement " + requirementId + " is " + status
                    + ", it cannot be untested because " + untested);
        }
    }

    /** A plan without a typed untested reason: PLANNED or NOT_APPLICABLE. */
    public RequirementPlan(String requirementId, Status status, String reason, List<String> gaps) {
        this(requirementId, status, reason, gaps, null);
    }

    static RequirementPlan untested(String requirementId, Untested why, String reason) {
        return new RequirementPlan(requirementId, Status.UNTESTED, reason, List.of(), why);
    }

    public enum Status {
        PLANNED, UNTESTED, NOT_APPLICABLE;

        public String wireName() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }
    }

    /** Why a requirement that applies to the site cannot be tested by the plan. */
    public enum Untested {
        /** No vantage of the site plays any of the requirement's source roles. */
        NO_SOURCE_VANTAGE,
        /** The probes need a responder, and no vantage plays the destination role that would open it. */
        NO_RESPONDER_VANTAGE,
        /** The catalog has no probe for the survey's mode. */
        NO_PROBE_FOR_MODE,
        /** The site gives no usable target: no (public) address of the role, or no host for an override. */
        NO_TARGET;

        /** True when an agent playing a further role would make the requirement testable. */
        public boolean missingVantage() {
            return this == NO_SOURCE_VANTAGE || this == NO_RESPONDER_VANTAGE;
        }

        public String wireName() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }
    }
}
