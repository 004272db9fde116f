package dev.vantage.change;

import java.util.List;

/**
 * A DNS record to add or correct.
 *
 * @param name   the name, e.g. {@code jtelacd.example.com} or {@code vscode.jtelacd.example.com}
 * @param view   {@code internal} (the customer's resolvers) or {@code external} (the public zone)
 * @param type   {@code A}, {@code AAAA}, or {@code A/AAAA} when the wanted addresses are of both families
 * @param wanted the addresses the record must give (the site file's {@code dns.internal} or {@code dns.external})
 * @param now    what the view answers now; empty when it has no record (NXDOMAIN, no data)
 * @param answer how the view answered now: {@code MISMATCH}, {@code NXDOMAIN}, {@code NODATA}
 */
public record DnsRecord(String name, String view, String type, List<String> wanted, List<String> now, String answer) {
    public DnsRecord {
        wanted = List.copyOf(wanted);
        now = List.copyOf(now);
    }
}
