package dev.vantage.analysis;

import dev.vantage.catalog.Zone;
import dev.vantage.net.IpAddress;
import dev.vantage.wire.PortRange;
import dev.vantage.wire.TlsEvidence;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Predicate;

import static dev.vantage.analysis.DiagnosisCode.*;

/**
 * The cross-vantage rules: where a silent path is blocked, judged from what the other vantages of the
 * same survey saw on the same destination and port (any requirement); whether what answered where a
 * responder was expected is the stack or another host; and whether one vantage sees a different TLS
 * chain than the others.
 *
 * <p>Inside vantages probe a role's internal address, outside vantages its public address; from inside
 * to the public address is the hairpin case. "Reached" includes a reset: the packet got there.
 */
final class Locator {
    private final List<Judged> all;

    Locator(List<Judged> all) {
        this.all = all;
    }

    void locate(Judged j) {
        if (!j.locate || j.requirement.destination().role() == null) {
            return;
        }
        j.locate = false;
        String role = j.requirement.destination().role();
        List<PortRange> ports = j.silent;
        boolean hairpin = "public".equals(j.addressKind) && j.zone == Zone.INSIDE;
        Predicate<Judged> insideInternal = o -> o.zone == Zone.INSIDE && "internal".equals(o.addressKind);
        Predicate<Judged> outsidePublic = o -> o.zone == Zone.OUTSIDE && "public".equals(o.addressKind);
        Placed placed;
        if (hairpin) {
            List<String> outsideReached = names(j, outsidePublic, o -> o.reached);
            List<String> outsideSilent = names(j, outsidePublic, o -> o.silent);
            List<String> insideReached = names(j, insideInternal, o -> o.reached);
            if (!outsideReached.isEmpty()) {
                placed = new Placed(HAIRPIN_NAT_MISSING, "The public address answers on the same port from outside ("
                        + join(outsideReached) + "), so the forward works, but the firewall does not loop traffic from"
                        + " inside back to its public address: hairpin NAT (NAT loopback) is missing.");
            } else if (!outsideSilent.isEmpty()) {
                placed = !insideReached.isEmpty()
                        ? new Placed(PERIMETER_FORWARD_MISSING, "The public address is silent from outside too ("
                        + join(outsideSilent) + ") while the internal address answers from " + join(insideReached)
                        + ": the port forward itself is missing, so hairpin cannot work either.")
                        : new Placed(STACK_FIREWALL_BLOCKS, "It is silent from outside too (" + join(outsideSilent)
                        + ") and no inside vantage reached the internal address: blocked at " + firewallOf(role)
                        + ", or nothing routes there.");
            } else {
                placed = new Placed(PATH_FILTERED, "No outside vantage probed the public address, so a missing hairpin"
                        + " NAT cannot be told from a missing port forward.");
            }
        } else if (j.zone == Zone.OUTSIDE) {
            List<String> otherOutside = names(j, outsidePublic, o -> o.reached);
            List<String> insideReached = names(j, insideInternal, o -> o.reached);
            List<String> insideSilent = names(j, insideInternal, o -> o.silent);
            if (!otherOutside.isEmpty()) {
                placed = new Placed(PERIMETER_SOURCE_RESTRICTED, "The same public address answers from " + join(otherOutside)
                        + ": the perimeter rule admits only some sources, and " + j.task.vantage() + " is not among them.");
            } else if (!insideReached.isEmpty()) {
                String hint = "";
                if (IpAddress.tryParse(j.task.target()).map(IpAddress::isPrivateUse).orElse(false)) {
                    hint = " The public address " + j.task.target() + " is itself a private or carrier-grade NAT address:"
                            + " another router or the provider's NAT in front of the perimeter must forward it too.";
                } else if (!insideSilent.isEmpty()) {
                    hint = " It is silent from " + join(insideSilent) + " too, so " + firewallOf(role)
                            + " may admit only some sources.";
                }
                placed = new Placed(PERIMETER_FORWARD_MISSING, role + " answers on its internal address from "
                        + join(insideReached) + ", so it listens and its own firewall lets the traffic in: the"
                        + " perimeter firewall does not forward " + Judge.proto(j) + " " + Judge.list(ports) + " from "
                        + j.task.target() + " (port-forward or rule missing, or the answers of " + role
                        + " do not go back through the perimeter firewall)." + hint);
            } else if (!insideSilent.isEmpty()) {
                placed = new Placed(STACK_FIREWALL_BLOCKS, "It is silent from inside too (" + join(insideSilent)
                        + "): blocked at " + firewallOf(role) + ", or nothing routes there.");
            } else {
                placed = new Placed(PATH_FILTERED, "No inside vantage probed the port, so the perimeter firewall and "
                        + firewallOf(role) + " cannot be told apart.");
            }
        } else {
            List<String> others = names(j, o -> !"internal".equals(o.addressKind) || o.task.target().equals(j.task.target()),
                    o -> o.reached);
            if (!others.isEmpty()) {
                placed = new Placed(INTERNAL_PATH_BLOCKED, role + " answers on the same port from " + join(others)
                        + ": a firewall between the network of " + j.task.vantage() + " and " + role + " drops it, or "
                        + firewallOf(role) + " admits only some sources.");
            } else {
                Set<String> silentFrom = new LinkedHashSet<>();
                silentFrom.add(j.task.vantage());
                silentFrom.addAll(names(j, o -> true, o -> o.silent));
                placed = new Placed(STACK_FIREWALL_BLOCKS, "Silent from every vantage that probed it (" + join(new ArrayList<>(silentFrom))
                        + "): blocked at " + firewallOf(role) + ", or nothing routes to " + j.task.target() + ".");
            }
        }
        if (j.code == RANGE_PARTIAL) {
            j.text = j.text + " For the silent part: " + lowerFirst(placed.text);
        } else {
            j.code = placed.code;
            j.text = j.text + " " + placed.text;
        }
    }

    /**
     * Pre-install, something other than the Vantage responder answered: the stack's internal address seen
     * from inside tells whether that is a service already on the stack or another host behind the address.
     */
    void identify() {
        for (Judged j : all) {
            if (j.foreignAnswer == null || j.status != VerdictStatus.PASS || j.requirement.destination().role() == null) {
                continue;
            }
            String role = j.requirement.destination().role();
            List<String> responderInside = new ArrayList<>();
            List<String> sameInside = new ArrayList<>();
            for (Judged o : all) {
                if (o == j || o.requirement.destination().role() == null || !o.requirement.destination().role().equals(role)
                        || !o.transport.equals(j.transport) || o.zone != Zone.INSIDE || !"internal".equals(o.addressKind)
                        || o.task.ports() == null || !Judge.overlaps(o.task.ports(), j.task.ports())) {
                    continue;
                }
                if (o.responderAnswered) {
                    responderInside.add(o.task.vantage());
                } else if (j.foreignAnswer.equals(o.foreignAnswer)) {
                    sameInside.add(o.task.vantage());
                }
            }
            String answered = Judge.proto(j) + " " + Judge.where(j) + " from " + j.from() + " was answered by \""
                    + j.foreignAnswer + "\", not by the Vantage responder";
            boolean inside = j.zone == Zone.INSIDE && "internal".equals(j.addressKind);
            if (!responderInside.isEmpty() && !inside) {
                j.set(VerdictStatus.FAIL, WRONG_DESTINATION, answered + ", while " + role + "'s responder answers from "
                        + join(dedupe(responderInside)) + ": the address or port forward leads to another host, or a device on the path answers in its place.");
            } else if (inside || !sameInside.isEmpty()) {
                j.notes.add(Judge.note(j, UNIDENTIFIED_ANSWER, answered + (inside ? "" : "; " + join(dedupe(sameInside))
                        + " get the same answer from the internal address") + ": a service already listens on "
                        + role + ", the path is proven."));
            } else {
                j.set(VerdictStatus.INCONCLUSIVE, UNIDENTIFIED_ANSWER, answered + ", and no inside vantage shows what "
                        + role + " itself answers: it cannot be told whether the path leads to " + role + ".");
            }
        }
    }

    private static List<String> dedupe(List<String> names) {
        return new ArrayList<>(new LinkedHashSet<>(names));
    }

    private static String firewallOf(String role) {
        return role.equals("acd-stack") ? "the stack VM's own firewall" : "the own firewall of the " + role + " host";
    }

    /** Vantages (other than j's) on the same destination role and transport whose given ports overlap j's silent ones. */
    private List<String> names(Judged j, Predicate<Judged> which, Function<Judged, List<PortRange>> ports) {
        Set<String> names = new LinkedHashSet<>();
        for (Judged o : all) {
            if (o == j || o.sameVantage(j) || o.requirement.destination().role() == null
                    || !o.requirement.destination().role().equals(j.requirement.destination().role())
                    || !o.transport.equals(j.transport) || !which.test(o)) {
                continue;
            }
            if (overlaps(ports.apply(o), j.silent)) {
                // another agent of the same role is only told apart by its agent id
                names.add(o.task.vantage().equals(j.task.vantage()) ? o.from() : o.task.vantage());
            }
        }
        return new ArrayList<>(names);
    }

    private static boolean overlaps(List<PortRange> a, List<PortRange> b) {
        for (PortRange x : a) {
            for (PortRange y : b) {
                if (Judge.overlaps(x, y)) {
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * One destination, several vantages, different certificates: the vantage whose chain differs from the
     * publicly trusted one (or from what most vantages see) is behind TLS inspection. When two chains
     * disagree and neither is trusted or more common, the evidence conflicts.
     */
    void compareTlsChains() {
        Map<String, List<Judged>> groups = new LinkedHashMap<>();
        for (Judged j : all) {
            if (j.result != null && j.result.evidence() instanceof TlsEvidence e && !e.chain().isEmpty()
                    && e.chain().get(0) != null && e.chain().get(0).sha256() != null) {
                String dest = j.addressKind == null ? "host:" + j.task.target() : "role:" + j.requirement.destination().role();
                groups.computeIfAbsent(dest + "|" + j.task.ports() + "|" + e.sni(), k -> new ArrayList<>()).add(j);
            }
        }
        for (List<Judged> group : groups.values()) {
            Map<String, List<Judged>> byLeaf = new LinkedHashMap<>();
            Map<String, Boolean> trusted = new LinkedHashMap<>();
            for (Judged j : group) {
                TlsEvidence e = (TlsEvidence) j.result.evidence();
                String leaf = e.chain().get(0).sha256();
                byLeaf.computeIfAbsent(leaf, k -> new ArrayList<>()).add(j);
                trusted.merge(leaf, e.chainTrusted(), Boolean::logicalOr);
            }
            if (byLeaf.size() < 2) {
                continue;
            }
            List<String> trustedLeaves = trusted.entrySet().stream().filter(Map.Entry::getValue).map(Map.Entry::getKey).toList();
            String reference = null;
            if (trustedLeaves.size() == 1) {
                reference = trustedLeaves.get(0);
            } else if (trustedLeaves.isEmpty()) {
                int max = byLeaf.values().stream().mapToInt(l -> vantages(l).size()).max().orElse(0);
                List<String> top = byLeaf.entrySet().stream().filter(en -> vantages(en.getValue()).size() == max)
                        .map(Map.Entry::getKey).toList();
                reference = top.size() == 1 ? top.get(0) : null;
            }
            if (reference == null) {
                if (trustedLeaves.size() > 1) {
                    continue; // several publicly trusted certificates: a CDN or a rotation, not inspection
                }
                for (Judged j : group) {
                    j.set(VerdictStatus.INCONCLUSIVE, EVIDENCE_CONFLICT, "Vantages see different certificates for "
                            + Judge.where(j) + " and none is publicly trusted or seen by more vantages: " + describe(byLeaf)
                            + ". One of them is behind TLS inspection; survey from a third vantage to tell which.");
                }
                continue;
            }
            for (Map.Entry<String, List<Judged>> en : byLeaf.entrySet()) {
                if (en.getKey().equals(reference)) {
                    continue;
                }
                for (Judged j : en.getValue()) {
                    TlsEvidence e = (TlsEvidence) j.result.evidence();
                    // only another vantage's view is a comparison; the same vantage seeing two chains is not
                    List<String> referenceFrom = vantages(byLeaf.get(reference).stream().filter(o -> !o.sameVantage(j)).toList());
                    if (e.chainTrusted() || referenceFrom.isEmpty()) {
                        continue;
                    }
                    TlsEvidence ref = (TlsEvidence) byLeaf.get(reference).get(0).result.evidence();
                    String issuer = e.interceptedBy() != null ? e.interceptedBy() : Judge.topIssuer(e);
                    j.notes.removeIf(n -> n.code() == CERTIFICATE_NOT_TRUSTED); // superseded by the finding below
                    boolean otherAddress = byLeaf.get(reference).stream().noneMatch(o -> Objects.equals(o.addressKind, j.addressKind));
                    if (otherAddress && !e.nameMatches() && j.addressKind != null) {
                        // a certificate for another name behind another address: a forward to the wrong host
                        j.set(VerdictStatus.FAIL, WRONG_DESTINATION, "From " + j.from() + " " + Judge.where(j)
                                + " presents a certificate for " + e.chain().get(0).subject() + ", not for " + e.sni()
                                + ", while from " + join(referenceFrom) + " the " + ref.chain().get(0).subject()
                                + " certificate is presented: the address or port forward leads to another host.");
                        continue;
                    }
                    j.set(VerdictStatus.FAIL, TLS_INSPECTION, "From " + j.from() + " " + Judge.where(j)
                            + " presents a certificate issued by " + issuer + ", while from " + join(referenceFrom)
                            + " it presents " + ref.chain().get(0).subject() + " issued by " + ref.chain().get(0).issuer()
                            + ": TLS inspection at the egress of " + j.task.vantage() + "."
                            + (otherAddress && j.addressKind != null ? " (Or the " + j.addressKind
                            + " address leads to another host presenting its own certificate.)" : ""));
                }
            }
        }
    }

    private static List<String> vantages(List<Judged> js) {
        Set<String> names = new LinkedHashSet<>();
        js.forEach(j -> names.add(j.task.vantage() + (j.agentId == null ? "" : " (agent " + j.agentId + ")")));
        return new ArrayList<>(names);
    }

    private static String describe(Map<String, List<Judged>> byLeaf) {
        List<String> parts = new ArrayList<>();
        byLeaf.forEach((leaf, js) -> parts.add(join(vantages(js)) + " get one issued by "
                + Judge.topIssuer((TlsEvidence) js.get(0).result.evidence())));
        return String.join("; ", parts);
    }

    private static String join(List<String> names) {
        return String.join(", ", names);
    }

    private static String lowerFirst(String s) {
        return s.isEmpty() ? s : Character.toLowerCase(s.charAt(0)) + s.substring(1);
    }

    private record Placed(DiagnosisCode code, String text) {
        Placed {
            Objects.requireNonNull(code);
        }
    }
}
