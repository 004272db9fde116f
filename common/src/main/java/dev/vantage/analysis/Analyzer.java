package dev.vantage.analysis;

import dev.vantage.catalog.Requirement;
import dev.vantage.wire.ProbeResult;
import dev.vantage.wire.ProbeTask;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Turns a survey's results into verdicts with diagnoses: a pure function of its {@link SurveyInput}
 * (same input, same analysis; no clock, no network).
 *
 * <p>How it decides, in three passes:
 * <ol>
 *   <li><b>Accept</b> ({@link Acceptance}). Results are untrusted input. One that answers no task of the
 *       plans, names another requirement, vantage or site than its task, comes from an agent that does not
 *       play the task's role, or has no outcome is set aside with the reason ({@link Analysis#ignored()}); a
 *       re-sent result (same id) counts once. Two different results for the same task and agent that
 *       disagree make that check INCONCLUSIVE (EVIDENCE_CONFLICT); when they agree, the later one is used.</li>
 *   <li><b>Judge each result</b> against its requirement's expectation ({@link Judge}: the local rules for
 *       port states, DNS answers, TLS chains, HTTP/SSH/SIP answers, RTP quality and NAT), then <b>locate</b>
 *       across vantages and requirements ({@link CrossVantageRule}, listed below in the order they run):
 *       failures towards a responder that was not there, who sent a refusal (the destination, or the path in
 *       its place), silence although the responder received the probe, where a silent, rejected or
 *       path-refused block is blocked, who answered where a responder was expected, which vantage sees another TLS chain, a vantage with no way out at all,
 *       and DNS answers that depend on hairpin NAT (see {@link DiagnosisCode} for each rule).</li>
 *   <li><b>Combine</b> the checks of a requirement ({@link Combiner}): a path is as good as its worst check;
 *       all paths pass is PASS, some is PARTIAL, none is FAIL; a must-be-blocked port that answered on any
 *       path is FAIL; passes with a missing or unusable result are INCONCLUSIVE; for a destination with
 *       alternatives ("A or B") one passing host per vantage is enough. Then <b>summarise</b>
 *       ({@link Summarizer}): counts, go-live readiness, silent vantages, regressions.</li>
 * </ol>
 *
 * <p>UDP is judged honestly: silence ({@code OPEN_OR_FILTERED}) where something was obliged to answer (a
 * Vantage responder, a SIP stack, an RTP reflector) is a failure; silence where nothing was is
 * INCONCLUSIVE, never a pass. ICMP port unreachable across a UDP range swept without a responder proves the
 * path (media ports are bound per call).
 */
public final class Analyzer {
    /** The cross-vantage rules, in the order they run: later rules read what earlier ones decided. */
    private static final List<CrossVantageRule> CROSS_VANTAGE = List.of(
            new ResponderWindowRule(),  // a failure towards a responder that was not listening proves nothing
            new RefusalOriginRule(),    // a refusal where the destination listened was sent by the path
            new ReturnPathRule(),       // silence although the responder received the probe: the way back
            new BlockedPathRule(),      // where a silent, rejected or path-refused block is blocked
            new AnswerIdentityRule(),   // who answered where a responder was expected
            new TlsChainRule(),         // which vantage sees another certificate
            new OutboundSummaryRule(),  // nothing outbound answers a vantage at all
            new DnsHairpinRule());      // an internal view that makes inside users depend on hairpin NAT

    /**
     * Analyses one survey.
     *
     * @throws IllegalArgumentException when there is no plan, or the plans are for another site, catalog or
     *                                  of mixed modes (naming the values)
     */
    public Analysis analyze(SurveyInput input) {
        Objects.requireNonNull(input, "input");
        SurveyPlans plans = SurveyPlans.of(input);

        // 1. accept the untrusted results
        Acceptance.Accepted accepted = new Acceptance(plans).accept(input.results());

        // 2. judge each result on its own, then locate across vantages
        List<ResponderWindow> windows = accepted.windows(plans);
        PathFacts facts = new PathFacts(plans.catalog(), plans.site(), new ResponderAccount(windows));
        Judge judge = new Judge(plans.catalog(), plans.site(), facts);
        Map<String, List<Judged>> byTask = judge(plans, accepted, judge);
        List<Judged> checks = byTask.values().stream().flatMap(List::stream).toList();
        SurveyChecks survey = new SurveyChecks(checks, windows, plans.site(), judge);
        CROSS_VANTAGE.forEach(rule -> rule.apply(survey));

        // 3. combine the checks into verdicts, and summarise
        List<Verdict> verdicts = new Combiner(plans, accepted, facts).verdicts(byTask);
        Summarizer summarizer = new Summarizer(plans, accepted);
        return new Analysis(plans.site().id(), plans.catalog().name(), plans.mode(), input.analyzedAt(), verdicts,
                summarizer.summary(verdicts), summarizer.regressions(verdicts, input.previous()), accepted.ignored());
    }

    /** The judged checks per task id, in plan order: one per agent that answered the task. */
    private static Map<String, List<Judged>> judge(SurveyPlans plans, Acceptance.Accepted accepted, Judge judge) {
        Map<String, List<Judged>> byTask = new LinkedHashMap<>();
        for (ProbeTask t : plans.probeTasks()) {
            Requirement req = plans.catalog().requirement(t.requirementId()).orElse(null);
            if (req == null) {
                continue;
            }
            for (Map.Entry<String, List<ProbeResult>> e : accepted.of(t).entrySet()) {
                byTask.computeIfAbsent(t.taskId(), k -> new ArrayList<>()).add(judge.judgeAll(t, req, e.getKey(), e.getValue()));
            }
        }
        return byTask;
    }
}
