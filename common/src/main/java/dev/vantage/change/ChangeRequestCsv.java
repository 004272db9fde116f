package dev.vantage.change;

import dev.vantage.wire.PortRange;

import java.util.List;
import java.util.stream.Collectors;

/**
 * A change request as CSV (RFC 4180, CRLF): one row per change and one per question to verify ({@code section}
 * {@code change} or {@code to-verify}), for a spreadsheet or a ticket system's import. Ports are written as in the
 * JSON ({@code 32000-34999}), lists separated by spaces.
 */
public final class ChangeRequestCsv {
    static final String HEADER = "section,id,device_kind,device,owner,kind,requirements,line,protocol,sources,"
            + "refused_sources,public_address,public_ports,internal_address,internal_ports,destination_hosts,"
            + "destination_ports,dns_name,dns_view,dns_type,dns_wanted,dns_now,codes,vantages,reached_from,result_ids,"
            + "nftables";

    private ChangeRequestCsv() {
    }

    public static String render(ChangeRequest request) {
        StringBuilder out = new StringBuilder(HEADER).append("\r\n");
        for (DeviceChanges dc : request.devices()) {
            Device d = dc.device();
            for (Change c : dc.changes()) {
                Flow f = c.flow();
                DnsRecord r = c.dns();
                row(out, "change", c.id(), d.kind().name(), d.name(), d.owner(), c.kind().name(),
                        String.join(" ", c.requirements()), c.line(),
                        f == null ? null : f.protocol(), f == null ? null : sources(f.sources()),
                        f == null ? null : String.join(" ", f.refusedSources()),
                        f == null ? null : f.publicAddress(), f == null ? null : ports(f.publicPorts()),
                        f == null ? null : f.internalAddress(), f == null ? null : ports(f.internalPorts()),
                        f == null ? null : String.join(" ", f.destinationHosts()),
                        f == null ? null : ports(f.destinationPorts()),
                        r == null ? null : r.name(), r == null ? null : r.view(), r == null ? null : r.type(),
                        r == null ? null : String.join(" ", r.wanted()), r == null ? null : String.join(" ", r.now()),
                        c.evidence().codes().stream().map(Enum::name).collect(Collectors.joining(" ")),
                        String.join(" ", c.evidence().vantages()), String.join(" ", c.evidence().reachedFrom()),
                        String.join(" ", c.evidence().resultIds()), c.snippets().get("nftables"));
            }
        }
        for (ToVerify v : request.toVerify()) {
            row(out, "to-verify", null, null, null, null, v.code() == null ? null : v.code().name(), v.requirementId(),
                    v.decide(), null, null, null, null, null, null, null, null, null, null, null, null, null, null,
                    v.code() == null ? null : v.code().name(), String.join(" ", v.vantages()), null,
                    String.join(" ", v.resultIds()), null);
        }
        return out.toString();
    }

    private static void row(StringBuilder out, String... fields) {
        for (int i = 0; i < fields.length; i++) {
            out.append(i == 0 ? "" : ",").append(field(fields[i]));
        }
        out.append("\r\n");
    }

    /** {@code any}, or the roles and addresses. */
    static String sources(Sources s) {
        if (s.any()) {
            return "any";
        }
        return String.join(" ", s.addresses().isEmpty() ? s.roles() : s.addresses());
    }

    private static String ports(List<PortRange> ports) {
        return ports.stream().map(PortRange::toString).collect(Collectors.joining(" "));
    }

    /**
     * One CSV field: RFC 4180 quoting, and a leading formula character neutralised so that a spreadsheet does not
     * execute it (the texts quote what agents and site files said).
     */
    public static String field(String s) {
        if (s == null) {
            return "";
        }
        String v = !s.isEmpty() && "=+-@".indexOf(s.charAt(0)) >= 0 ? "'" + s : s;
        return v.contains(",") || v.contains("\"") || v.contains("\n") || v.contains("\r")
                ? "\"" + v.replace("\"", "\"\"") + "\"" : v;
    }
}
