package dev.vantage.analysis;

import dev.vantage.wire.Outcome;
import dev.vantage.wire.PortRange;
import dev.vantage.wire.ProbeKind;

/**
 * One planned probe as judged: a task, the agent that ran it, the result and what it means for the
 * requirement. A task planned for a role that two agents play gives one check per agent.
 *
 * @param taskId    the planned task
 * @param vantage   the role the task was planned for
 * @param agentId   the agent whose result this is; null when no result arrived
 * @param kind      the probe kind
 * @param target    the target address or name
 * @param ports     port or range, null for dns
 * @param resultId  the result judged; null when none arrived
 * @param outcome   the result's outcome; null when none arrived
 * @param status    PASS, FAIL, PARTIAL or INCONCLUSIVE
 * @param diagnosis why, null for a plain pass
 * @param summary   the agent's own one-line summary of what it saw, null when no result arrived
 * @param facts     what the diagnosis says in words, as data (ports, location, addresses, answers); null only in
 *                  checks made by other code than the analysis
 */
public record Check(String taskId, String vantage, String agentId, ProbeKind kind, String target, PortRange ports,
                    String resultId, Outcome outcome, VerdictStatus status, Diagnosis diagnosis, String summary,
                    CheckFacts facts) {

    /** A check without {@link CheckFacts}, as checks were before they carried them. */
    public Check(String taskId, String vantage, String agentId, ProbeKind kind, String target, PortRange ports,
                 String resultId, Outcome outcome, VerdictStatus status, Diagnosis diagnosis, String summary) {
        this(taskId, vantage, agentId, kind, target, ports, resultId, outcome, status, diagnosis, summary, null);
    }

    /** {@code target:ports} or the target alone. */
    public String where() {
        return ports == null ? target : target + ":" + ports;
    }
}
