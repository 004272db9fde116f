package dev.vantage.change;

import dev.vantage.analysis.DiagnosisCode;
import dev.vantage.analysis.VerdictStatus;
import dev.vantage.catalog.Catalog;
import dev.vantage.catalog.Mode;

import java.util.ArrayList;
import java.util.List;

import static dev.vantage.analysis.DiagnosisCode.*;

/**
 * Which device must change for one failing or inconclusive check: the location the analysis placed a blocked path at
 * goes to the firewall rules, the DNS codes to the DNS views, the codes a person must act on in words to their owner;
 * what none of them can place is left to verify. One place that reads diagnosis codes, so a new code is added here.
 */
final class ChangeRules {
    private final FirewallChanges firewalls;
    private final DnsChanges dns;
    private final OwnerChanges owners;
    private final Verifications verifications;
    private final Mode mode;

    ChangeRules(SiteAddresses site, Catalog catalog, Mode mode) {
        Devices devices = new Devices(site);
        this.firewalls = new FirewallChanges(site, devices, catalog);
        this.dns = new DnsChanges(site, devices);
        this.owners = new OwnerChanges(site, devices);
        this.verifications = new Verifications(site, mode);
        this.mode = mode;
    }

    Verifications verifications() {
        return verifications;
    }

    /** What one check asks for: changes, or questions to verify, or both (a range whose parts fail for two reasons). */
    Outcome judge(Finding f) {
        if (f.check().status() == VerdictStatus.INCONCLUSIVE) {
            return Outcome.verify(verifications.inconclusive(f));
        }
        if (!f.check().status().isFailure()) {
            return Outcome.NONE;
        }
        Outcome out = Outcome.changes(changes(f));
        if (!f.facts().notListening().isEmpty() && f.code() != SERVICE_NOT_LISTENING && f.code() != RESPONDER_NOT_RUNNING) {
            // part of a range refused by the destination itself, beside a blocked part
            out = mode == Mode.PRE_INSTALL ? out.and(Outcome.verify(verifications.responderNotListening(f)))
                    : out.and(Outcome.changes(owners.notListening(f)));
        }
        return out.isEmpty() ? Outcome.verify(verifications.unplaced(f)) : out;
    }

    private List<Draft> changes(Finding f) {
        DiagnosisCode location = f.facts().location();
        if (location == RETURN_PATH_BLOCKED) {
            return owners.returnRoute(f);
        }
        if (location != null) {
            return firewalls.placed(f, location);
        }
        DiagnosisCode code = f.code();
        if (code == null) {
            return List.of();
        }
        return switch (code) {
            case EXPOSED_TO_INTERNET -> firewalls.exposure(f, true);
            case UNEXPECTEDLY_REACHABLE -> firewalls.exposure(f, false);
            case OUTBOUND_BLOCKED -> firewalls.outbound(f);
            case DNS_PUBLIC_RECORD_MISSING, DNS_PUBLIC_RECORD_WRONG, DNS_INTERNAL_RECORD_MISSING, DNS_SPLIT_HORIZON_WRONG,
                 DNS_SUBDOMAIN_MISSING, DNS_RESOLUTION_FAILED -> dns.draft(f);
            case SERVICE_NOT_LISTENING -> owners.notListening(f);
            default -> owners.draft(f);
        };
    }

    /** The changes and the questions one check gives. */
    record Outcome(List<Draft> drafts, List<ToVerify> toVerify) {
        static final Outcome NONE = new Outcome(List.of(), List.of());

        static Outcome changes(List<Draft> drafts) {
            return new Outcome(drafts, List.of());
        }

        static Outcome verify(ToVerify v) {
            return new Outcome(List.of(), List.of(v));
        }

        Outcome and(Outcome o) {
            List<Draft> d = new ArrayList<>(drafts);
            d.addAll(o.drafts);
            List<ToVerify> v = new ArrayList<>(toVerify);
            v.addAll(o.toVerify);
            return new Outcome(d, v);
        }

        boolean isEmpty() {
            return drafts.isEmpty() && toVerify.isEmpty();
        }
    }
}
