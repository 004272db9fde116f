package dev.vantage.catalog;

import dev.vantage.wire.PortRange;
import dev.vantage.wire.ProbeKind;

import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;

/**
 * One probe kind that proves (part of) a requirement, as written in the catalog.
 *
 * @param kind    the probe; {@code tcp}/{@code udp} on a port range are planned as {@code tcp-range}/{@code udp-range}
 * @param mode    only in this survey mode; null for both
 * @param params  task parameters copied to every task ({@code {fqdn}} is replaced by the site's FQDN)
 * @param timeout per-attempt timeout, null for the kind's default
 */
public record ProbeSpec(ProbeKind kind, Mode mode, Map<String, String> params, Duration timeout) {
    public ProbeSpec {
        params = params == null ? Map.of() : java.util.Collections.unmodifiableMap(new TreeMap<>(params));
    }

    public boolean runsIn(Mode m) {
        return mode == null || mode == m;
    }

    /** The kind this probe is planned as on {@code range} (null for a requirement without ports): a sweep for tcp and udp. */
    public ProbeKind kindOn(PortRange range) {
        if (range == null || range.isSingle()) {
            return kind;
        }
        return kind == ProbeKind.TCP ? ProbeKind.TCP_RANGE : kind == ProbeKind.UDP ? ProbeKind.UDP_RANGE : kind;
    }
}
