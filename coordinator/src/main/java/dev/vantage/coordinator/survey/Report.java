package dev.vantage.coordinator.survey;

import dev.vantage.catalog.Severity;

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
 * requirement is UNTESTED or INCONCLUSIVE (nothing proves it either way). {@code blockers} are the critical
 * requirements behind it, failures first.
 */
public record Report(SurveyQueries.SurveyView survey, Map<Verdict, Integer> counts, boolean goLiveReady,
                     List<String> notReadyBecause, String decision, List<VerdictRow> blockers,
                     List<VerdictRow> verdicts) {
    public static final String GO = "GO";
    public static final String NO_GO = "NO-GO";
    public static final String INCOMPLETE = "INCOMPLETE";

    public static Report of(SurveyQueries.SurveyView survey, List<VerdictRow> verdicts) {
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
        List<VerdictRow> failing = verdicts.stream().filter(v -> v.severity() == Severity.CRITICAL
                && (v.verdict() == Verdict.FAIL || v.verdict() == Verdict.PARTIAL)).toList();
        List<VerdictRow> unproven = verdicts.stream().filter(v -> v.severity() == Severity.CRITICAL
                && (v.verdict() == Verdict.UNTESTED || v.verdict() == Verdict.INCONCLUSIVE)).toList();
        String decision = !failing.isEmpty() ? NO_GO
                : !"completed".equals(survey.state()) || !unproven.isEmpty() ? INCOMPLETE : GO;
        List<VerdictRow> blockers = java.util.stream.Stream.concat(failing.stream(), unproven.stream()).toList();
        return new Report(survey, counts, reasons.isEmpty(), reasons, decision, blockers, verdicts);
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
        return out.toString();
    }

    /** RFC 4180 quoting; a leading formula character is neutralised so a spreadsheet does not execute it. */
    static String csvField(String s) {
        if (s == null) {
            return "";
        }
        String v = !s.isEmpty() && "=+-@".indexOf(s.charAt(0)) >= 0 ? "'" + s : s;
        return v.contains(",") || v.contains("\"") || v.contains("\n") || v.contains("\r")
                ? "\"" + v.replace("\"", "\"\"") + "\"" : v;
    }

    private static String mdCell(String s) {
        return s == null ? "" : s.replace("|", "\\|").replace("\n", " ");
    }
}
