package dev.vantage.wire;

import java.time.Instant;

/**
 * The signed part of a task on the wire: the task plus the window in which the coordinator allows it
 * to run.
 *
 * @param task      the task
 * @param issuedAt  when the coordinator signed it
 * @param expiresAt after this instant the agent refuses it (kept short: minutes)
 */
public record TaskGrant(ProbeTask task, Instant issuedAt, Instant expiresAt) {
}
