package dev.vantage.wire;

import java.util.List;

/**
 * What an SSH probe saw in the first bytes the server sent.
 *
 * @param banner          the identification line ({@code SSH-2.0-OpenSSH_9.2}), null when none came
 * @param protocolVersion {@code 2.0} (or {@code 1.99})
 * @param software        the software version part of the banner
 * @param preBannerLines  lines the server sent before its banner (allowed by RFC 4253)
 * @param firstBytes      the first bytes, printable, when something other than SSH answered
 * @param error           the connection failure or silence, null when bytes arrived
 */
public record SshEvidence(
        String banner,
        String protocolVersion,
        String software,
        List<String> preBannerLines,
        String firstBytes,
        String error) implements Evidence {

    public SshEvidence {
        preBannerLines = preBannerLines == null ? List.of() : List.copyOf(preBannerLines);
    }
}
