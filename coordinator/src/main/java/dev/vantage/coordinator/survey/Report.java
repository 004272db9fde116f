package dev.vantage.coordinator.survey;

import dev.vantage.catalog.Severity;
import dev.vantage.change.ChangeRequest;
import dev.vantage.change.ChangeRequestCsv;
import dev.vantage.change.ChangeRequestMarkdown;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * A survey's report: the survey, counts per verdict, a go-live readiness flag with its reasons, the go-live
 * decision, and the verdicts; rendered as JSON (this record), CSV or Markdown.
 *
 * <p>Go-live readiness here is the rule of issue 5 (no critical FAIL, UNTESTED or INCONCLUSIVE), computed
 * from the stored verdicts; the real analysis's survey summary can replace it at the seam.
 *
 * <p>{@code decision} is what the console shows: {@code GO}; {@code NO-GO} when a critical requirement is FAIL or
 * PARTIAL (the network does not do what it must); {@code INCOMPLETE} while the survey runs or when a critical
 * requirement is UNTESTED or INCONCLUSIVE (nothing proves it either way), and for a survey of chosen requirements
 * (it says nothing about the others). {@code blockers} are the critical requirements behind it, failures first.
 *
 * <p>{@code changeRequest} is the survey's change request ({@code dev.vantage.change}), null while it runs or when it
 * completed before change requests were written; the Markdown report includes it, the CSV report stays one table of
 * verdicts (the change request has its own CSV at {@code /surveys/{id}/change-request}).
 */
public record Report(SurveyQueries.SurveyView survey, Map<Verdict, Integer> counts, boolean goLiveReady,
                     List<String> notReadyBecause, String decision, List<VerdictRow> blockers,
                     List<VerdictRow> verdicts, ChangeRequest changeRequest) {
    public static final String GO = "GO";
    public static final String NO_GO = "NO-GO";
    public static final String INCOMPLETE = "INCOMPLETE";

    public static Report of(SurveyQueries.SurveyView survey, List<VerdictRow> verdicts) {
        return of(survey, verdicts, null);
    }

    public static Report of(SurveyQueries.SurveyView survey, List<VerdictRow> verdicts, ChangeRequest changeRequest) {
        Map<Verdict, Integer> counts = new EnumMap<>(Verdict.class);
        for (Verdict v : Verdict.values()) {
            counts.put(v, 0);
        }
        verdicts.forEach(v -> counts.merge(v.verdict(), 1, Integer::sum));
        List<String> reasons = verdicts.stream()
                .filter(v -> v.severity() == Severity.CRITICAL && (v.verdict() == Verdict.FAIL
                        || v.verdict() == Verdict.UNTESTED || v.verdict() == Verdict.INCONCLUSIVE))
                .map(v -> v.requirementId() + " is " + v.verdict() + " (critical): " + v.diagnosis())
                .toList();
        if (!"completed".equals(survey.state())) {
            reasons = java.util.stream.Stream.concat(java.util.stream.Stream.of("the survey is still running"),
                    reasons.stream()).toList();
        }
        if (survey.chosen()) {
            reasons = java.util.stream.Stream.concat(java.util.stream.Stream.of("the survey checked "
                    + survey.requirements().size() + " chosen requirement(s), not all: go-live needs a survey of all"),
                    reasons.stream()).toList();
        }
        List<VerdictRow> failing = verdicts.stream().filter(v -> v.severity() == Severity.CRITICAL
                && (v.verdict() == Verdict.FAIL || v.verdict() == Verdict.PARTIAL)).toList();
        List<VerdictRow> unproven = verdicts.stream().filter(v -> v.severity() == Severity.CRITICAL
                && (v.verdict() == Verdict.UNTESTED || v.verdict() == Verdict.INCONCLUSIVE)).toList();
        String decision = !failing.isEmpty() ? NO_GO
                : !"completed".equals(survey.state()) || !unproven.isEmpty() || survey.chosen() ? INCOMPLETE : GO;
        List<VerdictRow> blockers = java.util.stream.Stream.concat(failing.stream(), unproven.stream()).toList();
        return new Report(survey, counts, reasons.isEmpty(), reasons, decision, blockers, verdicts, changeRequest);
    }

    public String csv() {
        StringBuilder out = new StringBuilder("requirement_id,verdict,severity,diagnosis_code,diagnosis,evidence_result_ids\r\n");
        for (VerdictRow v : verdicts) {
            out.append(csvField(v.requirementId())).append(',').append(v.verdict()).append(',')
                    .append(v.severity().wireName()).append(',').append(csvField(v.diagnosisCode())).append(',')
                    .append(csvField(v.diagnosis())).append(',')
                    .append(csvField(String.join(" ", v.evidenceResultIds()))).append("\r\n");
        }
        return out.toString();
    }

    public String markdown() {
        StringBuilder out = new StringBuilder();
        out.append("# Survey ").append(survey.id()).append(" of site ").append(survey.siteId()).append("\n\n");
        out.append("- site version: ").append(survey.siteVersion()).append("\n");
        out.append("- catalog: ").append(survey.catalog()).append(", mode: ").append(survey.mode()).append("\n");
        if (survey.chosen()) {
            out.append("- requirements: ").append(String.join(", ", survey.requirements())).append(" (chosen)\n");
        }
        out.append("- started: ").append(survey.createdAt()).append(" by ").append(survey.createdBy()).append("\n");
        out.append("- state: ").append(survey.state());
        if (survey.completedAt() != null) {
            out.append(" at ").append(survey.completedAt()).append(" (").append(survey.completion()).append(")");
        }
        out.append("\n- tasks answered: ").append(survey.answered()).append(" of ").append(survey.taskCount()).append("\n");
        out.append("- go-live ready: ").append(goLiveReady ? "yes" : "no").append("\n");
        out.append("- decision: ").append(decision).append("\n\n");
        if (!notReadyBecause.isEmpty()) {
            out.append("## Not ready because\n\n");
            notReadyBecause.forEach(r -> out.append("- ").append(mdCell(r)).append("\n"));
            out.append("\n");
        }
        out.append("## Counts\n\n| verdict | count |\n|---|---|\n");
        counts.forEach((v, n) -> out.append("| ").append(v).append(" | ").append(n).append(" |\n"));
        out.append("\n## Verdicts\n\n| requirement | verdict | severity | diagnosis |\n|---|---|---|---|\n");
        for (VerdictRow v : verdicts) {
            out.append("| ").append(mdCell(v.requirementId())).append(" | ").append(v.verdict()).append(" | ")
                    .append(v.severity().wireName()).append(" | ").append(mdCell(v.diagnosis())).append(" |\n");
        }
        if (changeRequest != null) {
            out.append("\n## Change request\n\n").append(ChangeRequestMarkdown.body(changeRequest, "###"));
        }
        return out.toString();
    }

    /** RFC 4180 quoting; a leading formula character is neutralised so a spreadsheet does not execute it. */
    static String csvField(String s) {
        return ChangeRequestCsv.field(s);
    }

    private static String mdCell(String s) {
        return s == null ? "" : s.replace("|", "\\|").replace("\n", " ");
    }
}
