package dev.vantage.agent.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vantage.catalog.Catalog;
import dev.vantage.catalog.CatalogException;
import dev.vantage.catalog.Catalogs;
import dev.vantage.catalog.ProbeSpec;
import dev.vantage.catalog.Ref;
import dev.vantage.catalog.Requirement;
import dev.vantage.wire.Wire;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.concurrent.Callable;

/** {@code catalog}: lists the requirements of a bundled catalog. */
@Command(name = "catalog",
        mixinStandardHelpOptions = true,
        description = {
                "Lists the requirements of a bundled catalog: id, protocol, ports, source roles, destination, "
                        + "expectation, severity and when it applies.",
                "The catalogs are derived from docs/requirements/network-requirements.txt; the format is described "
                        + "in docs/catalog-format.md."},
        footerHeading = "%nExamples:%n",
        footer = {
                "  vantage-agent catalog",
                "  vantage-agent catalog --catalog jtel-acd-legacy --format json"},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:listed", "2:unknown catalog or bad option"})
public class CatalogCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--catalog", paramLabel = "NAME", defaultValue = "jtel-container-stack",
            description = "Catalog to list: jtel-container-stack (default) or jtel-acd-legacy.")
    String catalogName;

    @Mixin
    FormatOption format;

    @Override
    public Integer call() throws JsonProcessingException {
        PrintWriter out = spec.commandLine().getOut();
        Catalog catalog;
        try {
            catalog = Catalogs.bundled(catalogName);
        } catch (CatalogException e) {
            PrintWriter err = spec.commandLine().getErr();
            err.println("--catalog " + catalogName + ": " + e.problem());
            err.flush();
            return 2;
        }
        if (format.json()) {
            ArrayNode array = Wire.mapper().createArrayNode();
            catalog.requirements().forEach(r -> array.add(json(r)));
            out.println(Wire.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(array));
        } else {
            out.println(catalog.title() + " (" + catalog.name() + "): " + catalog.requirements().size() + " requirements");
            out.println();
            TextTable table = new TextTable("ID", "PROTO", "PORTS", "SOURCES", "DESTINATION", "EXPECT", "SEVERITY", "WHEN");
            for (Requirement r : catalog.requirements()) {
                table.row(r.id(), r.protocol().wireName(), r.portsText().isEmpty() ? "-" : r.portsText(),
                        String.join(",", r.sources()), shortDestination(r), r.expect().wireName(),
                        r.severity().wireName(), r.when().describe());
            }
            table.print(out);
        }
        out.flush();
        return 0;
    }

    /** Long host lists are cut in the table; the JSON has them all. */
    private static String shortDestination(Requirement r) {
        java.util.List<String> hosts = r.destination().hosts();
        if (hosts.size() <= 2) {
            return r.destination().describe();
        }
        return hosts.get(0) + ", " + hosts.get(1) + " +" + (hosts.size() - 2) + " more";
    }

    static ObjectNode json(Requirement r) {
        ObjectNode o = Wire.mapper().createObjectNode();
        o.put("id", r.id());
        o.put("title", r.title());
        o.put("direction", r.direction().wireName());
        o.put("protocol", r.protocol().wireName());
        o.put("ports", r.portsText());
        ArrayNode sources = o.putArray("sources");
        r.sources().forEach(sources::add);
        o.put("destination", r.destination().describe());
        if (r.destination().isHosts()) {
            ArrayNode hosts = o.putArray("hosts");
            r.destination().hosts().forEach(hosts::add);
            o.put("hostMatch", r.destination().match().wireName());
        }
        o.put("expect", r.expect().wireName());
        ArrayNode probes = o.putArray("probes");
        for (ProbeSpec p : r.probes()) {
            probes.add(p.kind().wireName() + (p.mode() == null ? "" : " (" + p.mode().wireName() + ")"));
        }
        o.put("severity", r.severity().wireName());
        ObjectNode when = o.putObject("when");
        ArrayNode modules = when.putArray("modules");
        r.when().modules().forEach(modules::add);
        if (r.when().topology() != null) {
            when.put("topology", r.when().topology().wireName());
        }
        ArrayNode refs = o.putArray("refs");
        for (Ref ref : r.refs()) {
            refs.addObject().put("table", ref.table()).put("row", ref.row());
        }
        if (r.note() != null) {
            o.put("note", r.note());
        }
        return o;
    }
}
