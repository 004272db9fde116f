package dev.vantage.wire;

/**
 * What a reflected RTP stream measured. Loss, jitter and reordering are over the round trip (the
 * responder reflects each packet unchanged), so they are an upper bound of either direction.
 *
 * @param sent             packets sent
 * @param received         distinct packets that came back
 * @param lossPct          {@code 100 * (sent - received) / sent}
 * @param jitterMs         RFC 3550 interarrival jitter of the reflected stream, in milliseconds
 * @param rttAvgMs         mean round-trip time
 * @param rttMaxMs         largest round-trip time
 * @param reordered        packets that arrived after a later-sent one
 * @param duplicates       packets that arrived more than once
 * @param mos              MOS estimate from the simplified E-model (ITU-T G.107, G.711 with packet-loss
 *                         concealment, one-way delay taken as half the RTT plus the jitter buffer)
 * @param rFactor          the E-model R factor behind {@code mos}
 * @param packetsPerSecond the pacing of the stream
 * @param maxLossPct       threshold applied
 * @param maxJitterMs      threshold applied
 * @param minMos           threshold applied
 */
public record RtpEvidence(
        int sent,
        int received,
        double lossPct,
        double jitterMs,
        double rttAvgMs,
        double rttMaxMs,
        int reordered,
        int duplicates,
        double mos,
        double rFactor,
        int packetsPerSecond,
        double maxLossPct,
        double maxJitterMs,
        double minMos) implements Evidence {
}
