package dev.vantage.analysis;

import dev.vantage.catalog.Zone;
import dev.vantage.net.IpAddress;
import dev.vantage.wire.PortRange;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

import static dev.vantage.analysis.DiagnosisCode.*;
import static dev.vantage.analysis.Phrasing.firewallOf;
import static dev.vantage.analysis.Phrasing.join;
import static dev.vantage.analysis.Phrasing.lowerFirst;
import static dev.vantage.analysis.Phrasing.proto;
import static dev.vantage.analysis.Phrasing.ranges;

/**
 * Where a blocked path is blocked, judged from what the other vantages of the same survey saw on the same
 * destination role, transport and ports (any requirement). A path is blocked where it failed on the way:
 * silence, an ICMP reject, or a refusal that something on the path sent in the destination's place
 * ({@link RefusalOriginRule}); a failing block is placed once, whatever mix of answers and silence it holds.
 * Inside vantages probe a role's internal address, outside vantages its public address; from inside to the
 * public address is the hairpin case. The destination "answers" where it was reached, and on its internal
 * address also where it refused (the packet got there).
 */
final class BlockedPathRule implements CrossVantageRule {

    @Override
    public void apply(SurveyChecks survey) {
        for (Judged j : survey.checks) {
            if (j.locate && j.destinationRole() != null && !j.blocked.isEmpty()) {
                j.locate = false;
                Placed placed = j.isHairpin() ? hairpin(j, survey) : j.zone == Zone.OUTSIDE ? outside(j, survey) : inside(j, survey);
                String text = placed.text + whoAnswered(j, placed.code);
                if (j.code == RANGE_PARTIAL) {
                    boolean silentOnly = PortSets.covers(j.silent, j.blocked);
                    j.text = j.text + (silentOnly ? " For the silent part: " : " For the failing part: ") + lowerFirst(text);
                } else if (j.code == EXPLICIT_REJECT) {
                    j.text = j.text + " " + text; // the code names the reject rule; the text says where it is
                } else {
                    j.code = placed.code;
                    j.text = j.text + " " + text;
                }
            }
        }
    }

    /** From inside to the public address: the forward from outside tells a missing hairpin from a missing forward. */
    private static Placed hairpin(Judged j, SurveyChecks survey) {
        String role = j.destinationRole();
        List<String> outsideReached = survey.vantages(j, Judged::isOutsidePublic, Judged::answered, j.blocked);
        Others outside = others(j, survey, Judged::isOutsidePublic);
        List<String> insideReached = survey.vantagesIncludingOwn(j, Judged::isInsideInternal, Judged::answered, j.blocked);
        if (!outsideReached.isEmpty()) {
            return new Placed(HAIRPIN_NAT_MISSING, "The public address answers on the same port from outside ("
                    + join(outsideReached) + "), so the forward works, but the firewall does not loop traffic from"
                    + " inside back to its public address: hairpin NAT (NAT loopback) is missing.");
        }
        if (!outside.names.isEmpty()) {
            return !insideReached.isEmpty()
                    ? new Placed(PERIMETER_FORWARD_MISSING, "The public address is " + outside.from("outside") + " ("
                    + join(outside.names) + ") while the internal address answers from " + join(insideReached)
                    + ": the port forward itself is missing, so hairpin cannot work either.")
                    : new Placed(STACK_FIREWALL_BLOCKS, "It is " + outside.from("outside") + " (" + join(outside.names)
                    + ") and no inside vantage reached the internal address: blocked at " + firewallOf(role)
                    + ", or nothing routes there.");
        }
        return new Placed(PATH_FILTERED, "No outside vantage probed the public address, so a missing hairpin"
                + " NAT cannot be told from a missing port forward.");
    }

    /** From outside to the public address: other outside sources, then the inside, tell perimeter from host. */
    private static Placed outside(Judged j, SurveyChecks survey) {
        String role = j.destinationRole();
        List<String> otherOutside = survey.vantages(j, Judged::isOutsidePublic, Judged::answered, j.blocked);
        List<String> insideReached = survey.vantages(j, Judged::isInsideInternal, Judged::answered, j.blocked);
        Others inside = others(j, survey, Judged::isInsideInternal);
        if (!otherOutside.isEmpty()) {
            return new Placed(PERIMETER_SOURCE_RESTRICTED, "The same public address answers from " + join(otherOutside)
                    + ": the perimeter rule admits only some sources, and " + j.task.vantage() + " is not among them.");
        }
        if (!insideReached.isEmpty()) {
            String hint = "";
            if (IpAddress.tryParse(j.task.target()).map(IpAddress::isPrivateUse).orElse(false)) {
                hint = " The public address " + j.task.target() + " is itself a private or carrier-grade NAT address:"
                        + " another router or the provider's NAT in front of the perimeter must forward it too.";
            } else if (!inside.names.isEmpty()) {
                hint = " It is " + inside.from(join(inside.names)) + ", so " + firewallOf(role)
                        + " may admit only some sources.";
            }
            return new Placed(PERIMETER_FORWARD_MISSING, role + " answers on its internal address from "
                    + join(insideReached) + ", so it listens and its own firewall lets the traffic in: the"
                    + " perimeter firewall does not forward " + proto(j) + " " + ranges(j.blocked) + " from "
                    + j.task.target() + (PortSets.covers(j.silent, j.blocked) ? " (port-forward or rule missing, or the"
                    + " answers of " + role + " do not go back through the perimeter firewall)." : " (port-forward or rule"
                    + " missing).") + hint);
        }
        if (!inside.names.isEmpty()) {
            return new Placed(STACK_FIREWALL_BLOCKS, "It is " + inside.from("inside") + " (" + join(inside.names)
                    + "): blocked at " + firewallOf(role) + ", or nothing routes there.");
        }
        return new Placed(PATH_FILTERED, "No inside vantage probed the port, so the perimeter firewall and "
                + firewallOf(role) + " cannot be told apart.");
    }

    /** From inside to the internal address: does anyone else reach it? */
    private static Placed inside(Judged j, SurveyChecks survey) {
        String role = j.destinationRole();
        List<String> others = survey.vantages(j, o -> o.addressKind != AddressKind.INTERNAL
                || o.task.target().equals(j.task.target()), Judged::answered, j.blocked);
        if (!others.isEmpty()) {
            return new Placed(INTERNAL_PATH_BLOCKED, role + " answers on the same port from " + join(others)
                    + ": a firewall between the network of " + j.task.vantage() + " and " + role
                    + (PortSets.covers(j.silent, j.blocked) ? " drops it, or " : " rejects it, or ")
                    + firewallOf(role) + " admits only some sources.");
        }
        Others all = others(j, survey, o -> true);
        Set<String> failedFrom = new LinkedHashSet<>();
        failedFrom.add(j.task.vantage());
        failedFrom.addAll(all.names);
        boolean silent = PortSets.covers(j.silent, j.blocked) && all.silent;
        return new Placed(STACK_FIREWALL_BLOCKS, (silent ? "Silent" : "Not reached") + " from every vantage that probed it ("
                + join(new ArrayList<>(failedFrom)) + "): blocked at " + firewallOf(role) + ", or nothing routes to "
                + j.task.target() + ".");
    }

    /**
     * Who sent the answer, when the block was answered rather than dropped: the reset or ICMP message came from
     * the device the location names (the firewall that owns the public address, a reject rule), not from the
     * destination. Empty for a silent block.
     */
    private static String whoAnswered(Judged j, DiagnosisCode code) {
        List<PortRange> refused = PortSets.intersect(j.refused, j.blocked);
        List<PortRange> rejected = PortSets.intersect(j.rejected, j.blocked);
        if (refused.isEmpty() && rejected.isEmpty()) {
            return "";
        }
        String answer = "The " + (refused.isEmpty() ? Phrasing.reject(j) : Phrasing.refusal(j).replaceFirst("^a ", ""));
        boolean reject = refused.isEmpty();
        String role = j.destinationRole();
        return " " + switch (code) {
            case HAIRPIN_NAT_MISSING -> answer + " came from the firewall itself: without hairpin NAT a packet from inside"
                    + " to the public address is for the firewall's own address, and " + (reject ? "its rules reject it."
                    : "the firewall answers it.");
            case PERIMETER_FORWARD_MISSING, PERIMETER_SOURCE_RESTRICTED -> answer + (reject
                    ? " came from a reject rule of the perimeter firewall, not from " + role + "."
                    : " came from the perimeter firewall, not from " + role + ": it answers on its own public address for"
                    + " what it does not forward, or a reject rule answers in the place of " + role + ".");
            case STACK_FIREWALL_BLOCKS -> answer + " comes from a reject rule: in " + firewallOf(role)
                    + ", or in a firewall every vantage passes.";
            case INTERNAL_PATH_BLOCKED -> answer + " comes from a reject rule between the network of " + j.task.vantage()
                    + " and " + role + ", or in " + firewallOf(role) + " for this source.";
            default -> answer + " came from a reject rule on the path, or from the firewall that owns " + j.task.target() + ".";
        };
    }

    /** The vantages that failed on j's blocked ports, and how to say it ("silent" when they all were). */
    private static Others others(Judged j, SurveyChecks survey, java.util.function.Predicate<Judged> which) {
        List<String> failed = survey.vantages(j, which, Judged::failed, j.blocked);
        List<String> silent = survey.vantages(j, which, o -> o.silent, j.blocked);
        return new Others(failed, silent.containsAll(failed));
    }

    /** Other vantages that failed where j failed; {@code silent} when none of them got an answer either. */
    private record Others(List<String> names, boolean silent) {
        /** {@code "silent from inside too"}, or {@code "not reached from inside either"} when some got an answer. */
        String from(String where) {
            return silent ? "silent from " + where + " too" : "not reached from " + where + " either";
        }
    }

    private record Placed(DiagnosisCode code, String text) {
        Placed {
            Objects.requireNonNull(code);
        }
    }
}
