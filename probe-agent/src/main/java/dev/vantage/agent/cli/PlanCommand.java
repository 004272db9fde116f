package dev.vantage.agent.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vantage.catalog.Catalog;
import dev.vantage.catalog.Catalogs;
import dev.vantage.catalog.Mode;
import dev.vantage.plan.Plan;
import dev.vantage.plan.Planner;
import dev.vantage.plan.RequirementPlan;
import dev.vantage.site.Site;
import dev.vantage.site.SiteFileException;
import dev.vantage.site.Sites;
import dev.vantage.wire.ProbeTask;
import dev.vantage.wire.Wire;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;

/** {@code plan}: the tasks one vantage would run at a site, and what stays untested. */
@Command(name = "plan",
        mixinStandardHelpOptions = true,
        description = {
                "Shows the probe tasks an agent playing ROLE would run at a site, and the requirements that stay "
                        + "UNTESTED (no vantage for their source, no address, no responder) or are NOT_APPLICABLE "
                        + "(module or topology off), with the reason. Nothing is probed.",
                "In JSON an UNTESTED requirement also names why as a code, \"untested\": no-source-vantage, "
                        + "no-responder-vantage, no-probe-for-mode or no-target.",
                "The site file format is described in docs/site-format.md."},
        footerHeading = "%nExamples:%n",
        footer = {
                "  vantage-agent plan --site deploy/examples/site-example.yaml --as end-users",
                "  vantage-agent plan --site site.yaml --as acd-stack --mode pre-install",
                "  vantage-agent plan --site site.yaml --as trunk --format json",
                "  vantage-agent plan --site site.yaml --as acd-stack --media-responder"},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:planned", "2:bad site file, unknown role or bad option"})
public class PlanCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    SiteOptions siteOptions;

    @Mixin
    FormatOption format;

    @Override
    public Integer call() throws JsonProcessingException {
        PrintWriter err = spec.commandLine().getErr();
        SiteOptions.Loaded loaded = siteOptions.load(err);
        if (loaded == null) {
            return 2;
        }
        Site site = loaded.site();
        Plan plan = new Planner(Planner.DEFAULT_RESPONDER_WINDOW, loaded.mediaResponder())
                .plan(loaded.catalog(), site, loaded.roles(), loaded.mode());
        PrintWriter out = spec.commandLine().getOut();
        if (format.json()) {
            out.println(Wire.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(json(plan)));
        } else {
            table(plan, site, out);
        }
        out.flush();
        return 0;
    }

    private static ObjectNode json(Plan plan) {
        ObjectNode o = Wire.mapper().createObjectNode();
        o.put("site", plan.siteId());
        o.put("catalog", plan.catalog());
        o.put("mode", plan.mode().wireName());
        ArrayNode roles = o.putArray("roles");
        plan.roles().stream().sorted().forEach(roles::add);
        ArrayNode tasks = o.putArray("tasks");
        for (ProbeTask t : plan.tasks()) {
            ObjectNode task = tasks.addObject();
            task.put("taskId", t.taskId());
            task.put("requirementId", t.requirementId());
            task.put("vantage", t.vantage());
            task.put("kind", t.kind().wireName());
            task.put("target", t.target());
            if (t.ports() == null) {
                task.putNull("ports");
            } else {
                task.put("ports", t.ports().toString());
            }
            ObjectNode params = task.putObject("params");
            t.params().forEach(params::put);
            task.put("timeout", t.timeout().toString());
        }
        ArrayNode requirements = o.putArray("requirements");
        for (RequirementPlan r : plan.requirements()) {
            ObjectNode req = requirements.addObject();
            req.put("id", r.requirementId());
            req.put("status", r.status().name());
            if (r.untested() != null) {
                req.put("untested", r.untested().wireName());
            }
            if (r.reason() != null) {
                req.put("reason", r.reason());
            }
            ArrayNode gaps = req.putArray("gaps");
            r.gaps().forEach(gaps::add);
        }
        return o;
    }

    private static void table(Plan plan, Site site, PrintWriter out) {
        out.println("Plan for site " + site.id() + " (" + site.fqdn() + ", catalog " + plan.catalog() + "), vantage "
                + String.join(", ", new java.util.TreeSet<>(plan.roles())) + ", " + plan.mode().wireName() + ": " + plan.tasks().size() + " tasks");
        out.println();
        if (plan.tasks().isEmpty()) {
            out.println("No tasks: no requirement that applies to this site has " + String.join(" or ", new java.util.TreeSet<>(plan.roles()))
                    + " as a source" + (plan.mode() == Mode.PRE_INSTALL ? " or destination." : "."));
        } else {
            boolean several = plan.roles().size() > 1;
            TextTable table = several
                    ? new TextTable("VANTAGE", "REQUIREMENT", "KIND", "TARGET", "PORTS", "TIMEOUT", "PARAMS")
                    : new TextTable("REQUIREMENT", "KIND", "TARGET", "PORTS", "TIMEOUT", "PARAMS");
            for (ProbeTask t : plan.tasks()) {
                List<String> cells = new java.util.ArrayList<>(List.of(t.requirementId(), t.kind().wireName(), t.target(),
                        t.ports() == null ? "-" : t.ports().toString(),
                        t.timeout().toString().substring(2).toLowerCase(java.util.Locale.ROOT),
                        t.params().entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                                .collect(Collectors.joining(" "))));
                if (several) {
                    cells.add(0, t.vantage());
                }
                table.row(cells.toArray(String[]::new));
            }
            table.print(out);
        }
        section(out, "UNTESTED", plan.withStatus(RequirementPlan.Status.UNTESTED), RequirementPlan::reason);
        List<RequirementPlan> partial = plan.withStatus(RequirementPlan.Status.PLANNED).stream()
                .filter(r -> !r.gaps().isEmpty()).toList();
        section(out, "PARTLY UNTESTED", partial, r -> String.join("; ", r.gaps()));
        section(out, "NOT_APPLICABLE", plan.withStatus(RequirementPlan.Status.NOT_APPLICABLE), RequirementPlan::reason);
    }

    private static void section(PrintWriter out, String title, List<RequirementPlan> items,
                                java.util.function.Function<RequirementPlan, String> why) {
        if (items.isEmpty()) {
            return;
        }
        out.println();
        out.println(title + " (" + items.size() + ")");
        TextTable table = new TextTable("  REQUIREMENT", "WHY");
        items.forEach(r -> table.row("  " + r.requirementId(), why.apply(r)));
        table.print(out);
    }
}
