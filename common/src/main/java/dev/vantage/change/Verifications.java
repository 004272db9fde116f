package dev.vantage.change;

import dev.vantage.analysis.Diagnosis;
import dev.vantage.analysis.DiagnosisCode;
import dev.vantage.analysis.Verdict;
import dev.vantage.analysis.VerdictStatus;
import dev.vantage.catalog.Mode;
import dev.vantage.catalog.Zone;

import java.util.List;

/**
 * What the survey could not turn into a change, and what would decide it: the vantage to add, the responder to run,
 * the agent to fix, the site file to complete.
 */
final class Verifications {
    private final SiteAddresses site;
    private final Mode mode;

    Verifications(SiteAddresses site, Mode mode) {
        this.site = site;
        this.mode = mode;
    }

    /** An untested requirement: no vantage for it, not part of this survey, or the site lacks what it needs. */
    ToVerify untested(Verdict v) {
        Diagnosis d = v.diagnosis();
        DiagnosisCode code = d == null ? null : d.code();
        String decide = code == null ? "Survey it." : switch (code) {
            case NO_VANTAGE -> "Add an agent that plays " + String.join(", ", d.vantages()) + " and survey again.";
            case NOT_SURVEYED -> "Survey with agents for " + String.join(", ", d.vantages().isEmpty() ? List.of("its sources")
                    : d.vantages()) + " (a coordinated survey, or 'check' at those vantages).";
            case UNTESTABLE_AT_SITE -> "Complete the site file as the finding says (an address or a destination override),"
                    + " then survey again.";
            default -> "Survey again.";
        };
        return new ToVerify(v.requirementId(), v.status(), code, d == null ? "" : d.text(), decide,
                d == null ? List.of() : d.vantages(), List.of());
    }

    /** An inconclusive check: what kept it from deciding, and what would. */
    ToVerify inconclusive(Finding f) {
        return item(f, switch (f.code() == null ? DiagnosisCode.NO_RESULT : f.code()) {
            case RESPONDER_NOT_RUNNING -> "Survey again with the responder of " + f.role() + " holding "
                    + Ports.text(f.transport(), f.ports()) + " for its whole window (its agent running, the ports free).";
            case UDP_NO_ANSWER -> mode == Mode.POST_INSTALL
                    ? "UDP silence proves nothing without something obliged to answer: prove "
                    + Ports.text(f.transport(), f.ports()) + " with a Vantage responder there (a pre-install survey,"
                    + " or the post-install media option where the agent offers it)."
                    : "Survey with the responder of " + f.role() + " listening on " + Ports.text(f.transport(), f.ports()) + ".";
            case NO_RESULT -> "Make sure the agent of " + f.vantage() + " runs and reaches Kafka, then survey again.";
            case PROBE_ERROR -> "Fix what kept the agent of " + f.vantage() + " from probing (its message above), then survey again.";
            case TASK_REFUSED -> "The agent of " + f.vantage() + " refused the task: check its clock, its key for the"
                    + " coordinator and its scope, then survey again.";
            case LOCAL_FIREWALL_BLOCKS -> "Allow the agent's own traffic on the host of " + f.vantage() + ", then survey again.";
            case RESULT_NOT_UNDERSTOOD -> "Run an agent of the coordinator's version at " + f.vantage() + ", then survey again.";
            case UNIDENTIFIED_ANSWER -> "Add an inside vantage that probes the internal address of " + f.role()
                    + " on the same port: it shows what the host itself answers.";
            case EVIDENCE_CONFLICT -> f.check().kind() == dev.vantage.wire.ProbeKind.TLS
                    ? "Survey from a third vantage to tell which certificate is the destination's own."
                    : "Survey again: the path flapped, or results of two surveys met.";
            default -> f.check().status() == VerdictStatus.INCONCLUSIVE && f.check().diagnosis() != null
                    && f.check().diagnosis().text().startsWith("Could not be checked")
                    ? "Make " + f.check().target() + " reachable from " + f.vantage() + " first (see the change for its"
                    + " reachability), then survey again."
                    : "Survey again.";
        });
    }

    /** A failing check no rule could place on a device. */
    ToVerify unplaced(Finding f) {
        String where = f.check().target() + (f.ports().isEmpty() ? "" : ":" + Ports.text(f.ports()));
        String decide;
        if (f.code() == DiagnosisCode.PATH_FILTERED || f.code() == DiagnosisCode.RANGE_PARTIAL
                || f.code() == DiagnosisCode.EXPLICIT_REJECT) {
            decide = f.hairpin()
                    ? "Add an outside vantage (an agent outside the perimeter) that probes " + where
                    + ": it tells a missing hairpin NAT from a missing port forward."
                    : f.zone() == Zone.OUTSIDE
                    ? "Add an inside vantage that probes the internal address " + site.internal(f.role()) + " on "
                    + Ports.text(f.transport(), f.blocked()) + ": it tells the perimeter from " + f.role() + "'s own firewall."
                    : "Add another vantage that probes " + where + ": it tells this network's firewall from " + f.role()
                    + "'s own.";
        } else if (f.code() == DiagnosisCode.TLS_UNTRUSTED) {
            decide = "Check " + where + " from a vantage outside the customer network: if it presents the same"
                    + " certificate, tell the destination's operator; if not, something at the egress of " + f.vantage()
                    + " replaces it.";
        } else {
            decide = "Read the evidence of " + f.vantage() + " and survey again.";
        }
        return item(f, decide);
    }

    /** Pre-install: part of a range was refused where the responder was expected and nothing shows it listened. */
    ToVerify responderNotListening(Finding f) {
        return item(f, "Survey again with the responder of " + f.role() + " holding "
                + Ports.text(f.transport(), f.facts().notListening()) + " for its whole window.");
    }

    private static ToVerify item(Finding f, String decide) {
        Diagnosis d = f.check().diagnosis();
        return new ToVerify(f.requirement().id(), f.check().status(), d == null ? null : d.code(),
                d == null ? "" : d.text(), decide, List.of(f.vantage()), f.resultIds());
    }
}
