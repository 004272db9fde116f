package dev.vantage.change;

import dev.vantage.site.Address;

import java.util.List;

/** The devices of a site as a change request names them: what they are, with their addresses, and who owns them. */
final class Devices {
    private static final String STACK = "acd-stack";
    private static final String NETWORK_TEAM = "the customer's network team";

    private final SiteAddresses site;

    Devices(SiteAddresses site) {
        this.site = site;
    }

    Device perimeter() {
        List<String> publics = site.site().roles().values().stream().flatMap(r -> r.public_().stream())
                .map(Address::text).distinct().toList();
        return new Device(DeviceKind.PERIMETER_FIREWALL, null, "Perimeter firewall / NAT"
                + (publics.isEmpty() ? "" : " (owns " + String.join(", ", publics) + ")"), NETWORK_TEAM);
    }

    Device hostFirewall(String role) {
        return new Device(DeviceKind.HOST_FIREWALL, role, (STACK.equals(role) ? "The stack VM's own firewall"
                : "The own firewall of the " + role + " host") + at(role),
                STACK.equals(role) ? "whoever administers the stack VM (its local firewall is set up at installation)"
                        : "the administrator of " + role);
    }

    Device internalFirewall(String vantage) {
        return new Device(DeviceKind.INTERNAL_FIREWALL, vantage, "The firewall between the network of " + vantage
                + at(vantage) + " and the servers", NETWORK_TEAM);
    }

    Device egress(String vantage) {
        return new Device(DeviceKind.EGRESS, vantage, "The way out of the network of " + vantage + at(vantage)
                + ": outbound firewall rules, proxy, TLS inspection", "the customer's network and security team");
    }

    Device dns(boolean external) {
        String fqdn = site.site().fqdn();
        return external
                ? new Device(DeviceKind.DNS_EXTERNAL, null, "Public DNS (the zone of " + fqdn + ")",
                "whoever hosts the public zone of " + fqdn)
                : new Device(DeviceKind.DNS_INTERNAL, null, "Internal DNS (the view the customer network resolves)",
                "the customer's DNS team");
    }

    Device service(String role) {
        return new Device(DeviceKind.SERVICE, role, "The services on " + role + at(role),
                STACK.equals(role) ? "the stack's operator (jtel)" : "the administrator of " + role);
    }

    Device network(String vantage, String role) {
        return new Device(DeviceKind.NETWORK, vantage, "The network path between " + vantage + at(vantage) + " and "
                + role, NETWORK_TEAM);
    }

    /** {@code " (10.20.0.10)"}, empty when the site gives the role no address. */
    private String at(String role) {
        List<String> addresses = site.addresses(role);
        return addresses.isEmpty() ? "" : " (" + String.join(", ", addresses) + ")";
    }
}
