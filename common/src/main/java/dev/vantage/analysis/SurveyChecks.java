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
 * their reports and what the closing reports say, and the queries the rules share.
 */
final class SurveyChecks {
    final List<Judged> checks;
    final List<ResponderWindow> windows;
    final ResponderAccount responders;
    final Site site;
    private final Judge judge;

    SurveyChecks(List<Judged> checks, List<ResponderWindow> windows, Site site, Judge judge) {
        this.checks = checks;
        this.windows = windows;
        this.responders = new ResponderAccount(windows);
        this.site = site;
        this.judge = judge;
    }

    /** Judges a check again, after a rule learned something about its path (e.g. who answered it). */
    void rejudge(Judged j) {
        j.reset();
        judge.judge(j);
    }

    /**
     * The vantages (other than j's own) that probed j's destination role over j's transport, pass
     * {@code which}, and whose {@code ports} (e.g. what they reached) overlap {@code against}. Another agent
     * of j's role is named by its agent id.
     */
    List<String> vantages(Judged j, Predicate<Judged> which, Function<Judged, List<PortRange>> ports,
                          List<PortRange> against) {
        return names(j, o -> !o.sameVantage(j) && which.test(o), ports, against);
    }

    /**
     * Like {@link #vantages(Judged, Predicate, Function, List)}, but j's own vantage counts too when it probed
     * another address: the LAN's own result on the internal address tells where the LAN's hairpin fails.
     */
    List<String> vantagesIncludingOwn(Judged j, Predicate<Judged> which, Function<Judged, List<PortRange>> ports,
                                      List<PortRange> against) {
        return names(j, o -> !(o.sameVantage(j) && o.task.target().equals(j.task.target())) && which.test(o),
                ports, against);
    }

    private List<String> names(Judged j, Predicate<Judged> which, Function<Judged, List<PortRange>> ports,
                               List<PortRange> against) {
        Set<String> names = new LinkedHashSet<>();
        for (Judged o : checks) {
            if (o == j || o.destinationRole() == null || !o.destinationRole().equals(j.destinationRole())
                    || o.transport != j.transport || !which.test(o)) {
                continue;
            }
            if (PortSets.overlaps(ports.apply(o), against)) {
                names.add(o.task.vantage().equals(j.task.vantage()) && !o.sameVantage(j) ? Phrasing.from(o) : o.task.vantage());
            }
        }
        return new ArrayList<>(names);
    }
}
