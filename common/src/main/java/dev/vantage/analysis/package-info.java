/**
 * Verdicts and cross-vantage diagnosis: a survey's results in, one {@link dev.vantage.analysis.Verdict}
 * per catalog requirement out, with the results it rests on and a {@link dev.vantage.analysis.Diagnosis}
 * (stable {@link dev.vantage.analysis.DiagnosisCode} plus plain language).
 *
 * <p>Entry point: {@link dev.vantage.analysis.Analyzer#analyze(SurveyInput)}. Pure: no clock, no network, no
 * framework; the same input gives the same {@link dev.vantage.analysis.Analysis}. Used by the coordinator after a
 * survey and by the agent's standalone {@code check}. The rules and every code are described in
 * {@code docs/diagnosis-codes.md}; the scenario files in {@code src/test/resources/analysis} show them at work.
 */
package dev.vantage.analysis;
