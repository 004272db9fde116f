package dev.vantage.agent.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vantage.analysis.Analysis;
import dev.vantage.analysis.Diagnosis;
import dev.vantage.analysis.Verdict;
import dev.vantage.analysis.VerdictStatus;
import dev.vantage.change.ChangeRequest;
import dev.vantage.change.ChangeRequestMarkdown;
import dev.vantage.change.ChangeRequests;
import dev.vantage.wire.ProbeResult;
import dev.vantage.wire.Wire;

import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What {@code check} prints: a verdict per requirement this vantage checked, then the change request written from
 * those verdicts (the requirements other vantages must check are left out of both). As a table and Markdown, or as
 * one JSON document with {@code verdicts}, {@code changeRequest} and {@code results}.
 */
final class CheckReport {
    private static final Set<VerdictStatus> NOT_OK = Set.of(VerdictStatus.FAIL, VerdictStatus.PARTIAL,
            VerdictStatus.INCONCLUSIVE);

    private final SiteOptions.Loaded loaded;
    private final Analysis analysis;
    private final List<Verdict> mine;
    private final List<ProbeResult> results;
    private final ChangeRequest changeRequest;

    /** {@code checked}: the requirements this vantage had tasks for. */
    CheckReport(SiteOptions.Loaded loaded, Analysis analysis, Set<String> checked, List<ProbeResult> results) {
        this.loaded = loaded;
        this.analysis = analysis;
        this.mine = analysis.verdicts().stream().filter(v -> checked.contains(v.requirementId())).toList();
        this.results = results;
        Analysis checkedOnly = new Analysis(analysis.siteId(), analysis.catalog(), analysis.mode(), analysis.analyzedAt(),
                mine, analysis.summary(), analysis.regressions(), analysis.ignored());
        this.changeRequest = new ChangeRequests().write(checkedOnly, loaded.site(), loaded.catalog());
    }

    /** Every requirement this vantage checked passed (or is untested, not applicable). */
    boolean passed() {
        return mine.stream().noneMatch(v -> NOT_OK.contains(v.status()));
    }

    ChangeRequest changeRequest() {
        return changeRequest;
    }

    void table(PrintWriter out) {
        out.println("Check of site " + loaded.site().id() + " (" + loaded.site().fqdn() + ") from "
                + String.join(", ", loaded.roles()) + ", " + loaded.mode().wireName() + ": " + mine.size()
                + " requirement(s) checked with " + results.size() + " result(s)");
        out.println();
        TextTable table = new TextTable("VERDICT", "SEVERITY", "REQUIREMENT", "DIAGNOSIS");
        for (Verdict v : mine) {
            Diagnosis d = v.diagnosis();
            table.row(v.status().name(), v.severity().name().toLowerCase(Locale.ROOT), v.requirementId(),
                    d == null ? "" : d.code() + ": " + d.text());
        }
        table.print(out);
        long ok = mine.stream().filter(v -> v.status() == VerdictStatus.PASS).count();
        long bad = mine.stream().filter(v -> NOT_OK.contains(v.status())).count();
        out.println();
        out.println(ok + " passed, " + bad + " not passed, " + (mine.size() - ok - bad) + " other; "
                + (analysis.verdicts().size() - mine.size()) + " requirement(s) of the catalog need other vantages or "
                + "do not apply (see 'plan').");
        if (!analysis.ignored().isEmpty()) {
            out.println(analysis.ignored().size() + " result(s) set aside: "
                    + analysis.ignored().stream().map(i -> i.toString()).limit(3).collect(Collectors.joining("; ")));
        }
        out.println();
        out.print(ChangeRequestMarkdown.render(changeRequest));
    }

    void json(PrintWriter out) throws JsonProcessingException {
        ObjectNode o = Wire.mapper().createObjectNode();
        o.put("site", loaded.site().id());
        o.put("mode", loaded.mode().wireName());
        ArrayNode roles = o.putArray("roles");
        loaded.roles().forEach(roles::add);
        o.put("passed", passed());
        ArrayNode verdicts = o.putArray("verdicts");
        for (Verdict v : mine) {
            ObjectNode n = verdicts.addObject();
            n.put("requirement", v.requirementId());
            n.put("title", v.title());
            n.put("status", v.status().name());
            n.put("severity", v.severity().name().toLowerCase(Locale.ROOT));
            ArrayNode diagnoses = n.putArray("diagnoses");
            for (Diagnosis d : v.diagnoses()) {
                ObjectNode dn = diagnoses.addObject();
                dn.put("code", d.code().name());
                dn.put("text", d.text());
            }
            ArrayNode ids = n.putArray("resultIds");
            v.resultIds().forEach(ids::add);
        }
        o.set("changeRequest", Wire.mapper().valueToTree(changeRequest));
        o.set("results", Wire.mapper().valueToTree(results));
        out.println(Wire.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(o));
    }
}
