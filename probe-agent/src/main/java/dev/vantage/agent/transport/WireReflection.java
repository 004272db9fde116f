package dev.vantage.agent.transport;

import dev.vantage.wire.DnsEvidence;
import dev.vantage.wire.Heartbeat;
import dev.vantage.wire.HttpEvidence;
import dev.vantage.wire.NatEvidence;
import dev.vantage.wire.PortEvidence;
import dev.vantage.wire.PortRange;
import dev.vantage.wire.ProbeResult;
import dev.vantage.wire.ProbeTask;
import dev.vantage.wire.RangeEvidence;
import dev.vantage.wire.ReceiptEvidence;
import dev.vantage.wire.RtpEvidence;
import dev.vantage.wire.SignedResult;
import dev.vantage.wire.SignedTask;
import dev.vantage.wire.SipEvidence;
import dev.vantage.wire.SshEvidence;
import dev.vantage.wire.TaskGrant;
import dev.vantage.wire.TlsEvidence;
import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * Every record the agent reads or writes with Jackson, registered for the native image: they live in
 * {@code common}, which carries no Quarkus annotations. A new wire or evidence record must be added here.
 */
@RegisterForReflection(targets = {
        ProbeTask.class, ProbeResult.class, PortRange.class, SignedTask.class, TaskGrant.class, Heartbeat.class,
        SignedResult.class,
        PortEvidence.class, RangeEvidence.class, RangeEvidence.Segment.class, RtpEvidence.class, NatEvidence.class,
        DnsEvidence.class, DnsEvidence.Answer.class,
        TlsEvidence.class, TlsEvidence.Certificate.class, TlsEvidence.Problem.class,
        HttpEvidence.class, SshEvidence.class, SipEvidence.class, SipEvidence.Change.class,
        ReceiptEvidence.class, ReceiptEvidence.Skipped.class, ReceiptEvidence.Receipt.class,
        ReceiptEvidence.Kind.class})
final class WireReflection {
    private WireReflection() {
    }
}
