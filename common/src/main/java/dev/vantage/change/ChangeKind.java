package dev.vantage.change;

/**
 * What a change does, vendor-neutral. The names are part of the API (JSON, CSV, the lab's {@code change apply},
 * scenario expectations): never rename one. {@code docs/change-request.md} gives an example of each.
 */
public enum ChangeKind {
    /** Perimeter: forward a public address's ports to the internal address (also: only the missing sub-range of a range, or the transport that is missing). */
    ADD_PORT_FORWARD,
    /** Perimeter: admit a source a rule refused while it admits others. */
    ADMIT_SOURCE,
    /** Perimeter: loop traffic from inside to the public address back to the internal address (NAT loopback). */
    ENABLE_HAIRPIN_NAT,
    /** Perimeter: close a port that answered from outside, naming who may still reach it. */
    CLOSE_EXPOSURE,
    /** Perimeter (or a device inside): switch the SIP ALG off. In words. */
    DISABLE_SIP_ALG,
    /** Perimeter: the public address or forward leads to another host; point it to the internal address. In words. */
    FIX_FORWARD_TARGET,
    /** Host firewall: open a port for the sources the requirement names. */
    OPEN_PORT,
    /** Host firewall: block a port that must not be reachable from a source. */
    CLOSE_PORT,
    /** Internal firewall: allow a flow from one network of the customer to a destination in another. */
    ALLOW_FLOW,
    /** Egress: allow outbound traffic from a vantage to a destination host and port. */
    ALLOW_OUTBOUND,
    /** Egress: exempt destination hosts from TLS inspection. In words. */
    BYPASS_TLS_INSPECTION,
    /** Egress: let traffic to destination hosts past a transparent proxy, captive portal or DPI device. In words. */
    BYPASS_PROXY,
    /** DNS: add a record that is missing in a view. */
    ADD_RECORD,
    /** DNS: correct a record that has another value in a view than it must. */
    CORRECT_RECORD,
    /** DNS: the resolver a vantage uses fails. In words. */
    FIX_RESOLVER,
    /** Service: nothing listens on a port where the service must (started, or bound to the right address). In words. */
    START_SERVICE,
    /** Service: it accepts the connection but does not answer as it must (or a device in front of it). In words. */
    FIX_SERVICE,
    /** Network: the destination's answers do not come back the way the traffic came. In words. */
    FIX_RETURN_ROUTE,
    /** Network: the media path is below the quality thresholds. In words. */
    IMPROVE_MEDIA_PATH
}
