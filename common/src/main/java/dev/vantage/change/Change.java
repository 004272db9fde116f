package dev.vantage.change;

import java.util.List;
import java.util.Map;

/**
 * One change for one device: what to do, on which traffic or record, why, and where a dialect knows the device's
 * language, the configuration that does it.
 *
 * @param id           stable within its change request: the device kind and a number ({@code perimeter-firewall-1})
 * @param kind         what it does
 * @param line         one plain-language line for the ticket
 * @param flow         the traffic it is about; null for DNS changes
 * @param dns          the record it adds or corrects; null for the others
 * @param requirements the requirement ids it makes pass, in catalog order
 * @param evidence     what it rests on
 * @param snippets     configuration per dialect name ({@code nftables}), for the devices and kinds a dialect covers;
 *                     empty for changes made in words
 */
public record Change(String id, ChangeKind kind, String line, Flow flow, DnsRecord dns, List<String> requirements,
                     Evidence evidence, Map<String, String> snippets) {
    public Change {
        requirements = List.copyOf(requirements);
        snippets = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(snippets));
    }
}
