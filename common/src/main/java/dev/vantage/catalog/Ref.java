package dev.vantage.catalog;

/**
 * Where in the requirements document a requirement or role comes from, for traceability in reports.
 *
 * @param table the title of the table (or section) in the document
 * @param row   the row as written, cells joined by {@code " | "}, as many leading cells as identify it
 *              (for text that is not a table row: the sentence or bullet)
 */
public record Ref(String table, String row) {
    @Override
    public String toString() {
        return table + ": " + row;
    }
}
