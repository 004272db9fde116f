package dev.vantage.plan;

import dev.vantage.catalog.ProbeSpec;
import dev.vantage.catalog.Protocol;
import dev.vantage.catalog.Requirement;
import dev.vantage.params.RespondParams;
import dev.vantage.params.RespondParams.Serve;
import dev.vantage.params.Transport;
import dev.vantage.wire.PortRange;
import dev.vantage.wire.ProbeTask;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The responder windows of a plan: every requirement whose probes need a responder asks for listeners on
 * exactly its ports at its destination role; the demands are merged per role, transport and port range into
 * one {@code respond} task per listener, open for a bounded window. A listener beside the real services (the media
 * option) takes only the free ports; merged with others, it still does.
 */
final class ResponderWindows {
    private final Duration window;
    private final TaskWriter writer;
    private final Targets targets;
    private final List<Listen> demands = new ArrayList<>();

    ResponderWindows(Duration window, TaskWriter writer, Targets targets) {
        this.window = window;
        this.writer = writer;
        this.targets = targets;
    }

    /** The listeners the requirement's probes need at its destination role; {@code freeOnly} beside the real services. */
    void demand(Requirement r, List<ProbeSpec> specs, boolean freeOnly) {
        Transport transport = r.protocol() == Protocol.UDP ? Transport.UDP : Transport.TCP;
        for (ProbeSpec spec : specs) {
            for (PortRange range : r.ports()) {
                demands.add(new Listen(r.destination().role(), transport, listenRange(spec, range), serve(spec),
                        List.of(r.id()), freeOnly));
            }
        }
    }

    /** One respond task per merged listener, in role, transport and port order. */
    List<ProbeTask> tasks() {
        List<Listen> sorted = new ArrayList<>(demands);
        sorted.sort(Comparator.comparing(Listen::role).thenComparing(l -> l.transport().wireName())
                .thenComparing(l -> l.range().first()).thenComparing(l -> -l.range().size()));
        List<Listen> merged = new ArrayList<>();
        for (Listen l : sorted) {
            int into = -1;
            for (int i = 0; i < merged.size() && into < 0; i++) {
                Listen m = merged.get(i);
                if (m.role().equals(l.role()) && m.transport() == l.transport() && m.range().contains(l.range())) {
                    into = i;
                }
            }
            if (into < 0) {
                merged.add(l);
            } else {
                merged.set(into, merged.get(into).absorb(l));
            }
        }
        List<ProbeTask> tasks = new ArrayList<>();
        for (Listen l : merged) {
            RespondParams params = new RespondParams(l.transport(), l.serve(), window, l.requirements(), l.freeOnly(),
                    window);
            tasks.add(writer.task(l.requirements().get(0), l.role(), params, targets.bindAddress(l.role()), l.range()));
        }
        return tasks;
    }

    /** A stream or a handshake goes to the first port of a range, so its listener needs only that one. */
    private static PortRange listenRange(ProbeSpec spec, PortRange range) {
        boolean onePort = !range.isSingle() && switch (spec.kind()) {
            case TCP, UDP, TCP_RANGE, UDP_RANGE -> false;
            default -> true;
        };
        return onePort ? PortRange.of(range.first()) : range;
    }

    private static Serve serve(ProbeSpec spec) {
        return switch (spec.kind()) {
            case NAT -> Serve.NAT;
            case RTP -> Serve.RTP;
            case SIP -> Serve.SIP;
            case UDP, UDP_RANGE -> Serve.ECHO;
            default -> Serve.ACCEPT;
        };
    }

    private record Listen(String role, Transport transport, PortRange range, Serve serve, List<String> requirements,
                          boolean freeOnly) {
        Listen absorb(Listen other) {
            List<String> ids = new ArrayList<>(requirements);
            other.requirements.stream().filter(id -> !ids.contains(id)).forEach(ids::add);
            Serve s = other.serve.compareTo(serve) > 0 ? other.serve : serve;
            // never take a port from a real service, whichever demand asked for it
            return new Listen(role, transport, range, s, ids, freeOnly || other.freeOnly);
        }
    }
}
