package dev.vantage.coordinator.survey;

/**
 * What the analysis said about one result of a survey: the matrix shows it in the result's cell, the survey page
 * beside the result's evidence.
 *
 * @param requirementId the requirement the result proves
 * @param resultId      the result
 * @param verdict       PASS, FAIL, PARTIAL or INCONCLUSIVE
 * @param diagnosisCode the code of the result's own diagnosis, null for a plain pass
 * @param diagnosis     the diagnosis text, null for a plain pass
 */
public record CheckRow(String requirementId, String resultId, Verdict verdict, String diagnosisCode, String diagnosis) {
}
