package dev.vantage.analysis;

import dev.vantage.catalog.Expectation;
import dev.vantage.net.IpAddress;
import dev.vantage.site.Site;
import dev.vantage.wire.DnsEvidence;
import dev.vantage.wire.Outcome;
import dev.vantage.wire.ProbeResult;

import java.util.Arrays;
import java.util.List;

import static dev.vantage.analysis.DiagnosisCode.*;
import static dev.vantage.analysis.Phrasing.clip;
import static dev.vantage.analysis.Phrasing.from;
import static dev.vantage.analysis.VerdictStatus.FAIL;
import static dev.vantage.analysis.VerdictStatus.PASS;

/**
 * The DNS rules: an answer compared with what the site expects from that vantage's view (internal or
 * external), and which record is missing where.
 */
final class DnsRules {
    private final Site site;

    DnsRules(Site site) {
        this.site = site;
    }

    void judge(Judged j) {
        ProbeResult r = j.result;
        DnsEvidence e = r.evidence() instanceof DnsEvidence d ? d : null;
        String name = j.task.target();
        boolean external = j.requirement.expect() == Expectation.RESOLVES_EXTERNAL;
        String resolver = e != null && e.resolver() != null ? " (resolver " + e.resolver() + ")" : "";
        List<String> expected = e != null && !e.expected().isEmpty() ? e.expected()
                : PlannedParams.expectedAddresses(j.task);
        switch (r.outcome()) {
            case RESOLVED -> {
                if (e != null && !e.missing().isEmpty()) {
                    Judge.conflict(j, "the answer is RESOLVED but the evidence lists " + e.missing() + " as missing");
                } else {
                    j.set(PASS, null, null);
                }
            }
            case MISMATCH -> {
                List<String> observed = e == null ? List.of() : e.observed();
                String saw = observed.isEmpty() ? "other addresses" : String.join(", ", observed);
                String want = expected.isEmpty() ? "the site's addresses" : String.join(", ", expected);
                if (external) {
                    boolean internal = observed.stream().anyMatch(a -> listed(site.dnsInternal(), a) || isPrivateUse(a));
                    j.set(FAIL, DNS_PUBLIC_RECORD_WRONG, "From " + from(j) + " " + name + " resolves to " + saw + resolver
                            + ", the site expects the public address " + want + "."
                            + (internal ? " The public zone publishes an internal address." : ""));
                } else {
                    boolean publicAnswer = !observed.isEmpty() && allListed(site.dnsExternal(), observed);
                    j.set(FAIL, DNS_SPLIT_HORIZON_WRONG, "From " + from(j) + " " + name + " resolves to " + saw + resolver
                            + ", the site expects the internal address " + want + ": split-horizon DNS is misconfigured"
                            + (publicAnswer ? " (the internal view gives the public address; from inside that works only with hairpin NAT)." : "."));
                }
            }
            case NXDOMAIN, NODATA -> missing(j, expected, resolver);
            case SERVFAIL, REFUSED, TIMEOUT, CLOSED, FILTERED, UNREACHABLE, UNEXPECTED, OPEN_OR_FILTERED -> {
                String anomalies = e != null && !e.anomalies().isEmpty() ? " Unusable replies: " + clip(e.anomalies().get(0)) + "." : "";
                j.set(FAIL, DNS_RESOLUTION_FAILED, "From " + from(j) + " resolving " + name + resolver + " failed with "
                        + r.outcome() + ": that vantage cannot resolve the name." + anomalies);
            }
            default -> Judge.notUnderstood(j);
        }
    }

    /** NXDOMAIN or no record of the asked type: which record is missing, in which view. */
    private void missing(Judged j, List<String> expected, String resolver) {
        String name = j.task.target();
        boolean external = j.requirement.expect() == Expectation.RESOLVES_EXTERNAL;
        boolean subdomain = !name.equalsIgnoreCase(site.fqdn());
        String view = external ? "the external view" : "the internal view";
        String says = j.result.outcome() == Outcome.NXDOMAIN ? "NXDOMAIN" : "no " + PlannedParams.record(j.task) + " record";
        if (subdomain) {
            j.set(FAIL, DNS_SUBDOMAIN_MISSING, "From " + from(j) + " " + view + " answers " + says + " for " + name
                    + resolver + ": the subdomain record is missing. Add " + name + " (or a wildcard *."
                    + site.fqdn() + ") pointing to " + (expected.isEmpty() ? "the stack" : String.join(", ", expected)) + ".");
        } else if (external) {
            j.set(FAIL, DNS_PUBLIC_RECORD_MISSING, "From " + from(j) + " the public DNS answers " + says + " for "
                    + name + resolver + ": the public record is missing. Publish " + name + " -> "
                    + (expected.isEmpty() ? "the stack's public address" : String.join(", ", expected)) + ".");
        } else {
            j.set(FAIL, DNS_INTERNAL_RECORD_MISSING, "From " + from(j) + " the internal DNS answers " + says + " for "
                    + name + resolver + ": the internal record is missing. Add " + name + " -> "
                    + (expected.isEmpty() ? "the stack's internal address" : String.join(", ", expected)) + ".");
        }
    }

    /**
     * Whether every answer is one of the site's addresses. Compared as addresses, not as text: resolvers
     * write IPv6 addresses long ({@code 2001:db8:0:0:0:0:0:10}) where a site file writes them short.
     */
    static boolean allListed(List<String> siteAddresses, List<String> answers) {
        return answers.stream().allMatch(a -> listed(siteAddresses, a));
    }

    private static boolean listed(List<String> siteAddresses, String answer) {
        IpAddress ip = IpAddress.tryParse(answer).orElse(null);
        return siteAddresses.stream().anyMatch(s -> s.equals(answer)
                || (ip != null && IpAddress.tryParse(s).map(ip::equals).orElse(false)));
    }

    private static boolean isPrivateUse(String answer) {
        return IpAddress.tryParse(answer).map(IpAddress::isPrivateUse).orElse(false);
    }

}
