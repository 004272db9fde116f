package dev.vantage.agent.probe;

import dev.vantage.wire.NatEvidence;
import dev.vantage.wire.PortEvidence;
import dev.vantage.wire.RangeEvidence;
import dev.vantage.wire.RtpEvidence;
import io.quarkus.runtime.annotations.RegisterForReflection;

/** The evidence records Jackson writes in the native agent; they live in {@code common}, outside Quarkus' index. */
@RegisterForReflection(targets = {PortEvidence.class, RangeEvidence.class, RangeEvidence.Segment.class,
        RtpEvidence.class, NatEvidence.class})
final class EvidenceReflection {
    private EvidenceReflection() {
    }
}
