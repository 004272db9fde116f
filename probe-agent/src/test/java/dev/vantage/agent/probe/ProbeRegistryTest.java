package dev.vantage.agent.probe;

import dev.vantage.wire.ProbeKind;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ProbeRegistryTest {

    @Test
    void twoProbesOfOneKindFailNamingBothClasses() {
        Probe other = new TcpProbe() {
        };
        assertThatThrownBy(() -> new ProbeRegistry(List.of(new TcpProbe(), other)))
                .hasMessageContaining("probe kind 'tcp' is claimed by both")
                .hasMessageContaining(TcpProbe.class.getName());
    }

    @Test
    void aKindWithoutAProbeFailsTheCompletenessCheckNamingIt() {
        ProbeRegistry partial = new ProbeRegistry(List.of(new TcpProbe(), new UdpProbe()));
        assertThatThrownBy(partial::requireEveryKind).hasMessageContaining("dns").hasMessageContaining("respond")
                .hasMessageNotContaining("'tcp'");
    }

    @Test
    void everyKindOfTheContractHasAProbe() {
        ProbeRegistry all = new ProbeRegistry(List.of(new TcpProbe(), new UdpProbe(), new TcpRangeProbe(),
                new UdpRangeProbe(), new DnsProbe(), new TlsProbe(), new HttpProbe(), new SshProbe(), new SipProbe(),
                new RtpProbe(), new NatProbe(), new RespondProbe()));
        all.requireEveryKind();
        assertThat(all.capabilities()).containsExactlyInAnyOrder(java.util.Arrays.stream(ProbeKind.values())
                .filter(k -> !k.control()).toArray(ProbeKind[]::new));
        assertThat(all.capabilities()).as("close is carried out by the runtime, not a probe").doesNotContain(ProbeKind.CLOSE);
    }

    @Test
    void askingForAKindItCannotRunNamesWhatItCan() {
        assertThatThrownBy(() -> new ProbeRegistry(List.of(new TcpProbe())).probe(ProbeKind.DNS))
                .hasMessage("this agent has no probe of kind 'dns'; it can run [tcp]");
    }
}
