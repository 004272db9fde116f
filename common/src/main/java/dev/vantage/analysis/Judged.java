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

    // path facts: ports where the destination answered (a handshake, a protocol answer, the responder), where a
    // reset or ICMP port unreachable came back, where nothing did though it had to, and where an ICMP reject came back
    final List<PortRange> reached = new ArrayList<>();
    /** The part of {@link #reached} proven only by ICMP port unreachable from the host: the path, not a listener. */
    final List<PortRange> reachedByIcmp = new ArrayList<>();
    final List<PortRange> refused = new ArrayList<>();
    final List<PortRange> silent = new ArrayList<>();
    final List<PortRange> rejected = new ArrayList<>();
    /** The failing blocks the cross-vantage rules locate: silent, rejected, or refused by something on the path. */
    final List<PortRange> blocked = new ArrayList<>();
    /** Failing blocks with refusals read as the destination's own (nothing listening) until a rule shows otherwise. */
    final List<PortRange> hostRefusals = new ArrayList<>();

    /** Ports of the task that the responder's closing report says it did not hold: read as if no responder were there. */
    final List<ResponderAccount.Gap> notHeld;
    /** Blocks whose refusals {@link RefusalOriginRule} found came from the path, not from the destination; and why. */
    final List<PortRange> pathAnswered = new ArrayList<>();
    String pathWhy;

    Judged(ProbeTask task, Requirement requirement, ProbeResult result, String agentId, Zone zone, AddressKind addressKind,
           Protocol transport, List<ResponderAccount.Gap> notHeld) {
        this.task = task;
        this.requirement = requirement;
        this.result = result;
        this.agentId = agentId;
        this.zone = zone;
        this.addressKind = addressKind;
        this.transport = transport;
        this.notHeld = List.copyOf(notHeld);
    }

    void set(VerdictStatus status, DiagnosisCode code, String text) {
        this.status = status;
        this.code = code;
        this.text = text;
        this.locate = false;
    }

    /** Forgets the path facts: the result proves nothing about the path. */
    void clearFacts() {
        reached.clear();
        reachedByIcmp.clear();
        refused.clear();
        silent.clear();
        rejected.clear();
        blocked.clear();
        hostRefusals.clear();
    }

    /** Forgets the local judgement, to judge the result again with what the survey showed (the inputs stay). */
    void reset() {
        set(null, null, null);
        notes.clear();
        foreignAnswer = null;
        responderAnswered = false;
        clearFacts();
    }

    /**
     * Where the destination itself answered, for placing other checks: what reached it, and on its internal
     * address the refusals read as its own (a reset from the host proves the path up to it). A refusal on a
     * public address may come from the firewall that owns the address, so it proves nothing there.
     */
    List<PortRange> answered() {
        List<PortRange> out = new ArrayList<>(reached);
        if (addressKind == AddressKind.INTERNAL) {
            out.addAll(hostRefusals);
        }
        return out;
    }

    /**
     * Where the path failed, for placing other checks: the blocks this check's own rules leave to be located, and
     * on a public address also refusals read as the destination's (the address belongs to the firewall).
     */
    List<PortRange> failed() {
        List<PortRange> out = new ArrayList<>(blocked);
        if (addressKind != AddressKind.INTERNAL) {
            out.addAll(hostRefusals);
        }
        return out;
    }

    /** Where something listening answered: a handshake, a protocol answer, the responder (not a mere ICMP answer). */
    List<PortRange> listening() {
        return PortSets.minus(reached, reachedByIcmp);
    }

    /** A refusal on these ports was found to come from the path. */
    boolean answeredByPath(PortRange ports) {
        return pathAnswered.stream().anyMatch(p -> p.overlaps(ports));
    }

    /** The reason the responder's report gives for not holding these ports, null when it held them (or sent no report). */
    String notHeldReason(List<PortRange> ports) {
        List<PortRange> gaps = notHeld.stream().map(ResponderAccount.Gap::ports).toList();
        if (ports.isEmpty() || !PortSets.covers(gaps, ports)) {
            return null;
        }
        return String.join("; ", notHeld.stream().filter(g -> PortSets.overlaps(List.of(g.ports()), ports))
                .map(g -> g.ports() + " " + g.reason()).distinct().toList());
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
