package dev.vantage.catalog;

import java.util.List;

/**
 * A named endpoint of the catalog: where traffic comes from or goes to, and where an agent can stand.
 *
 * @param id    stable name, e.g. {@code acd-stack}, {@code trunk}, {@code acd-lb}
 * @param title what it is, in the document's words
 * @param zone  default side of the perimeter; a site may override it
 * @param refs  document rows naming it (the glossary)
 */
public record Role(String id, String title, Zone zone, List<Ref> refs) {
    public Role {
        refs = List.copyOf(refs);
    }
}
