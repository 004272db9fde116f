package dev.vantage.analysis;

import dev.vantage.catalog.Zone;
import dev.vantage.net.IpAddress;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

import static dev.vantage.analysis.DiagnosisCode.*;
import static dev.vantage.analysis.Phrasing.firewallOf;
import static dev.vantage.analysis.Phrasing.join;
import static dev.vantage.analysis.Phrasing.list;
import static dev.vantage.analysis.Phrasing.lowerFirst;
import static dev.vantage.analysis.Phrasing.proto;

/**
 * Where a silent path is blocked, judged from what the other vantages of the same survey saw on the
 * same destination role, transport and ports (any requirement). Inside vantages probe a role's internal
 * address, outside vantages its public address; from inside to the public address is the hairpin case.
 * "Reached" includes a reset: the packet got there.
 */
final class SilentPathRule implements CrossVantageRule {

    @Override
    public void apply(SurveyChecks survey) {
        for (Judged j : survey.checks) {
            if (j.locate && j.destinationRole() != null) {
                j.locate = false;
                Placed placed = j.isHairpin() ? hairpin(j, survey) : j.zone == Zone.OUTSIDE ? outside(j, survey) : inside(j, survey);
                if (j.code == RANGE_PARTIAL) {
                    j.text = j.text + " For the silent part: " + lowerFirst(placed.text);
                } else {
                    j.code = placed.code;
                    j.text = j.text + " " + placed.text;
                }
            }
        }
    }

    /** From inside to the public address: the forward from outside tells a missing hairpin from a missing forward. */
    private static Placed hairpin(Judged j, SurveyChecks survey) {
        String role = j.destinationRole();
        List<String> outsideReached = survey.vantages(j, Judged::isOutsidePublic, o -> o.reached, j.silent);
        List<String> outsideSilent = survey.vantages(j, Judged::isOutsidePublic, o -> o.silent, j.silent);
        List<String> insideReached = survey.vantages(j, Judged::isInsideInternal, o -> o.reached, j.silent);
        if (!outsideReached.isEmpty()) {
            return new Placed(HAIRPIN_NAT_MISSING, "The public address answers on the same port from outside ("
                    + join(outsideReached) + "), so the forward works, but the firewall does not loop traffic from"
                    + " inside back to its public address: hairpin NAT (NAT loopback) is missing.");
        }
        if (!outsideSilent.isEmpty()) {
            return !insideReached.isEmpty()
                    ? new Placed(PERIMETER_FORWARD_MISSING, "The public address is silent from outside too ("
                    + join(outsideSilent) + ") while the internal address answers from " + join(insideReached)
                    + ": the port forward itself is missing, so hairpin cannot work either.")
                    : new Placed(STACK_FIREWALL_BLOCKS, "It is silent from outside too (" + join(outsideSilent)
                    + ") and no inside vantage reached the internal address: blocked at " + firewallOf(role)
                    + ", or nothing routes there.");
        }
        return new Placed(PATH_FILTERED, "No outside vantage probed the public address, so a missing hairpin"
                + " NAT cannot be told from a missing port forward.");
    }

    /** From outside to the public address: other outside sources, then the inside, tell perimeter from host. */
    private static Placed outside(Judged j, SurveyChecks survey) {
        String role = j.destinationRole();
        List<String> otherOutside = survey.vantages(j, Judged::isOutsidePublic, o -> o.reached, j.silent);
        List<String> insideReached = survey.vantages(j, Judged::isInsideInternal, o -> o.reached, j.silent);
        List<String> insideSilent = survey.vantages(j, Judged::isInsideInternal, o -> o.silent, j.silent);
        if (!otherOutside.isEmpty()) {
            return new Placed(PERIMETER_SOURCE_RESTRICTED, "The same public address answers from " + join(otherOutside)
                    + ": the perimeter rule admits only some sources, and " + j.task.vantage() + " is not among them.");
        }
        if (!insideReached.isEmpty()) {
            String hint = "";
            if (IpAddress.tryParse(j.task.target()).map(IpAddress::isPrivateUse).orElse(false)) {
                hint = " The public address " + j.task.target() + " is itself a private or carrier-grade NAT address:"
                        + " another router or the provider's NAT in front of the perimeter must forward it too.";
            } else if (!insideSilent.isEmpty()) {
                hint = " It is silent from " + join(insideSilent) + " too, so " + firewallOf(role)
                        + " may admit only some sources.";
            }
            return new Placed(PERIMETER_FORWARD_MISSING, role + " answers on its internal address from "
                    + join(insideReached) + ", so it listens and its own firewall lets the traffic in: the"
                    + " perimeter firewall does not forward " + proto(j) + " " + list(j.silent) + " from "
                    + j.task.target() + " (port-forward or rule missing, or the answers of " + role
                    + " do not go back through the perimeter firewall)." + hint);
        }
        if (!insideSilent.isEmpty()) {
            return new Placed(STACK_FIREWALL_BLOCKS, "It is silent from inside too (" + join(insideSilent)
                    + "): blocked at " + firewallOf(role) + ", or nothing routes there.");
        }
        return new Placed(PATH_FILTERED, "No inside vantage probed the port, so the perimeter firewall and "
                + firewallOf(role) + " cannot be told apart.");
    }

    /** From inside to the internal address: does anyone else reach it? */
    private static Placed inside(Judged j, SurveyChecks survey) {
        String role = j.destinationRole();
        List<String> others = survey.vantages(j, o -> o.addressKind != AddressKind.INTERNAL
                || o.task.target().equals(j.task.target()), o -> o.reached, j.silent);
        if (!others.isEmpty()) {
            return new Placed(INTERNAL_PATH_BLOCKED, role + " answers on the same port from " + join(others)
                    + ": a firewall between the network of " + j.task.vantage() + " and " + role + " drops it, or "
                    + firewallOf(role) + " admits only some sources.");
        }
        Set<String> silentFrom = new LinkedHashSet<>();
        silentFrom.add(j.task.vantage());
        silentFrom.addAll(survey.vantages(j, o -> true, o -> o.silent, j.silent));
        return new Placed(STACK_FIREWALL_BLOCKS, "Silent from every vantage that probed it (" + join(new ArrayList<>(silentFrom))
                + "): blocked at " + firewallOf(role) + ", or nothing routes to " + j.task.target() + ".");
    }

    private record Placed(DiagnosisCode code, String text) {
        Placed {
            Objects.requireNonNull(code);
        }
    }
}
