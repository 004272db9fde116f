package dev.vantage.analysis;

import java.util.Locale;

/**
 * The answer for one requirement in one survey.
 *
 * <p>{@code PARTIAL} means part of the requirement holds and part does not: some sources, hosts or
 * ports pass while others fail (e.g. an RTP range forwarded only in part). For go-live it counts like
 * {@code FAIL}: a critical requirement that is only partly met blocks readiness.
 */
public enum VerdictStatus {
    /** Every planned check passed. */
    PASS,
    /** Nothing passed, or a must-be-blocked port answered (an exposure is never partial). */
    FAIL,
    /** Some checks passed, others failed. */
    PARTIAL,
    /** No vantage could prove it: the diagnosis names the missing role, address or override. */
    UNTESTED,
    /** A module or the topology makes it irrelevant for the site. */
    NOT_APPLICABLE,
    /** A planned check has no result, only errors or refusals came back, or the evidence conflicts. */
    INCONCLUSIVE;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** FAIL or PARTIAL: the network does not (fully) do what the requirement says. */
    public boolean isFailure() {
        return this == FAIL || this == PARTIAL;
    }
}
