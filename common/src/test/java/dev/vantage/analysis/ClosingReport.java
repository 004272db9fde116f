package dev.vantage.analysis;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vantage.plan.Plan;
import dev.vantage.site.Site;
import dev.vantage.wire.PortRange;
import dev.vantage.wire.ProbeKind;
import dev.vantage.wire.ProbeTask;
import dev.vantage.wire.ReceiptEvidence;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The closing report of a responder window in a scenario file: a {@code respond:} line with any of
 * {@code listened}, {@code skipped} or {@code receipts} carries a {@link ReceiptEvidence}.
 *
 * <pre>
 * - respond: acd-stack
 *   transport: udp
 *   ports: "30000-34999"
 *   listened: "30000-34999"                        # ports held for the whole window
 *   skipped: ["34990-34999 in use by another process"]
 *   receipts:                                      # whose packets arrived
 *     - {kind: UDP_NONCE, req: inbound.rtp, from: trunk, probe: udp-range, ports: "30000-34999"}   # that task's nonce
 * </pre>
 */
final class ClosingReport {
    private ClosingReport() {
    }

    /** The receipt evidence of a respond line, null when it has none (an opening report). */
    static ReceiptEvidence of(JsonNode o, Plan plan, Site site) {
        if (!o.has("listened") && !o.has("skipped") && !o.has("receipts")) {
            return null;
        }
        List<PortRange> listened = new ArrayList<>();
        for (String p : o.path("listened").asText("").split(",")) {
            if (!p.isBlank()) {
                listened.add(PortRange.parse(p));
            }
        }
        List<ReceiptEvidence.Skipped> skipped = new ArrayList<>();
        o.path("skipped").forEach(s -> {
            String[] w = s.asText().split(" ", 2);
            skipped.add(new ReceiptEvidence.Skipped(PortRange.parse(w[0]), w.length > 1 ? w[1] : null));
        });
        List<ReceiptEvidence.Receipt> receipts = new ArrayList<>();
        o.path("receipts").forEach(r -> receipts.add(receipt(r, plan, site)));
        return new ReceiptEvidence(listened, skipped, receipts, false, null);
    }

    private static ReceiptEvidence.Receipt receipt(JsonNode r, Plan plan, Site site) {
        ReceiptEvidence.Kind kind = ReceiptEvidence.Kind.valueOf(r.path("kind").asText("UDP_NONCE"));
        String from = r.path("from").asText();
        String source = r.has("source") ? r.path("source").asText()
                : site.role(from).map(sr -> sr.addresses().get(0).text().replaceAll("/.*", "")).orElse("192.0.2.99");
        String tag = null;
        if (r.has("req") && kind != ReceiptEvidence.Kind.TCP_ACCEPT) {
            ProbeTask t = plan.tasks().stream().filter(x -> x.kind() != ProbeKind.RESPOND
                    && x.requirementId().equals(r.path("req").asText()) && x.vantage().equals(from)
                    && (!r.has("probe") || x.kind().wireName().equals(r.path("probe").asText())))
                    .findFirst().orElseThrow(() -> new IllegalArgumentException("receipt " + r + " matches no planned task"));
            tag = ReceiptEvidence.tagOf(t.taskId());
        }
        List<PortRange> ports = new ArrayList<>();
        for (String p : r.path("ports").asText().split(",")) {
            ports.add(PortRange.parse(p));
        }
        Instant at = SurveyFixture.START;
        return new ReceiptEvidence.Receipt(kind, source, tag, ports, ports.size(), r.path("count").asLong(3), at, at.plusSeconds(2));
    }
}
