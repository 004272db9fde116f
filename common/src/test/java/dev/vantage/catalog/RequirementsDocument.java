package dev.vantage.catalog;

import dev.vantage.wire.PortRange;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The project's copy of the requirements document, read the way a person reads it: its lines and its
 * table rows, including the rows the page export left without a leading {@code |}.
 */
final class RequirementsDocument {
    static final Path PATH = Path.of("..", "docs", "requirements", "network-requirements.txt");

    /**
     * One table row.
     *
     * @param table  "the title line above it" is not reliable in this export, so: the header cells
     * @param legacy whether it comes after the "Legacy" heading (the multi-VM installations)
     * @param text   cells joined by {@code " | "}, whitespace collapsed
     */
    record Row(int line, List<String> header, List<String> cells, boolean legacy, String text) {
        String cell(String headerPrefix) {
            int idx = -1;
            for (int i = 0; i < header.size(); i++) {
                if (header.get(i).startsWith(headerPrefix)) {
                    idx = i; // the last matching column: legacy tables have a source "Port" before the destination one
                }
            }
            return idx < 0 || idx >= cells.size() ? null : cells.get(idx);
        }

        Set<Protocol> protocols() {
            String p = cell("Protocol");
            Set<Protocol> out = new LinkedHashSet<>();
            if (p == null) {
                return out;
            }
            String u = p.toUpperCase(Locale.ROOT);
            if (u.contains("TCP") || u.contains("HTTP") || u.contains("SSH")) {
                out.add(Protocol.TCP);
            }
            if (u.contains("UDP")) {
                out.add(Protocol.UDP);
            }
            return out;
        }

        List<PortRange> ports() {
            String p = cell("Port");
            if (p == null) {
                return List.of();
            }
            return Arrays.stream(p.split(",")).map(PortRange::parse).toList();
        }

        /** External host names of an outbound row, empty for role destinations. */
        List<String> hosts() {
            String d = cell("Destination");
            if (d == null || !d.contains(".")) {
                return List.of();
            }
            return Arrays.stream(d.split(",| or ")).map(String::strip).filter(s -> !s.isEmpty()).toList();
        }

        /** The destination role: the inbound tables are all "to the VM". */
        String destinationRole() {
            String d = cell("Destination");
            if (d == null) {
                return "acd-stack";
            }
            if (d.contains(".")) {
                return null;
            }
            return d.equalsIgnoreCase("All Windows") ? "windows" : d.toLowerCase(Locale.ROOT);
        }
    }

    final List<String> lines;
    final List<Row> rows;
    final String normalizedText;

    private RequirementsDocument(List<String> lines) {
        this.lines = lines;
        this.rows = parseRows(lines);
        this.normalizedText = collapse(String.join(" ", lines));
    }

    static RequirementsDocument read() throws IOException {
        return new RequirementsDocument(Files.readAllLines(PATH));
    }

    static String collapse(String s) {
        return s.strip().replaceAll("\\s+", " ");
    }

    private static List<Row> parseRows(List<String> lines) {
        List<Row> rows = new ArrayList<>();
        List<String> header = null;
        boolean legacy = false;
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.equals("Legacy")) {
                legacy = true;
            }
            if (!line.contains("|")) {
                header = null;
                continue;
            }
            if (line.matches("\\|?(\\s*-{3,}\\s*\\|)+\\s*-*\\s*\\|?")) {
                continue; // separator under a header
            }
            boolean nextIsSeparator = i + 1 < lines.size() && lines.get(i + 1).strip().matches("\\|?(\\s*-{3,}\\s*\\|)+.*");
            List<String> cells = cells(line);
            if (nextIsSeparator) {
                header = cells;
                continue;
            }
            if (header == null) {
                throw new IllegalStateException("line " + (i + 1) + " looks like a table row outside a table: " + line);
            }
            rows.add(new Row(i + 1, header, cells, legacy, String.join(" | ", cells)));
        }
        return rows;
    }

    private static List<String> cells(String line) {
        String t = line;
        if (t.startsWith("|")) {
            t = t.substring(1);
        }
        if (t.endsWith("|")) {
            t = t.substring(0, t.length() - 1);
        }
        return Arrays.stream(t.split("\\|", -1)).map(RequirementsDocument::collapse).toList();
    }
}
