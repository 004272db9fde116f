package dev.vantage.change;

import java.util.Map;

/**
 * A change request as Markdown, for the ticket and for the terminal: per device its owner, then each change with its
 * line, the requirements and evidence it rests on and its snippets; then what is left to verify.
 */
public final class ChangeRequestMarkdown {
    private ChangeRequestMarkdown() {
    }

    /** The whole request under a level-1 heading. */
    public static String render(ChangeRequest request) {
        return "# Change request for site " + text(request.siteId()) + " (" + text(request.fqdn()) + ")\n\n"
                + "- catalog: " + text(request.catalog()) + ", mode: " + request.mode() + "\n"
                + "- " + request.changes().size() + " change(s) on " + request.devices().size() + " device(s), "
                + request.toVerify().size() + " item(s) to verify\n\n" + body(request, "##");
    }

    /** The devices and what to verify under headings of the given level ({@code ##}), for a report to include. */
    public static String body(ChangeRequest request, String level) {
        StringBuilder out = new StringBuilder();
        if (request.devices().isEmpty()) {
            out.append("No change needed: nothing this survey found failing can be fixed by a change.\n\n");
        }
        for (DeviceChanges dc : request.devices()) {
            out.append(level).append(' ').append(text(dc.device().name())).append("\n\n");
            out.append("Owner: ").append(text(dc.device().owner())).append("\n\n");
            for (Change c : dc.changes()) {
                out.append("- **").append(c.id()).append("** `").append(c.kind()).append("`: ").append(text(c.line()))
                        .append("\n");
                out.append("  - requirements: ").append(String.join(", ", c.requirements())).append("\n");
                out.append("  - evidence: ").append(String.join(", ", c.evidence().codes().stream().map(Enum::name).toList()))
                        .append(" from ").append(String.join(", ", c.evidence().vantages()));
                if (!c.evidence().reachedFrom().isEmpty()) {
                    out.append("; reached from ").append(String.join(", ", c.evidence().reachedFrom()));
                }
                if (!c.evidence().resultIds().isEmpty()) {
                    out.append("; results ").append(String.join(", ", c.evidence().resultIds()));
                }
                out.append("\n");
                for (Map.Entry<String, String> s : c.snippets().entrySet()) {
                    out.append("\n  ```").append(s.getKey()).append("\n");
                    s.getValue().lines().forEach(l -> out.append("  ").append(l).append("\n"));
                    out.append("  ```\n");
                }
            }
            out.append("\n");
        }
        if (!request.toVerify().isEmpty()) {
            out.append(level).append(" To verify\n\n");
            for (ToVerify v : request.toVerify()) {
                out.append("- **").append(v.requirementId()).append("** (").append(v.status())
                        .append(v.code() == null ? "" : ", " + v.code()).append("): ").append(text(v.decide()));
                if (!v.finding().isEmpty()) {
                    out.append(" Finding: ").append(text(v.finding()));
                }
                out.append("\n");
            }
            out.append("\n");
        }
        return out.toString();
    }

    /** Texts quote site files and agents: no line breaks, no HTML a Markdown viewer would render. */
    private static String text(String s) {
        return s == null ? "" : s.replace("\r", " ").replace("\n", " ").replace("<", "&lt;").replace(">", "&gt;");
    }
}
