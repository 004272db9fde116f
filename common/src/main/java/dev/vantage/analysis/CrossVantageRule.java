package dev.vantage.analysis;

/**
 * A rule that reads the whole survey at once: where a path is blocked, who answered, whether vantages
 * see the same certificate. Cross-vantage rules run after every result was judged on its own
 * ({@link Judge}), in the order {@link Analyzer} lists them; a rule may change a check's verdict, code
 * and text or add notes, and reads what earlier rules decided. A new kind of evidence or reasoning is a
 * new rule, not a branch in an existing one.
 */
interface CrossVantageRule {
    void apply(SurveyChecks survey);
}
