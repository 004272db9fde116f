package dev.vantage.change;

import dev.vantage.analysis.Analysis;
import dev.vantage.analysis.Check;
import dev.vantage.analysis.Verdict;
import dev.vantage.analysis.VerdictStatus;
import dev.vantage.catalog.Catalog;
import dev.vantage.catalog.Requirement;
import dev.vantage.site.Site;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Writes the change request of a survey from its analysis, the site the survey ran against and the site's catalog.
 *
 * <p>Every failing check becomes a change for the device the analysis located it at (or a question to verify when it
 * could not be located); the same change needed by several checks (vantages, requirements, parts of a range) is
 * written once, with all their requirements and evidence. Inconclusive checks and untested requirements become
 * {@link ToVerify} items. Pure: the same input gives the same change request; it never throws for analysis content.
 */
public final class ChangeRequests {
    private final List<Dialect> dialects;

    /** With the dialects this release knows ({@link Nftables}). */
    public ChangeRequests() {
        this(List.of(new Nftables()));
    }

    public ChangeRequests(List<Dialect> dialects) {
        this.dialects = List.copyOf(dialects);
    }

    /** The change request of the analysed survey. {@code site} is the site version the survey ran against. */
    public ChangeRequest write(Analysis analysis, Site site, Catalog catalog) {
        SiteAddresses addresses = new SiteAddresses(site, catalog);
        ChangeRules rules = new ChangeRules(addresses, catalog, analysis.mode());
        List<Draft> drafts = new ArrayList<>();
        Set<ToVerify> toVerify = new LinkedHashSet<>();
        for (Verdict v : analysis.verdicts()) {
            Requirement r = catalog.requirement(v.requirementId()).orElse(null);
            if (r == null || v.status() == VerdictStatus.NOT_APPLICABLE || v.status() == VerdictStatus.PASS) {
                continue;
            }
            if (v.status() == VerdictStatus.UNTESTED) {
                toVerify.add(rules.verifications().untested(v));
                continue;
            }
            for (Check c : v.checks()) {
                Finding f = new Finding(v, r, c, c.facts(), addresses.zone(c.vantage()),
                        r.destination().isRole() && addresses.isPublic(r.destination().role(), c.target()));
                ChangeRules.Outcome out = rules.judge(f);
                out.drafts().forEach(d -> merge(drafts, d));
                toVerify.addAll(out.toVerify());
            }
        }
        return new ChangeRequest(site.id(), site.fqdn(), catalog.name(), analysis.mode().wireName(), devices(drafts, catalog),
                merged(toVerify));
    }

    /** The same question about one requirement from several vantages is asked once, naming them all. */
    private static List<ToVerify> merged(Set<ToVerify> items) {
        Map<List<Object>, ToVerify> out = new LinkedHashMap<>();
        for (ToVerify v : items) {
            out.merge(java.util.Arrays.asList(v.requirementId(), v.status(), v.code(), v.decide()), v, (a, b) -> new ToVerify(
                    a.requirementId(), a.status(), a.code(), a.finding(), a.decide(), union(a.vantages(), b.vantages()),
                    union(a.resultIds(), b.resultIds())));
        }
        return new ArrayList<>(out.values());
    }

    private static List<String> union(List<String> a, List<String> b) {
        Set<String> all = new LinkedHashSet<>(a);
        all.addAll(b);
        return new ArrayList<>(all);
    }

    private static void merge(List<Draft> drafts, Draft d) {
        for (Draft existing : drafts) {
            if (existing.sameChangeAs(d)) {
                existing.absorb(d);
                return;
            }
        }
        drafts.add(d);
    }

    /** Drafts grouped by device (in {@link DeviceKind} order, then as first met), numbered, lined and rendered. */
    private List<DeviceChanges> devices(List<Draft> drafts, Catalog catalog) {
        Map<String, Integer> order = new LinkedHashMap<>();
        catalog.requirements().forEach(r -> order.put(r.id(), order.size()));
        Map<Device, List<Draft>> byDevice = new LinkedHashMap<>();
        drafts.forEach(d -> byDevice.computeIfAbsent(d.device, k -> new ArrayList<>()).add(d));
        List<Device> devices = new ArrayList<>(byDevice.keySet());
        devices.sort(Comparator.comparing(Device::kind));
        Map<DeviceKind, Integer> numbers = new LinkedHashMap<>();
        List<DeviceChanges> out = new ArrayList<>();
        for (Device device : devices) {
            List<Draft> mine = new ArrayList<>(byDevice.get(device));
            mine.sort(Comparator.comparing((Draft d) -> d.requirements.stream().mapToInt(id -> order.getOrDefault(id,
                    Integer.MAX_VALUE)).min().orElse(Integer.MAX_VALUE)).thenComparing(d -> d.kind));
            List<Change> changes = new ArrayList<>();
            for (Draft d : mine) {
                int n = numbers.merge(device.kind(), 1, Integer::sum);
                String id = device.kind().name().toLowerCase(Locale.ROOT).replace('_', '-') + "-" + n;
                Change bare = d.change(id, ChangeLines.line(d), Map.of());
                changes.add(d.change(id, bare.line(), snippets(device, bare)));
            }
            out.add(new DeviceChanges(device, changes));
        }
        return out;
    }

    private Map<String, String> snippets(Device device, Change change) {
        Map<String, String> out = new LinkedHashMap<>();
        for (Dialect dialect : dialects) {
            dialect.render(device, change).filter(Objects::nonNull).ifPresent(s -> out.put(dialect.name(), s));
        }
        return out;
    }
}
