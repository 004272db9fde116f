package dev.vantage.catalog;

import dev.vantage.wire.PortRange;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** Which rows of the requirements document a catalog leaves uncovered. */
final class DocumentCoverage {
    private DocumentCoverage() {
    }

    /**
     * Rows of the document that no requirement (or, for the glossary, no role) covers, one line each.
     * A port row is covered per protocol and port: a requirement must cite the row (its ref is a prefix
     * of the row text) and have that protocol, cover that port and go to that destination.
     */
    static List<String> uncoveredRows(RequirementsDocument doc, List<RequirementsDocument.Row> rows, Catalog catalog) {
        List<String> missing = new ArrayList<>();
        for (RequirementsDocument.Row row : rows) {
            List<Requirement> citing = catalog.requirements().stream()
                    .filter(r -> r.refs().stream().anyMatch(ref -> row.text().startsWith(ref.row())))
                    .toList();
            if (row.ports().isEmpty()) {
                boolean cited = !citing.isEmpty() || catalog.roles().values().stream()
                        .flatMap(role -> role.refs().stream()).anyMatch(ref -> row.text().startsWith(ref.row()));
                if (!cited) {
                    missing.add("line " + row.line() + ": " + row.text());
                }
                continue;
            }
            for (Protocol protocol : row.protocols()) {
                for (PortRange port : row.ports()) {
                    boolean covered = citing.stream().anyMatch(r -> r.protocol() == protocol
                            && r.ports().stream().anyMatch(p -> p.contains(port))
                            && goesTo(r.destination(), row));
                    if (!covered) {
                        missing.add("line " + row.line() + " (" + protocol.wireName() + " " + port + "): " + row.text());
                    }
                }
            }
        }
        return missing;
    }

    private static boolean goesTo(Destination d, RequirementsDocument.Row row) {
        if (!row.hosts().isEmpty()) {
            return d.hosts().containsAll(row.hosts());
        }
        return row.destinationRole().equals(d.role());
    }

    /** Refs whose table title is not a line of the document or whose row text is not in it. */
    static List<String> danglingRefs(RequirementsDocument doc, Catalog catalog) {
        Stream<Ref> refs = Stream.concat(catalog.requirements().stream().flatMap(r -> r.refs().stream()),
                catalog.roles().values().stream().flatMap(r -> r.refs().stream()));
        List<String> dangling = new ArrayList<>();
        refs.forEach(ref -> {
            boolean tableIsALine = doc.lines.stream().anyMatch(l -> l.strip().equals(ref.table()));
            boolean rowIsThere = doc.rows.stream().anyMatch(r -> r.text().startsWith(ref.row()))
                    || doc.normalizedText.contains(ref.row());
            if (!tableIsALine || !rowIsThere) {
                dangling.add(catalog.name() + ": " + ref);
            }
        });
        return dangling;
    }
}
