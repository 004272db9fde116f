package dev.vantage.analysis;

/**
 * Stable diagnosis codes. The names are part of the API (reports, REST, scenario expectations):
 * never rename one; add new ones instead. {@code docs/diagnosis-codes.md} explains each with the
 * evidence that leads to it and what to do.
 *
 * <p>Terms used below: a vantage <em>reached</em> a port when something came back from the far side
 * (handshake, a protocol answer, the responder; a reset or ICMP port unreachable from the host); it was
 * <em>silent</em> when nothing came back although something had to answer (TCP SYN unanswered, or a UDP
 * datagram to a responder, SIP stack or RTP reflector unanswered). A reset or ICMP port unreachable is the
 * host's own "nothing listens here" unless the survey shows the host listened on that port (its responder's
 * report, another vantage reaching it there): then something on the path <em>refused</em> in its place, and
 * the check is located like silence. Where a path is blocked ("silent" below) covers such refusals and ICMP
 * rejects too; the text names what answered and how. An <em>inside</em> vantage probes the stack's internal
 * address, an <em>outside</em> one its public address.
 */
public enum DiagnosisCode {
    // --- where a path is blocked --------------------------------------------------------------
    /** Reached from an inside vantage, silent (or refused by the firewall that owns the public address) from an outside one: the perimeter firewall does not forward the port. */
    PERIMETER_FORWARD_MISSING,
    /** Reached from one outside vantage, silent from another: the perimeter rule admits only some sources. */
    PERIMETER_SOURCE_RESTRICTED,
    /** Silent from every vantage that probed it, inside included: the destination host's own firewall drops it, or nothing routes there. */
    STACK_FIREWALL_BLOCKS,
    /** Silent from this inside vantage while other vantages reach the destination: a firewall between this vantage's network and the destination. */
    INTERNAL_PATH_BLOCKED,
    /** Silent from outside and no inside vantage probed the port: perimeter and host firewall cannot be told apart. */
    PATH_FILTERED,
    /** ICMP unreachable / administratively prohibited came back: an explicit reject rule on the path; the text says where, from the other vantages. */
    EXPLICIT_REJECT,
    /** The agent's own host refused to send (EPERM): a local firewall on the vantage, not the path. */
    LOCAL_FIREWALL_BLOCKS,
    /** Post-install, the destination answered with a reset or ICMP port unreachable and no vantage reached the service on that port: the path is open, the service is not listening. */
    SERVICE_NOT_LISTENING,
    /** Pre-install (or after installation, the media option's window), the responder did not listen on the port: its agent said so (ERROR, skipped ports, its window), or a UDP probe stayed silent towards a window that reported open and never sent its closing report (its agent was lost), or a reset came back and no vantage reached the responder there nor did it report receiving anything. The path may be fine, the survey could not prove it. */
    RESPONDER_NOT_RUNNING,
    /** A port range passed only in part; the diagnosis names the exact sub-ranges that fail. */
    RANGE_PARTIAL,
    /** From inside, the public address is silent while outside vantages reach it: the firewall does not hairpin (NAT loopback). */
    HAIRPIN_NAT_MISSING,
    /**
     * A UDP probe towards a responder stayed unanswered, but the responder's closing report shows the probe's
     * datagrams arriving: the way in works, the answers do not come back (asymmetric routing, or the return
     * traffic is dropped).
     */
    RETURN_PATH_BLOCKED,
    /** UDP without anything obliged to answer stayed silent: open and filtered cannot be told apart, so nothing is proven. */
    UDP_NO_ANSWER,
    /** The TCP connection was accepted but the expected protocol answer never came (a holding proxy, a DPI firewall, a hung service). */
    SILENT_AFTER_CONNECT,
    /** Something answered, but not the expected protocol or shape (first bytes shown). */
    WRONG_PROTOCOL_ANSWER,
    /** Pre-install: from outside something other than the responder answers, while from inside the stack's responder does: the address or forward leads to another host. */
    WRONG_DESTINATION,
    /** Pre-install: something other than the responder answered; a note when the stack itself answers the same from inside, INCONCLUSIVE when that cannot be told. */
    UNIDENTIFIED_ANSWER,

    // --- outbound ----------------------------------------------------------------------------
    /** An outbound destination did not answer or was refused from the vantage: the customer's firewall blocks it. */
    OUTBOUND_BLOCKED,
    /** Proxy signs in an HTTP answer (407, Via, X-Cache, a redirect to a host that is not the site's own): a transparent proxy or captive portal on the path. */
    TRANSPARENT_PROXY,
    /** A public destination presented a chain that leads to no public root, or a different chain than other vantages saw: TLS inspection at that vantage's egress (the issuer is named). */
    TLS_INSPECTION,
    /** A public destination presented a publicly rooted chain with a problem (expired, wrong name). */
    TLS_UNTRUSTED,
    /** The TCP connection worked but the TLS handshake failed. */
    TLS_HANDSHAKE_FAILED,

    // --- dns ---------------------------------------------------------------------------------
    /** The external view answers NXDOMAIN/NODATA for the FQDN: the public record is missing. */
    DNS_PUBLIC_RECORD_MISSING,
    /** The external view answers with other addresses than the site's public ones. */
    DNS_PUBLIC_RECORD_WRONG,
    /** The internal view answers NXDOMAIN/NODATA for the FQDN. */
    DNS_INTERNAL_RECORD_MISSING,
    /** The internal view answers with other addresses than the stack's internal one: split-horizon DNS is misconfigured. */
    DNS_SPLIT_HORIZON_WRONG,
    /** A required subdomain (vscode.&lt;FQDN&gt;) has no record while its module is on. */
    DNS_SUBDOMAIN_MISSING,
    /** The vantage's resolver failed (SERVFAIL, REFUSED, timeout, unusable answers). */
    DNS_RESOLUTION_FAILED,

    // --- telephony ---------------------------------------------------------------------------
    /** The SIP request as the far side received it differs from what was sent: a SIP ALG rewrote it (the diff is shown). */
    SIP_ALG,
    /** The reflected RTP stream is below the thresholds; measured loss, jitter and MOS are named. */
    RTP_QUALITY,

    // --- security ----------------------------------------------------------------------------
    /** A must-be-blocked port answered from an outside vantage: exposed to the internet. Always FAIL, severity critical. */
    EXPOSED_TO_INTERNET,
    /** A must-be-blocked port answered from an inside vantage. */
    UNEXPECTEDLY_REACHABLE,

    // --- notes on a PASS ---------------------------------------------------------------------
    /** Outbound NAT was seen and recorded (allowed, not judged). */
    NAT_OBSERVED,
    /** The destination saw an outside vantage's traffic coming from a private address: the perimeter masquerades inbound traffic. */
    INBOUND_SOURCE_NAT,
    /** A destination of ours answered TLS with a certificate that is not publicly trusted; reachability is proven, the certificate needs attention. */
    CERTIFICATE_NOT_TRUSTED,

    // --- the survey itself -------------------------------------------------------------------
    /** A planned task has no result: the agent (named) did not answer in time. */
    NO_RESULT,
    /** The probe could not run on the agent (permission, local setup); not a network finding. */
    PROBE_ERROR,
    /** The agent refused the task (signature, expiry, replay, scope). */
    TASK_REFUSED,
    /** Results contradict each other or their own evidence. */
    EVIDENCE_CONFLICT,
    /** A result's outcome does not belong to its probe kind. */
    RESULT_NOT_UNDERSTOOD,
    /** No vantage plays a source role of the requirement (the role is named). */
    NO_VANTAGE,
    /** The requirement is planned at the site but none of its tasks were part of this survey's plans. */
    NOT_SURVEYED,
    /** The site lacks what the probe needs (an address, an override) or the catalog has no probe for the mode. */
    UNTESTABLE_AT_SITE,
    /** A module or the topology makes the requirement irrelevant for the site. */
    NOT_APPLICABLE
}
