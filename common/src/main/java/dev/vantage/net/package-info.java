/**
 * Addresses as Vantage reads them from text: {@link dev.vantage.net.IpAddress} (IPv4 and IPv6, the
 * accepted spellings stated and enforced once), {@link dev.vantage.net.IpNetwork} (CIDR blocks),
 * {@link dev.vantage.net.AddressClass} (private, unique local, carrier-grade NAT) and
 * {@link dev.vantage.net.Endpoint} ({@code host:port}, {@code [v6]:port}). Site files, the agent's scope
 * policy and the analysis use these types, so they accept and refuse the same spellings. Plain Java:
 * nothing is resolved, no {@code InetAddress} is used.
 */
package dev.vantage.net;
