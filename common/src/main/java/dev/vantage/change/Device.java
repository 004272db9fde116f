package dev.vantage.change;

/**
 * A device or service that must change, and who owns it.
 *
 * @param kind  what it is
 * @param role  the role it belongs to: the host of a host firewall or service, the vantage whose egress, internal
 *              firewall or network path it is; null for the perimeter and the DNS views
 * @param name  how a person recognises it, with its address where known
 * @param owner who usually makes the change (the customer's network team, DNS team, the stack's operator, ...)
 */
public record Device(DeviceKind kind, String role, String name, String owner) {
}
