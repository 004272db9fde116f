package dev.vantage.coordinator.console;

import dev.vantage.catalog.Catalog;
import dev.vantage.catalog.Expectation;
import dev.vantage.catalog.Requirement;
import dev.vantage.coordinator.registry.AgentResource;
import dev.vantage.coordinator.status.StatusQueries;
import dev.vantage.coordinator.survey.VerdictRow;
import dev.vantage.site.Site;
import dev.vantage.site.Vantage;
import dev.vantage.wire.PortRange;
import dev.vantage.wire.RangeEvidence;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;

/**
 * The site page's matrix: requirements (rows, grouped as the requirements document is) × vantages (columns, with
 * the agents that play them), built from the same latest status the REST matrix serves, the latest completed
 * survey's verdicts and the site's agents. Pure: it reads nothing itself, so the benchmark can time it alone.
 */
public record MatrixView(List<Column> columns, List<Group> groups, int rows, int shown) {

    /** Columns a group header spans: the requirement column and one per vantage. */
    public int span() {
        return columns.size() + 1;
    }

    /** A vantage role with the agents that play it. */
    public record Column(String role, List<AgentState> agents) {
    }

    /** An agent as its column header shows it. */
    public record AgentState(String id, String css, String state, String version, String title) {
    }

    /** A section of the requirements document: DNS, inbound, outbound, proxy, NAT, ... */
    public record Group(String name, List<Row> rows) {
    }

    /** One requirement with its latest verdict and one cell per column. */
    public record Row(String id, String title, String ports, String direction, String expect, String severity,
                      String verdict, String icon, String css, String code, String diagnosis, String history,
                      String evidence, List<Cell> cells) {
    }

    /**
     * One requirement × vantage: the verdict of its latest results (a class for the icon and the colour, and the word),
     * the short reason (diagnosis code or outcome), how many of its probes fail, the age of the evidence, where to
     * look. An empty word: the vantage is no source of the requirement.
     */
    public record Cell(String css, String word, String reason, String count, String age, String href, Cells.Strip strip) {
    }

    /** The filters of the page: failing only, one severity, free text (all optional). */
    public record Filter(boolean failingOnly, String severity, String text) {
        public Filter {
            severity = severity == null || severity.isBlank() ? null : severity.strip().toLowerCase(Locale.ROOT);
            text = text == null || text.isBlank() ? null : text.strip().toLowerCase(Locale.ROOT);
        }

        public static final Filter NONE = new Filter(false, null, null);
    }

    private static final Map<String, String> GROUPS = Map.of("dns", "DNS", "inbound", "Inbound", "outbound", "Outbound",
            "proxy", "Proxy", "nat", "NAT", "legacy", "Multi-VM installation (intra-cluster)");
    private static final Set<String> BAD = Set.of("FAIL", "PARTIAL", "INCONCLUSIVE");

    /**
     * Builds the matrix.
     *
     * @param cells    the site's latest status, as {@link StatusQueries#latest} returns it
     * @param agents   the site's agents
     * @param verdicts the newest verdict of each requirement: of the last completed survey of all, or of a survey of
     *                 chosen requirements completed since (empty before the first)
     * @param ranges   the evidence of the swept ranges among the cells, by result id
     */
    public static MatrixView build(String siteId, Catalog catalog, Site site, List<StatusQueries.Cell> cells,
                                   List<AgentResource.AgentView> agents, List<VerdictRow> verdicts,
                                   Map<UUID, RangeEvidence> ranges, Filter filter, Instant now) {
        Map<String, Map<String, List<StatusQueries.Cell>>> byRequirement = new HashMap<>();
        Set<String> seenRoles = new TreeSet<>();
        for (StatusQueries.Cell c : cells) {
            byRequirement.computeIfAbsent(c.requirementId(), k -> new HashMap<>())
                    .computeIfAbsent(c.vantage(), k -> new ArrayList<>()).add(c);
            seenRoles.add(c.vantage());
        }
        List<Column> columns = columns(catalog, site, agents, seenRoles, now);
        Map<String, VerdictRow> verdictOf = new HashMap<>();
        verdicts.forEach(v -> verdictOf.put(v.requirementId(), v));

        Map<String, List<Row>> grouped = new LinkedHashMap<>();
        int total = 0;
        int shown = 0;
        Set<String> inCatalog = new LinkedHashSet<>();
        List<Requirement> requirements = new ArrayList<>(catalog.requirements());
        requirements.forEach(r -> inCatalog.add(r.id()));
        for (Requirement r : requirements) {
            total++;
            Row row = row(siteId, r.id(), r, columns, byRequirement.getOrDefault(r.id(), Map.of()),
                    verdictOf.get(r.id()), ranges, now);
            if (keep(row, filter)) {
                shown++;
                grouped.computeIfAbsent(group(r.id()), k -> new ArrayList<>()).add(row);
            }
        }
        // results of requirements the catalog no longer has (a catalog update): shown, not lost
        for (String id : new TreeSet<>(byRequirement.keySet())) {
            if (!inCatalog.contains(id)) {
                total++;
                Row row = row(siteId, id, null, columns, byRequirement.get(id), verdictOf.get(id), ranges, now);
                if (keep(row, filter)) {
                    shown++;
                    grouped.computeIfAbsent("Not in the catalog", k -> new ArrayList<>()).add(row);
                }
            }
        }
        List<Group> groups = new ArrayList<>();
        grouped.forEach((name, rows) -> groups.add(new Group(name, rows)));
        return new MatrixView(columns, groups, total, shown);
    }

    private static String group(String requirementId) {
        int dot = requirementId.indexOf('.');
        String prefix = dot < 0 ? requirementId : requirementId.substring(0, dot);
        return GROUPS.getOrDefault(prefix, prefix);
    }

    private static List<Column> columns(Catalog catalog, Site site, List<AgentResource.AgentView> agents,
                                        Set<String> seenRoles, Instant now) {
        Set<String> roles = new LinkedHashSet<>();
        Set<String> used = new LinkedHashSet<>();
        site.vantages().forEach(v -> used.addAll(v.roles()));
        agents.forEach(a -> used.addAll(a.vantageRoles()));
        used.addAll(seenRoles);
        catalog.roles().keySet().stream().filter(used::contains).forEach(roles::add);
        used.stream().sorted().forEach(roles::add);
        Map<String, AgentResource.AgentView> byId = new HashMap<>();
        agents.forEach(a -> byId.put(a.id(), a));
        List<Column> out = new ArrayList<>();
        for (String role : roles) {
            List<AgentState> states = new ArrayList<>();
            Set<String> listed = new LinkedHashSet<>();
            for (Vantage v : site.vantages()) {
                if (v.roles().contains(role)) {
                    listed.add(v.agent());
                }
            }
            agents.stream().filter(a -> a.vantageRoles().contains(role)).forEach(a -> listed.add(a.id()));
            for (String id : listed) {
                AgentResource.AgentView a = byId.get(id);
                if (a == null) {
                    states.add(new AgentState(id, "agent-none", "no heartbeat yet", "", "listed in the site file; "
                            + "it has not announced itself"));
                } else if (a.enrolment() != dev.vantage.coordinator.registry.Enrolment.State.APPROVED) {
                    states.add(new AgentState(id, "agent-off", a.enrolment().name().toLowerCase(Locale.ROOT),
                            a.version(), "gets no tasks: " + a.enrolment().name().toLowerCase(Locale.ROOT)));
                } else if (a.online()) {
                    states.add(new AgentState(id, "agent-on", "online", a.version(), "online since at least "
                            + a.firstSeenAt() + "; last heartbeat " + Cells.age(a.lastSeenAt(), now) + " ago"));
                } else {
                    states.add(new AgentState(id, "agent-off", "offline " + Cells.age(a.lastSeenAt(), now), a.version(),
                            "offline since " + a.lastSeenAt()));
                }
            }
            out.add(new Column(role, states));
        }
        return out;
    }

    private static Row row(String siteId, String id, Requirement r, List<Column> columns,
                           Map<String, List<StatusQueries.Cell>> byRole, VerdictRow verdict,
                           Map<UUID, RangeEvidence> ranges, Instant now) {
        String history = "/console/sites/" + siteId + "/history?requirement=" + id;
        String v = verdict == null ? null : verdict.verdict().name();
        List<Cell> cells = new ArrayList<>(columns.size());
        for (Column col : columns) {
            cells.add(cell(r, col, byRole.get(col.role()), v, ranges, now));
        }
        String evidence = null;
        for (List<StatusQueries.Cell> list : byRole.values()) {
            evidence = "/console/surveys/" + list.get(0).surveyId() + "/requirements/" + id;
            break;
        }
        return new Row(id, r == null ? "no longer in the site's catalog" : r.title(),
                r == null ? "" : r.protocol().wireName() + (r.ports().isEmpty() ? "" : " " + r.portsText()),
                r == null ? "" : r.direction().wireName(),
                r == null ? "" : r.expect() == Expectation.BLOCKED ? "must be blocked"
                        : r.expect() == Expectation.REACHABLE ? "must be reachable" : r.expect().wireName(),
                r == null ? "" : r.severity().wireName(),
                v == null ? "no survey" : Cells.word(v), Cells.icon(v), Cells.css(v),
                verdict == null ? "" : verdict.diagnosisCode(), verdict == null ? "" : verdict.diagnosis(), history,
                evidence, cells);
    }

    private static Cell cell(Requirement r, Column col, List<StatusQueries.Cell> probes, String rowVerdict,
                             Map<UUID, RangeEvidence> ranges, Instant now) {
        if (r != null && !r.sources().contains(col.role())) {
            return new Cell("ns", "", "", "", "", null, null);
        }
        if ("NOT_APPLICABLE".equals(rowVerdict)) {
            return new Cell("c-na", "n/a", "module off or other topology", "", "", null, null);
        }
        if (probes == null || probes.isEmpty()) {
            boolean untested = col.agents().isEmpty() || "UNTESTED".equals(rowVerdict);
            return new Cell(untested ? "c-untested" : "c-pending", untested ? "untested" : "no result",
                    untested && col.agents().isEmpty() ? "no agent" : "", "", "", null, null);
        }
        StatusQueries.Cell worst = probes.get(0);
        int failing = 0;
        Instant newest = null;
        for (StatusQueries.Cell p : probes) {
            if (rank(p.verdict()) > rank(worst.verdict())) {
                worst = p;
            }
            if (p.verdict() != null && BAD.contains(p.verdict())) {
                failing++;
            }
            if (newest == null || p.startedAt().isAfter(newest)) {
                newest = p.startedAt();
            }
        }
        String v = worst.verdict();
        String reason = v == null || "PASS".equals(v) || worst.diagnosisCode() == null ? worst.outcome()
                : worst.diagnosisCode();
        String count = probes.size() == 1 ? "" : failing == 0 ? probes.size() + " probes"
                : failing + " of " + probes.size() + " fail";
        Cells.Strip strip = null;
        for (StatusQueries.Cell p : probes) {
            RangeEvidence e = ranges.get(p.resultId());
            PortRange range = rangeOf(p.probe());
            if (e != null && range != null) {
                strip = Cells.strip(range, e, "PASS".equals(p.verdict()),
                        r != null && r.expect() == Expectation.BLOCKED);
                break;
            }
        }
        return new Cell(Cells.css(v), Cells.word(v), reason, count, Cells.age(newest, now),
                "/console/surveys/" + worst.surveyId() + "/requirements/" + worst.requirementId() + "#v-"
                        + worst.vantage(), strip);
    }

    /** The range of a swept probe ({@code tcp-range 3306-3308}), null for other probes. */
    static PortRange rangeOf(String probe) {
        int space = probe.indexOf(' ');
        if (space < 0 || !probe.substring(0, space).endsWith("-range")) {
            return null;
        }
        try {
            return PortRange.parse(probe.substring(space + 1));
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** Worse is higher: a cell shows its worst probe. */
    private static int rank(String verdict) {
        if (verdict == null) {
            return 1;
        }
        return switch (verdict) {
            case "PASS" -> 0;
            case "INCONCLUSIVE" -> 2;
            case "PARTIAL" -> 3;
            case "FAIL" -> 4;
            default -> 1;
        };
    }

    private static boolean keep(Row row, Filter f) {
        if (f.severity() != null && !f.severity().equals(row.severity())) {
            return false;
        }
        if (f.failingOnly() && !BAD.contains(row.verdict().toUpperCase(Locale.ROOT))
                && row.cells().stream().noneMatch(c -> c.css().equals("v-fail") || c.css().equals("v-partial")
                || c.css().equals("v-inconclusive"))) {
            return false;
        }
        if (f.text() != null) {
            String hay = (row.id() + " " + row.title() + " " + row.ports() + " " + row.code() + " " + row.diagnosis())
                    .toLowerCase(Locale.ROOT);
            return hay.contains(f.text()) || row.cells().stream().anyMatch(c -> c.reason().toLowerCase(Locale.ROOT)
                    .contains(f.text()));
        }
        return true;
    }

    /** The result ids of the swept ranges among the cells, whose evidence the strips need. */
    public static List<StatusQueries.Cell> swept(List<StatusQueries.Cell> cells) {
        return cells.stream().filter(c -> rangeOf(c.probe()) != null).toList();
    }
}
