package dev.vantage.analysis;

import dev.vantage.catalog.Direction;
import dev.vantage.catalog.Expectation;
import dev.vantage.catalog.Protocol;
import dev.vantage.catalog.Requirement;
import dev.vantage.catalog.Zone;
import dev.vantage.wire.PortRange;
import dev.vantage.wire.ProbeResult;
import dev.vantage.wire.ProbeTask;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

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
    /** Which address of a role destination was probed; {@link AddressKind#NONE} for hosts and names. */
    final AddressKind addressKind;
    final Protocol transport;

    VerdictStatus status;
    DiagnosisCode code;
    String text;
    /** Failed because nothing answered: the cross-vantage rules decide where it is blocked. */
    boolean locate;
    final List<Diagnosis> notes = new ArrayList<>();
    /**
     * Where a Vantage responder was expected: what answered instead (its first line), null when the
     * responder itself answered or nothing did. {@link AnswerIdentityRule} decides what it means.
     */
    String foreignAnswer;
    /** The responder identified itself in the answer (TCP line, UDP nonce echo, SIP echo). */
    boolean responderAnswered;

    // path facts: ports where something came back from the far side, where nothing did though it had to,
    // and where an ICMP reject came back
    final List<PortRange> reached = new ArrayList<>();
    final List<PortRange> silent = new ArrayList<>();
    final List<PortRange> rejected = new ArrayList<>();

    Judged(ProbeTask task, Requirement requirement, ProbeResult result, String agentId, Zone zone, AddressKind addressKind,
           Protocol transport) {
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

    /** A finding that does not decide the verdict (it is listed after the verdict's own diagnoses). */
    void addNote(DiagnosisCode code, String text) {
        notes.add(new Diagnosis(code, text, List.of(task.vantage()), result == null ? List.of() : List.of(result.resultId())));
    }

    /** The probe got through to its port (a protocol answer, an accepted connection). */
    void markReached() {
        if (task.ports() != null) {
            reached.add(task.ports());
        }
    }

    /**
     * Records who answered where a responder was expected; {@code identified} null when unknown.
     * {@code answer} is what answered, kept when it was not the responder.
     */
    void answeredBy(Boolean identified, String answer) {
        if (!responderExpected() || identified == null || requirement.expect() == Expectation.BLOCKED) {
            return;
        }
        if (identified) {
            responderAnswered = true;
        } else if (status == VerdictStatus.PASS) {
            foreignAnswer = Phrasing.clip(answer);
        }
    }

    /** The plan put a Vantage responder at the far end (pre-install surveys). */
    boolean responderExpected() {
        return PlannedParams.responder(task);
    }

    boolean isFailure() {
        return status == VerdictStatus.FAIL || status == VerdictStatus.PARTIAL;
    }

    /** Traffic leaving the site: to external hosts, or to an outside role (the NAT check's responder). */
    boolean isOutbound() {
        return addressKind == AddressKind.NONE || requirement.direction() == Direction.OUTBOUND;
    }

    /** The destination role, or null for hosts and names. */
    String destinationRole() {
        return requirement.destination().role();
    }

    boolean isInsideInternal() {
        return zone == Zone.INSIDE && addressKind == AddressKind.INTERNAL;
    }

    boolean isOutsidePublic() {
        return zone == Zone.OUTSIDE && addressKind == AddressKind.PUBLIC;
    }

    /** From inside to the role's public address: through the firewall and back. */
    boolean isHairpin() {
        return zone == Zone.INSIDE && addressKind == AddressKind.PUBLIC;
    }

    /** Same vantage role and agent. */
    boolean sameVantage(Judged other) {
        return task.vantage().equals(other.task.vantage()) && Objects.equals(agentId, other.agentId);
    }
}
