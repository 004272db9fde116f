package dev.vantage.analysis;

import dev.vantage.catalog.Requirement;
import dev.vantage.catalog.Zone;
import dev.vantage.wire.PortRange;
import dev.vantage.wire.ProbeResult;
import dev.vantage.wire.ProbeTask;

import java.util.ArrayList;
import java.util.List;

/**
 * One task's result (from one agent) while it is being judged: the local verdict, and the path facts
 * the cross-vantage rules read. Mutable only inside one analysis run.
 */
final class Judged {
    final ProbeTask task;
    final Requirement requirement;
    final ProbeResult result;
    final String agentId;
    final Zone zone;
    /** Which address of a role destination was probed: {@code internal}, {@code public}; null for hosts and names. */
    final String addressKind;
    final String transport;

    VerdictStatus status;
    DiagnosisCode code;
    String text;
    /** Failed because nothing answered: the cross-vantage rules decide where it is blocked. */
    boolean locate;
    final List<Diagnosis> notes = new ArrayList<>();
    /**
     * Where a Vantage responder was expected: what answered instead (its first line), null when the
     * responder itself answered or nothing did. {@link Locator#identify()} decides what it means.
     */
    String foreignAnswer;
    /** The responder identified itself in the answer (TCP line, UDP nonce echo, SIP echo). */
    boolean responderAnswered;

    // path facts: ports where something came back from the far side, where nothing did though it had to,
    // and where an ICMP reject came back
    final List<PortRange> reached = new ArrayList<>();
    final List<PortRange> silent = new ArrayList<>();
    final List<PortRange> rejected = new ArrayList<>();

    Judged(ProbeTask task, Requirement requirement, ProbeResult result, String agentId, Zone zone, String addressKind,
           String transport) {
        this.task = task;
        this.requirement = requirement;
        this.result = result;
        this.agentId = agentId;
        this.zone = zone;
        this.addressKind = addressKind;
        this.transport = transport;
    }

    void set(VerdictStatus status, DiagnosisCode code, String text) {
        this.status = status;
        this.code = code;
        this.text = text;
        this.locate = false;
    }

    /** {@code "trunk (agent carrier-side)"}. */
    String from() {
        return task.vantage() + (agentId == null ? "" : " (agent " + agentId + ")");
    }

    boolean isFailure() {
        return status == VerdictStatus.FAIL || status == VerdictStatus.PARTIAL;
    }

    /** Same vantage role and agent. */
    boolean sameVantage(Judged other) {
        return task.vantage().equals(other.task.vantage()) && java.util.Objects.equals(agentId, other.agentId);
    }
}
