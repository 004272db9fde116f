package dev.vantage.analysis;

/**
 * A result the analysis did not use. Results are untrusted input from agents: one that answers no
 * planned task, contradicts its task, or lacks an outcome is set aside and counted, never a crash.
 *
 * @param resultId the result's id as sent (may be null)
 * @param taskId   the task id it names (may be null)
 * @param agentId  the agent that sent it (may be null)
 * @param reason   why it was ignored, naming the offending value
 */
public record IgnoredResult(String resultId, String taskId, String agentId, String reason) {
}
