package dev.vantage.wire;

/**
 * What a probe observed. Target failures are outcomes, never exceptions. The port states follow
 * nmap's; the others belong to the protocol-aware probe kinds.
 */
public enum Outcome {
    // ports
    /** TCP handshake completed, or a UDP answer (responder echo, protocol reply) arrived. */
    OPEN,
    /** TCP RST or ICMP port unreachable: the path is open, nothing listens. */
    CLOSED,
    /** No answer before the timeout. */
    FILTERED,
    /** ICMP host/net unreachable or administratively prohibited. */
    UNREACHABLE,
    /** UDP silence after retries: never claim OPEN without an answer. */
    OPEN_OR_FILTERED,
    /** A range whose ports did not all end in the same state; the evidence names the sub-ranges. */
    MIXED,

    // dns
    RESOLVED, NXDOMAIN, NODATA, SERVFAIL, REFUSED, TIMEOUT, MISMATCH,

    // tls
    TRUSTED, UNTRUSTED, INTERCEPTED,

    // http, ssh, sip: an answer of the expected protocol arrived
    RESPONDED,
    /** An answer arrived but not of the expected protocol or shape (proxy, captive portal, garbage). */
    UNEXPECTED,

    // rtp, nat and other measured checks
    PASSED, DEGRADED,
    /** NAT observed by a responder (evidence says whether the port was preserved). */
    NAT,
    NO_NAT,

    /** The responder window was opened and closed as asked. */
    LISTENED,

    /** The agent refused the task (unsigned, expired, replayed, out of scope); the evidence says why. */
    TASK_REFUSED,
    /** The probe could not run on this agent (no permission, bad local setup); not a network verdict. */
    ERROR
}
