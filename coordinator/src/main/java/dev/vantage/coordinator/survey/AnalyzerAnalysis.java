package dev.vantage.coordinator.survey;

import dev.vantage.analysis.Analysis;
import dev.vantage.analysis.Analyzer;
import dev.vantage.analysis.Check;
import dev.vantage.analysis.Diagnosis;
import dev.vantage.analysis.SurveyInput;
import dev.vantage.analysis.VerdictStatus;
import dev.vantage.plan.Plan;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The survey analysis of {@code dev.vantage.analysis} behind the coordinator's {@link SurveyAnalysis} seam.
 * The analyser is given the tasks as dispatched (with their agent ids), so a result is matched to the task
 * and the agent it was sent to; anything else an agent sent is set aside there and logged here.
 */
@ApplicationScoped
public class AnalyzerAnalysis implements SurveyAnalysis {
    private static final Logger LOG = Logger.getLogger(AnalyzerAnalysis.class);

    private final Analyzer analyzer = new Analyzer();
    private final Clock clock = Clock.systemUTC();

    @Override
    public Analysed analyse(Input input) {
        Plan planned = input.plan();
        Plan dispatched = new Plan(planned.siteId(), planned.catalog(), planned.mode(), planned.roles(),
                input.tasks().stream().map(DispatchedTask::task).toList(), planned.requirements());
        Map<String, VerdictStatus> previous = new LinkedHashMap<>();
        input.previous().forEach((id, row) -> previous.put(id, VerdictStatus.valueOf(row.verdict().name())));
        Analysis analysis = analyzer.analyze(new SurveyInput(input.catalog(), input.site(), List.of(dispatched),
                input.results(), previous, clock.instant()));
        analysis.ignored().forEach(i -> LOG.warnf("survey of site %s: result %s of agent %s set aside: %s",
                analysis.siteId(), i.resultId(), i.agentId(), i.reason()));
        List<CheckRow> checks = analysis.verdicts().stream().flatMap(v -> v.checks().stream()
                        .filter(c -> c.resultId() != null)
                        .map(c -> new CheckRow(v.requirementId(), c.resultId(), Verdict.valueOf(c.status().name()),
                                c.diagnosis() == null ? null : c.diagnosis().code().name(),
                                c.diagnosis() == null ? null : c.diagnosis().text())))
                .toList();
        return new Analysed(analysis.verdicts().stream().map(AnalyzerAnalysis::row).toList(), checks);
    }

    private static VerdictRow row(dev.vantage.analysis.Verdict v) {
        Diagnosis main = v.diagnosis();
        String code = main != null ? main.code().name() : v.status().name();
        String text = main != null ? main.text() : passed(v.checks());
        return new VerdictRow(v.requirementId(), Verdict.valueOf(v.status().name()), v.severity(), code, text,
                v.resultIds());
    }

    private static String passed(List<Check> checks) {
        if (checks.isEmpty()) {
            return "Passed.";
        }
        return "Passed: " + checks.size() + " check(s) from "
                + checks.stream().map(Check::vantage).distinct().collect(Collectors.joining(", ")) + ".";
    }
}
