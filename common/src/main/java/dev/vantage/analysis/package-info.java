/**
 * Verdicts and cross-vantage diagnosis: a survey's results in, one {@link dev.vantage.analysis.Verdict}
 * per catalog requirement out, with the results it rests on and a {@link dev.vantage.analysis.Diagnosis}
 * (stable {@link dev.vantage.analysis.DiagnosisCode} plus plain language).
 *
 * <p>Entry point: {@link dev.vantage.analysis.Analyzer#analyze(SurveyInput)}. Pure: no clock, no network, no
 * framework; the same input gives the same {@link dev.vantage.analysis.Analysis}. Used by the coordinator after a
 * survey and by the agent's standalone {@code check}. The rules and every code are described in
 * {@code docs/diagnosis-codes.md}; the scenario files in {@code src/test/resources/analysis} show them at work.
 *
 * <p>Where the rules live, by pass of {@link dev.vantage.analysis.Analyzer}: accepting untrusted results in
 * {@code Acceptance}; the local rules behind {@code Judge}, one class per rule set ({@code PortRules} with
 * {@code PortStates}, {@code DnsRules}, {@code TlsRules}, {@code ApplicationRules} for HTTP/SSH/SIP,
 * {@code MediaRules} for RTP and NAT) with the shared wording in {@code Phrasing}; the rules across vantages as
 * {@code CrossVantageRule} implementations, run in the order {@code Analyzer} lists them over
 * {@code SurveyChecks}; combining into verdicts in {@code Combiner}; the summary and regressions in
 * {@code Summarizer}. A new rule for one probe kind goes into its rule set; a new kind of reasoning across
 * vantages is a new {@code CrossVantageRule} added to that list.
 */
package dev.vantage.analysis;
