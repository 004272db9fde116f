package dev.vantage.agent.probe;

import dev.vantage.wire.DnsEvidence;
import dev.vantage.wire.HttpEvidence;
import dev.vantage.wire.SipEvidence;
import dev.vantage.wire.SshEvidence;
import dev.vantage.wire.TlsEvidence;
import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * Registers the evidence records of the application-level probes for Jackson in the native image;
 * they live in {@code common}, which has no Quarkus annotations.
 */
@RegisterForReflection(targets = {
        DnsEvidence.class, DnsEvidence.Answer.class,
        TlsEvidence.class, TlsEvidence.Certificate.class, TlsEvidence.Problem.class,
        HttpEvidence.class,
        SshEvidence.class,
        SipEvidence.class, SipEvidence.Change.class})
final class EvidenceReflection {
    private EvidenceReflection() {
    }
}
