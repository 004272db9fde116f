package dev.vantage.analysis;

import dev.vantage.catalog.Zone;
import dev.vantage.net.Endpoint;
import dev.vantage.net.IpAddress;
import dev.vantage.site.Site;
import dev.vantage.site.SiteRole;
import dev.vantage.wire.NatEvidence;
import dev.vantage.wire.Outcome;
import dev.vantage.wire.ProbeResult;
import dev.vantage.wire.RtpEvidence;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import static dev.vantage.analysis.DiagnosisCode.*;
import static dev.vantage.analysis.Phrasing.clip;
import static dev.vantage.analysis.Phrasing.from;
import static dev.vantage.analysis.Phrasing.num;
import static dev.vantage.analysis.Phrasing.where;
import static dev.vantage.analysis.VerdictStatus.FAIL;
import static dev.vantage.analysis.VerdictStatus.PASS;

/**
 * The media rules: RTP stream quality against the requirement's thresholds, and NAT — what the NAT
 * check's responder saw of a vantage's outbound traffic, and what a responder saw of inbound traffic.
 */
final class MediaRules {
    private final Site site;
    private final PortRules ports;

    MediaRules(Site site, PortRules ports) {
        this.site = site;
        this.ports = ports;
    }

    void rtp(Judged j) {
        ProbeResult r = j.result;
        RtpEvidence e = r.evidence() instanceof RtpEvidence x ? x : null;
        switch (r.outcome()) {
            case PASSED -> {
                j.markReached();
                j.set(PASS, null, null);
            }
            case DEGRADED -> {
                if (e != null && e.received() == 0) {
                    // nothing came back: a silent path, not a quality problem
                    ports.judge(j, List.of(new PortStates.Seg(j.task.ports(), Outcome.OPEN_OR_FILTERED)));
                    return;
                }
                j.markReached();
                if (e == null) {
                    j.set(FAIL, RTP_QUALITY, "RTP from " + from(j) + " to " + where(j) + " is below the thresholds: "
                            + clip(r.summary()) + ".");
                    return;
                }
                List<String> over = new ArrayList<>();
                if (e.lossPct() > e.maxLossPct()) {
                    over.add("loss");
                }
                if (e.jitterMs() > e.maxJitterMs()) {
                    over.add("jitter");
                }
                if (e.mos() < e.minMos()) {
                    over.add("MOS");
                }
                j.set(FAIL, RTP_QUALITY, String.format(Locale.ROOT,
                        "RTP from %s to %s: loss %.1f %% (max %s), jitter %.1f ms (max %s), MOS %.2f (min %s), RTT %.1f ms"
                                + " over %d packets; %s below the thresholds.",
                        from(j), where(j), e.lossPct(), num(e.maxLossPct()), e.jitterMs(), num(e.maxJitterMs()), e.mos(),
                        num(e.minMos()), e.rttAvgMs(), e.sent(), over.isEmpty() ? "the probe judged it" : String.join(", ", over)));
            }
            default -> ports.judgeOutcome(j);
        }
    }

    void nat(Judged j) {
        ProbeResult r = j.result;
        NatEvidence e = r.evidence() instanceof NatEvidence n ? n : null;
        switch (r.outcome()) {
            case NAT, NO_NAT -> {
                j.markReached();
                j.set(PASS, null, null);
                if (r.outcome() == Outcome.NAT) {
                    j.addNote(NAT_OBSERVED, "From " + from(j) + " outbound traffic is translated: sent from "
                            + (e == null ? "?" : e.localSource()) + ", seen as " + (e == null ? "?" : e.seenSource())
                            + (e != null && Boolean.FALSE.equals(e.portPreserved()) ? " (port changed)." : " (port preserved)."));
                }
            }
            case PASSED -> {
                j.markReached();
                j.set(PASS, null, null);
            }
            case UNEXPECTED -> {
                j.markReached();
                j.set(FAIL, WRONG_PROTOCOL_ANSWER, "From " + from(j) + " " + where(j)
                        + " answered, but not as a Vantage responder: " + clip(r.summary()) + ".");
            }
            default -> ports.judgeOutcome(j);
        }
    }

    /**
     * The responder reports the source address it saw. An outside vantage's traffic arriving from a private
     * address (RFC 1918, carrier-grade NAT, IPv6 unique local) that is not the vantage's own means the
     * perimeter masquerades inbound traffic: IP-based trunk or support ACLs on the stack then see the
     * firewall instead.
     */
    void inboundSourceNat(Judged j, String seenSource) {
        IpAddress ip = seenSource == null ? null : Endpoint.tryParse(seenSource).flatMap(Endpoint::ip).orElse(null);
        if (ip == null || j.zone != Zone.OUTSIDE || !j.requirement.destination().isRole() || !ip.isPrivateUse()) {
            return;
        }
        SiteRole own = site.roles().get(j.task.vantage());
        if (own != null && own.addresses().stream().anyMatch(a -> a.contains(ip))) {
            return;
        }
        String role = j.destinationRole();
        j.addNote(INBOUND_SOURCE_NAT, role + " saw the traffic of " + from(j) + " to " + where(j) + " coming from " + ip
                + ", not from " + j.task.vantage() + "'s own address: the perimeter rewrites the source of inbound traffic"
                + " (masquerade). IP-based ACLs on " + role + " see the firewall instead of the real source.");
    }
}
