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
 * All probes of this agent by kind. Two probes claiming the same kind, or a kind of the wire contract
 * without a probe, is a build mistake and fails at startup naming the classes or kinds.
 */
@ApplicationScoped
public class ProbeRegistry {
    private final Map<ProbeKind, Probe> byKind;

    /** The agent's registry: every probe bean; a kind without a probe fails startup. */
    @Inject
    public ProbeRegistry(Instance<Probe> probes) {
        this(probes.stream().toList());
        requireEveryKind();
    }

    /** A registry of exactly these probes (standalone use and tests). */
    public ProbeRegistry(Collection<Probe> probes) {
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
                    + "'; it can run " + capabilities().stream().map(ProbeKind::wireName).toList());
        }
        return probe;
    }

    void requireEveryKind() {
        java.util.EnumSet<ProbeKind> missing = java.util.EnumSet.complementOf(java.util.EnumSet.copyOf(
                byKind.isEmpty() ? java.util.EnumSet.noneOf(ProbeKind.class) : byKind.keySet()));
        missing.removeIf(ProbeKind::control); // instructions to the agent, carried out by its runtime
        if (!missing.isEmpty()) {
            throw new IllegalStateException("no probe implements kind(s) " + missing.stream().map(ProbeKind::wireName)
                    .toList() + ": every probe kind of the wire contract needs exactly one Probe bean");
        }
    }

    /** The kinds this agent can run, as announced in its heartbeat. */
    public Set<ProbeKind> capabilities() {
        return java.util.Collections.unmodifiableSet(byKind.keySet());
    }
}
