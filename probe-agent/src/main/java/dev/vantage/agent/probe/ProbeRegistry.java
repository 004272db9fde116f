package dev.vantage.agent.probe;

import dev.vantage.wire.ProbeKind;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;

import java.util.Collection;
import java.util.EnumMap;
import java.util.Map;
import java.util.Set;

/**
 * All probes of this agent by kind. Two probes claiming the same kind is a build mistake and fails
 * at startup with both class names.
 */
@ApplicationScoped
public class ProbeRegistry {
    private final Map<ProbeKind, Probe> byKind;

    @Inject
    public ProbeRegistry(Instance<Probe> probes) {
        this(probes.stream().toList());
    }

    ProbeRegistry(Collection<Probe> probes) {
        Map<ProbeKind, Probe> map = new EnumMap<>(ProbeKind.class);
        for (Probe probe : probes) {
            Probe previous = map.putIfAbsent(probe.kind(), probe);
            if (previous != null) {
                throw new IllegalStateException("probe kind '" + probe.kind().wireName() + "' is claimed by both "
                        + previous.getClass().getName() + " and " + probe.getClass().getName());
            }
        }
        this.byKind = map;
    }

    /**
     * @throws IllegalArgumentException naming the kind and the kinds this agent can run
     */
    public Probe probe(ProbeKind kind) {
        Probe probe = byKind.get(kind);
        if (probe == null) {
            throw new IllegalArgumentException("this agent has no probe of kind '" + kind.wireName()
                    + "'; it can run " + capabilities());
        }
        return probe;
    }

    /** The kinds this agent can run, as announced in its heartbeat. */
    public Set<ProbeKind> capabilities() {
        return java.util.Collections.unmodifiableSet(byKind.keySet());
    }
}
