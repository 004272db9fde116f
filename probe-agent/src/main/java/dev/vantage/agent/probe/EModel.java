package dev.vantage.agent.probe;

/**
 * The simplified E-model (ITU-T G.107) for G.711 with packet-loss concealment: R = R0 - Id - Ie,eff
 * with the default R0 93.2, the delay impairment approximated after Cole and Rosenbluth, and random
 * loss (BurstR 1, Bpl 25.1 per ITU-T G.113 Appendix I).
 */
final class EModel {
    private static final double R0 = 93.2;
    private static final double IE_G711 = 0;
    private static final double BPL_G711_PLC = 25.1;

    private EModel() {
    }

    /**
     * @param oneWayMs    network delay one way
     * @param jitterMs    interarrival jitter; a jitter buffer of twice that adds to the delay
     * @param lossPct     packet loss in percent
     * @param packetMs    packetization interval (20 ms for 50 packets/s)
     */
    static double rFactor(double oneWayMs, double jitterMs, double lossPct, double packetMs) {
        double d = oneWayMs + 2 * jitterMs + packetMs;
        double id = 0.024 * d + (d > 177.3 ? 0.11 * (d - 177.3) : 0);
        double ieEff = IE_G711 + (95 - IE_G711) * lossPct / (lossPct + BPL_G711_PLC);
        return R0 - id - ieEff;
    }

    /** G.107 Annex B: R to the estimated mean opinion score, 1 to 4.5. */
    static double mos(double r) {
        if (r <= 0) {
            return 1.0;
        }
        if (r >= 100) {
            return 4.5;
        }
        return 1 + 0.035 * r + r * (r - 60) * (100 - r) * 7e-6;
    }
}
