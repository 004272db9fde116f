package dev.vantage.analysis;

import dev.vantage.catalog.Protocol;
import dev.vantage.wire.PortRange;
import dev.vantage.wire.ProbeTask;
import dev.vantage.wire.ReceiptEvidence;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The responders' own account of their windows, from the closing reports ({@link ReceiptEvidence}): which
 * ports a responder held for its whole window, which it did not take and why, and whose packets arrived.
 * A window without a closing report (an older agent, a lost report, a standalone check) says nothing here:
 * the rules then fall back to what the probes saw. The reports come from agents and are read defensively.
 */
final class ResponderAccount {
    private final List<ResponderWindow> windows;

    /** Ports of a check that the responder did not hold, and why. */
    record Gap(PortRange ports, String reason) {
    }

    ResponderAccount(List<ResponderWindow> windows) {
        this.windows = List.copyOf(windows);
    }

    /**
     * The ports of a task towards {@code role} that a closing report of the window for them says the responder
     * did not hold (skipped, or not listed as held); empty when no closing report covers the task's ports.
     */
    List<Gap> notHeld(ProbeTask t, String role, Protocol transport) {
        List<Gap> gaps = new ArrayList<>();
        if (t.ports() == null) {
            return gaps;
        }
        for (ResponderWindow w : covering(role, transport, List.of(t.ports()))) {
            List<ReceiptEvidence> closings = w.closings().stream().filter(ResponderAccount::saysWhatItHeld).toList();
            if (closings.isEmpty()) {
                continue;
            }
            List<PortRange> asked = PortSets.intersect(List.of(w.task().ports()), List.of(t.ports()));
            List<PortRange> missing = PortSets.minus(asked, held(closings));
            for (ReceiptEvidence e : closings) {
                for (ReceiptEvidence.Skipped s : e.skipped() == null ? List.<ReceiptEvidence.Skipped>of() : e.skipped()) {
                    if (s == null || s.ports() == null) {
                        continue;
                    }
                    for (PortRange p : PortSets.intersect(missing, List.of(s.ports()))) {
                        gaps.add(new Gap(p, Phrasing.clip(s.reason())));
                    }
                    missing = PortSets.minus(missing, List.of(s.ports()));
                }
            }
            missing.forEach(p -> gaps.add(new Gap(p, "not held for the whole window")));
        }
        return gaps;
    }

    /** A closing report says the responder held every one of these ports for its whole window. */
    boolean held(String role, Protocol transport, PortRange ports) {
        List<PortRange> held = new ArrayList<>();
        covering(role, transport, List.of(ports)).forEach(w -> held.addAll(held(w.closings())));
        return PortSets.covers(held, List.of(ports));
    }

    /** Some window for these ports sent its closing report. */
    boolean reported(String role, Protocol transport, List<PortRange> ports) {
        return covering(role, transport, ports).stream().anyMatch(w -> !w.closings().isEmpty());
    }

    /** The sources whose packets the responder received on any of these ports. */
    List<String> sourcesOn(String role, Protocol transport, List<PortRange> ports) {
        Set<String> sources = new LinkedHashSet<>();
        for (ReceiptEvidence.Receipt r : receipts(role, transport, ports)) {
            if (r.source() != null) {
                sources.add(r.source());
            }
        }
        return new ArrayList<>(sources);
    }

    /** What arrived from one task's probes on these ports: receipts carrying its tag (a nonce of that task). */
    List<ReceiptEvidence.Receipt> receivedFor(ProbeTask t, String role, Protocol transport, List<PortRange> ports) {
        String tag = ReceiptEvidence.tagOf(t.taskId());
        return receipts(role, transport, ports).stream().filter(r -> tag.equalsIgnoreCase(r.tag())).toList();
    }

    private List<ReceiptEvidence.Receipt> receipts(String role, Protocol transport, List<PortRange> ports) {
        List<ReceiptEvidence.Receipt> out = new ArrayList<>();
        for (ResponderWindow w : covering(role, transport, ports)) {
            for (ReceiptEvidence e : w.closings()) {
                for (ReceiptEvidence.Receipt r : e.receipts() == null ? List.<ReceiptEvidence.Receipt>of() : e.receipts()) {
                    if (r != null && r.ports() != null && PortSets.overlaps(r.ports(), ports)) {
                        out.add(r);
                    }
                }
            }
        }
        return out;
    }

    /**
     * A report that names neither a held nor a skipped port says nothing about what it held (the contract has
     * {@code listened} = asked minus {@code skipped}); its receipts still count.
     */
    private static boolean saysWhatItHeld(ReceiptEvidence e) {
        return (e.listened() != null && !e.listened().isEmpty()) || (e.skipped() != null && !e.skipped().isEmpty());
    }

    private static List<PortRange> held(List<ReceiptEvidence> closings) {
        List<PortRange> held = new ArrayList<>();
        closings.forEach(e -> {
            if (e.listened() != null) {
                held.addAll(e.listened().stream().filter(Objects::nonNull).toList());
            }
        });
        return held;
    }

    /** The windows that listen for {@code role} over {@code transport} on any of these ports. */
    private List<ResponderWindow> covering(String role, Protocol transport, List<PortRange> ports) {
        return windows.stream().filter(w -> w.task().vantage().equals(role) && PlannedParams.transport(w.task()) == transport
                && w.task().ports() != null && PortSets.overlaps(List.of(w.task().ports()), ports)).toList();
    }
}
