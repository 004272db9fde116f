package dev.vantage.coordinator.survey;

/** The answer per requirement per survey (vocabulary of DESIGN.md and issue 5). */
public enum Verdict {
    PASS, FAIL, PARTIAL, UNTESTED, NOT_APPLICABLE, INCONCLUSIVE
}
