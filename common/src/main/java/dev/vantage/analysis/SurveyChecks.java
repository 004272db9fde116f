package dev.vantage.analysis;

import dev.vantage.site.Site;
import dev.vantage.wire.PortRange;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * What the cross-vantage rules work on: every judged check of the survey, the responder windows with
 * their reports, and the queries the rules share.
 */
final class SurveyChecks {
    final List<Judged> checks;
    final List<ResponderWindow> windows;
    final Site site;

    SurveyChecks(List<Judged> checks, List<ResponderWindow> windows, Site site) {
        this.checks = checks;
        this.windows = windows;
        this.site = site;
    }

    /**
     * The vantages (other than j's own) that probed j's destination role over j's transport, pass
     * {@code which}, and whose {@code ports} (e.g. what they reached) overlap {@code against}. Another agent
     * of j's role is named by its agent id.
     */
    List<String> vantages(Judged j, Predicate<Judged> which, Function<Judged, List<PortRange>> ports,
                          List<PortRange> against) {
        Set<String> names = new LinkedHashSet<>();
        for (Judged o : checks) {
            if (o == j || o.sameVantage(j) || o.destinationRole() == null || !o.destinationRole().equals(j.destinationRole())
                    || o.transport != j.transport || !which.test(o)) {
                continue;
            }
            if (overlaps(ports.apply(o), against)) {
                names.add(o.task.vantage().equals(j.task.vantage()) ? Phrasing.from(o) : o.task.vantage());
            }
        }
        return new ArrayList<>(names);
    }

    static boolean overlaps(List<PortRange> a, List<PortRange> b) {
        for (PortRange x : a) {
            for (PortRange y : b) {
                if (x.overlaps(y)) {
                    return true;
                }
            }
        }
        return false;
    }
}
