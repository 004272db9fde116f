package dev.vantage.analysis;

import dev.vantage.wire.ProbeResult;
import dev.vantage.wire.TlsEvidence;

import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

import static dev.vantage.analysis.DiagnosisCode.*;
import static dev.vantage.analysis.Phrasing.clip;
import static dev.vantage.analysis.Phrasing.from;
import static dev.vantage.analysis.Phrasing.where;
import static dev.vantage.analysis.VerdictStatus.FAIL;
import static dev.vantage.analysis.VerdictStatus.PASS;

/**
 * The TLS rules: on a public destination a chain that leads to no public root is TLS inspection; on a
 * role of the site an untrusted certificate only proves the port (it is noted, not failed).
 */
final class TlsRules {
    private final PortRules ports;

    TlsRules(PortRules ports) {
        this.ports = ports;
    }

    void judge(Judged j) {
        ProbeResult r = j.result;
        TlsEvidence e = r.evidence() instanceof TlsEvidence t ? t : null;
        boolean publicDestination = j.addressKind == AddressKind.NONE;
        switch (r.outcome()) {
            case TRUSTED -> {
                j.markReached();
                j.set(PASS, null, null);
            }
            case INTERCEPTED -> {
                j.markReached();
                String issuer = e != null && e.interceptedBy() != null ? e.interceptedBy() : topIssuer(e);
                j.set(FAIL, TLS_INSPECTION, inspection(j, issuer));
            }
            case UNTRUSTED -> {
                j.markReached();
                List<TlsEvidence.Problem> problems = e == null ? List.of() : e.problems();
                boolean noPublicRoot = e == null || !e.chainTrusted() || problems.contains(TlsEvidence.Problem.UNKNOWN_ISSUER)
                        || problems.contains(TlsEvidence.Problem.SELF_SIGNED);
                if (publicDestination && noPublicRoot) {
                    j.set(FAIL, TLS_INSPECTION, inspection(j, topIssuer(e)));
                } else if (publicDestination) {
                    j.set(FAIL, TLS_UNTRUSTED, where(j) + " presented a publicly rooted certificate with problems ("
                            + problemText(problems) + ") to " + from(j) + ".");
                } else {
                    j.set(PASS, null, null);
                    j.addNote(CERTIFICATE_NOT_TRUSTED, "The TLS handshake with " + where(j) + " from " + from(j)
                            + " worked (the port is reachable), but its certificate is not publicly trusted ("
                            + problemText(problems) + ", issued by " + topIssuer(e) + ").");
                }
            }
            case UNEXPECTED -> {
                j.markReached();
                j.set(FAIL, TLS_HANDSHAKE_FAILED, "The TCP connection to " + where(j) + " from " + from(j)
                        + " worked but the TLS handshake failed: "
                        + clip(e != null && e.error() != null ? e.error() : r.summary())
                        + ". A firewall that filters TLS by name, a proxy, or lost large packets (MTU) on the path.");
            }
            default -> ports.judgeOutcome(j);
        }
    }

    private static String inspection(Judged j, String issuer) {
        return "From " + from(j) + " " + where(j) + " presented a certificate chain issued by " + issuer
                + " that leads to no public root: TLS inspection at the egress of " + j.task.vantage() + ".";
    }

    /** The issuer at the top of the presented chain, as the diagnoses name it. */
    static String topIssuer(TlsEvidence e) {
        if (e == null || e.chain().isEmpty() || e.chain().get(e.chain().size() - 1) == null) {
            return "an unknown issuer";
        }
        return String.valueOf(e.chain().get(e.chain().size() - 1).issuer());
    }

    private static String problemText(List<TlsEvidence.Problem> problems) {
        return problems.isEmpty() ? "no public root" : problems.stream()
                .map(p -> p.name().toLowerCase(Locale.ROOT).replace('_', ' ')).collect(Collectors.joining(", "));
    }
}
