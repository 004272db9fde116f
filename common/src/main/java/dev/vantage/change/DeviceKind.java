package dev.vantage.change;

/**
 * The device or service that must change. The names are part of the API (JSON, CSV, the lab's {@code change apply},
 * scenario expectations): never rename one.
 */
public enum DeviceKind {
    /** The customer's perimeter firewall / NAT: port forwards, source rules, hairpin NAT, exposures, its SIP ALG. */
    PERIMETER_FIREWALL,
    /** The own firewall of a host of the site (for {@code acd-stack}: the stack VM's local firewall). */
    HOST_FIREWALL,
    /** A firewall between two networks of the customer (e.g. the LAN and the server segment). */
    INTERNAL_FIREWALL,
    /** The way out of a vantage's network: the outbound firewall rules, a proxy, TLS inspection. */
    EGRESS,
    /** The DNS view inside the customer network (split horizon: what the LAN and the stack resolve). */
    DNS_INTERNAL,
    /** The public DNS: the zone of the site's FQDN as the internet resolves it. */
    DNS_EXTERNAL,
    /** A service on a host of the site (after installation): not listening, or not answering as it must. */
    SERVICE,
    /** The network path between a vantage and a destination: routing back, media quality. */
    NETWORK
}
