package dev.vantage.analysis;

import dev.vantage.wire.TlsEvidence;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

import static dev.vantage.analysis.DiagnosisCode.*;
import static dev.vantage.analysis.Phrasing.from;
import static dev.vantage.analysis.Phrasing.join;
import static dev.vantage.analysis.Phrasing.where;

/**
 * One destination, several vantages, different certificates: the vantage whose chain differs from the
 * publicly trusted one (or from what most vantages see) is behind TLS inspection. When two chains
 * disagree and neither is trusted or more common, the evidence conflicts.
 */
final class TlsChainRule implements CrossVantageRule {

    @Override
    public void apply(SurveyChecks survey) {
        Map<String, List<Judged>> groups = new LinkedHashMap<>();
        for (Judged j : survey.checks) {
            if (j.result != null && j.result.evidence() instanceof TlsEvidence e && !e.chain().isEmpty()
                    && e.chain().get(0) != null && e.chain().get(0).sha256() != null) {
                String dest = j.addressKind == AddressKind.NONE ? "host:" + j.task.target() : "role:" + j.destinationRole();
                groups.computeIfAbsent(dest + "|" + j.task.ports() + "|" + e.sni(), k -> new ArrayList<>()).add(j);
            }
        }
        groups.values().forEach(TlsChainRule::compare);
    }

    private static void compare(List<Judged> group) {
        Map<String, List<Judged>> byLeaf = new LinkedHashMap<>();
        Map<String, Boolean> trusted = new LinkedHashMap<>();
        for (Judged j : group) {
            TlsEvidence e = (TlsEvidence) j.result.evidence();
            String leaf = e.chain().get(0).sha256();
            byLeaf.computeIfAbsent(leaf, k -> new ArrayList<>()).add(j);
            trusted.merge(leaf, e.chainTrusted(), Boolean::logicalOr);
        }
        if (byLeaf.size() < 2) {
            return;
        }
        List<String> trustedLeaves = trusted.entrySet().stream().filter(Map.Entry::getValue).map(Map.Entry::getKey).toList();
        String reference = reference(byLeaf, trustedLeaves);
        if (reference == null) {
            if (trustedLeaves.size() > 1) {
                return; // several publicly trusted certificates: a CDN or a rotation, not inspection
            }
            for (Judged j : group) {
                j.set(VerdictStatus.INCONCLUSIVE, EVIDENCE_CONFLICT, "Vantages see different certificates for "
                        + where(j) + " and none is publicly trusted or seen by more vantages: " + describe(byLeaf)
                        + ". One of them is behind TLS inspection; survey from a third vantage to tell which.");
            }
            return;
        }
        for (Map.Entry<String, List<Judged>> en : byLeaf.entrySet()) {
            if (!en.getKey().equals(reference)) {
                en.getValue().forEach(j -> differs(j, byLeaf.get(reference)));
            }
        }
    }

    /** The leaf to compare with: the one publicly trusted leaf, or when none is trusted the one most vantages see. */
    private static String reference(Map<String, List<Judged>> byLeaf, List<String> trustedLeaves) {
        if (trustedLeaves.size() == 1) {
            return trustedLeaves.get(0);
        }
        if (!trustedLeaves.isEmpty()) {
            return null;
        }
        int max = byLeaf.values().stream().mapToInt(l -> vantages(l).size()).max().orElse(0);
        List<String> top = byLeaf.entrySet().stream().filter(en -> vantages(en.getValue()).size() == max)
                .map(Map.Entry::getKey).toList();
        return top.size() == 1 ? top.get(0) : null;
    }

    /** j sees another certificate than the reference vantages. */
    private static void differs(Judged j, List<Judged> reference) {
        TlsEvidence e = (TlsEvidence) j.result.evidence();
        // only another vantage's view is a comparison; the same vantage seeing two chains is not
        List<String> referenceFrom = vantages(reference.stream().filter(o -> !o.sameVantage(j)).toList());
        if (e.chainTrusted() || referenceFrom.isEmpty()) {
            return;
        }
        TlsEvidence ref = (TlsEvidence) reference.get(0).result.evidence();
        String issuer = e.interceptedBy() != null ? e.interceptedBy() : TlsRules.topIssuer(e);
        j.notes.removeIf(n -> n.code() == CERTIFICATE_NOT_TRUSTED); // superseded by the finding below
        boolean otherAddress = reference.stream().noneMatch(o -> Objects.equals(o.addressKind, j.addressKind));
        boolean roleAddress = j.addressKind != AddressKind.NONE;
        if (otherAddress && !e.nameMatches() && roleAddress) {
            // a certificate for another name behind another address: a forward to the wrong host
            j.set(VerdictStatus.FAIL, WRONG_DESTINATION, "From " + from(j) + " " + where(j)
                    + " presents a certificate for " + e.chain().get(0).subject() + ", not for " + e.sni()
                    + ", while from " + join(referenceFrom) + " the " + ref.chain().get(0).subject()
                    + " certificate is presented: the address or port forward leads to another host.");
            return;
        }
        j.set(VerdictStatus.FAIL, TLS_INSPECTION, "From " + from(j) + " " + where(j)
                + " presents a certificate issued by " + issuer + ", while from " + join(referenceFrom)
                + " it presents " + ref.chain().get(0).subject() + " issued by " + ref.chain().get(0).issuer()
                + ": TLS inspection at the egress of " + j.task.vantage() + "."
                + (otherAddress && roleAddress ? " (Or the " + j.addressKind.wireName()
                + " address leads to another host presenting its own certificate.)" : ""));
    }

    private static List<String> vantages(List<Judged> js) {
        Set<String> names = new LinkedHashSet<>();
        js.forEach(j -> names.add(from(j)));
        return new ArrayList<>(names);
    }

    private static String describe(Map<String, List<Judged>> byLeaf) {
        List<String> parts = new ArrayList<>();
        byLeaf.forEach((leaf, js) -> parts.add(join(vantages(js)) + " get one issued by "
                + TlsRules.topIssuer((TlsEvidence) js.get(0).result.evidence())));
        return String.join("; ", parts);
    }
}
