package dev.vantage.catalog;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * When a requirement applies to a site.
 *
 * @param modules  every one of these modules must be enabled at the site
 * @param topology the topology the requirement is needed in, null for both
 */
public record Conditions(List<String> modules, Topology topology) {
    public static final Conditions ALWAYS = new Conditions(List.of(), null);

    public Conditions {
        modules = List.copyOf(modules);
    }

    /** Null when the requirement applies, else why not (naming the module or topology). */
    public String whyNotApplicable(Set<String> enabledModules, Topology siteTopology) {
        List<String> off = new ArrayList<>();
        for (String m : modules) {
            if (!enabledModules.contains(m)) {
                off.add(m);
            }
        }
        if (!off.isEmpty()) {
            return "module " + String.join(", ", off) + (off.size() == 1 ? " is" : " are") + " not enabled at the site";
        }
        if (topology != null && topology != siteTopology) {
            return "only required for " + topology.wireName() + " installations, the site is "
                    + siteTopology.wireName();
        }
        return null;
    }

    public String describe() {
        List<String> parts = new ArrayList<>();
        if (!modules.isEmpty()) {
            parts.add("modules " + String.join("+", modules));
        }
        if (topology != null) {
            parts.add(topology.wireName());
        }
        return parts.isEmpty() ? "always" : String.join(", ", parts);
    }
}
