package dev.vantage.coordinator.console;

import dev.vantage.wire.Outcome;
import dev.vantage.wire.PortRange;
import dev.vantage.wire.RangeEvidence;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** How verdicts, ages and port ranges look on the console's pages: the same words, icons and classes everywhere. */
public final class Cells {
    private Cells() {
    }

    /** The icon shown beside a verdict's word (never colour alone). */
    public static String icon(String verdict) {
        if (verdict == null) {
            return "…";
        }
        return switch (verdict) {
            case "PASS", "GO" -> "✓";
            case "FAIL", "NO-GO" -> "✗";
            case "PARTIAL" -> "◐";
            case "INCONCLUSIVE", "INCOMPLETE" -> "?";
            case "UNTESTED" -> "○";
            case "NOT_APPLICABLE" -> "–";
            default -> "•";
        };
    }

    /** The CSS class of a verdict or decision: {@code v-pass}, {@code v-fail}, ... ({@code v-pending} for none). */
    public static String css(String verdict) {
        return verdict == null ? "v-pending" : "v-" + verdict.toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** The word shown for a verdict. */
    public static String word(String verdict) {
        if (verdict == null) {
            return "pending";
        }
        return switch (verdict) {
            case "NOT_APPLICABLE" -> "n/a";
            case "INCONCLUSIVE" -> "inconclusive";
            case "UNTESTED" -> "untested";
            default -> verdict;
        };
    }

    /** How long ago, short: {@code 42 s}, {@code 5 min}, {@code 3 h}, {@code 2 d}. */
    public static String age(Instant at, Instant now) {
        if (at == null) {
            return "";
        }
        long s = Math.max(0, Duration.between(at, now).toSeconds());
        if (s < 60) {
            return s + " s";
        }
        if (s < 3600) {
            return s / 60 + " min";
        }
        if (s < 86_400) {
            return s / 3600 + " h";
        }
        return s / 86_400 + " d";
    }

    /** A port range drawn as a strip: segments in SVG user units of a 1000-wide box. */
    public record Strip(String range, List<Segment> segments, int failingPorts, int ports, String failing) {
    }

    /** One sub-range of a strip: where it starts and how wide it is (of 1000), its class and what it says. */
    public record Segment(int x, int width, String css, String label) {
    }

    /**
     * The strip of a swept range. A sub-range is marked failing when the check of the result is not a pass and
     * its outcome is not the one a pass needs ({@code OPEN} where the port must be reachable, anything but an
     * answer where it must be blocked); the analysis' own verdict stays the one shown in the cell.
     */
    public static Strip strip(PortRange range, RangeEvidence evidence, boolean passed, boolean mustBeBlocked) {
        List<Segment> out = new ArrayList<>();
        List<String> failingRanges = new ArrayList<>();
        int failing = 0;
        double scale = 1000.0 / range.size();
        for (RangeEvidence.Segment s : evidence.segments()) {
            boolean answered = s.outcome() == Outcome.OPEN;
            boolean bad = !passed && (mustBeBlocked == answered);
            int x = (int) Math.floor((s.ports().first() - range.first()) * scale);
            int end = (int) Math.ceil((s.ports().last() - range.first() + 1) * scale);
            out.add(new Segment(x, Math.max(1, end - x), bad ? "seg-fail" : "seg-ok",
                    s.ports() + " " + s.outcome().name() + (bad ? " (failing)" : "")));
            if (bad) {
                failing += s.ports().size();
                failingRanges.add(s.ports().toString());
            }
        }
        return new Strip(range.toString(), out, failing, range.size(),
                failing == 0 ? "" : String.join(", ", failingRanges) + " failing: " + failing + " of " + range.size()
                        + " ports in " + failingRanges.size() + " sub-range" + (failingRanges.size() == 1 ? "" : "s"));
    }
}
