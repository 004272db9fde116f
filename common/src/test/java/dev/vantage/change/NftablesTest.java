package dev.vantage.change;

import dev.vantage.wire.PortRange;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class NftablesTest {
    private static final Device PERIMETER = new Device(DeviceKind.PERIMETER_FIREWALL, null, "Perimeter", "network team");

    private static Change forward(Sources sources, String publicAddress, String internal) {
        List<PortRange> ports = List.of(PortRange.of(5061));
        return new Change("perimeter-firewall-1", ChangeKind.ADD_PORT_FORWARD, "line", new Flow("tcp", sources,
                publicAddress, ports, internal, ports, List.of(), List.of(), List.of(), List.of()), null,
                List.of("inbound.sips"), new Evidence(List.of(), List.of(), List.of(), List.of(), null, null), Map.of());
    }

    @Test
    void forwardsIpv6WithIp6Matches() {
        String s = new Nftables().render(PERIMETER, forward(new Sources(false, List.of("trunk"),
                List.of("2001:db8:51::40", "198.51.100.40")), "2001:db8:113::10", "fd00:20::10")).orElseThrow();
        assertThat(s).contains("insert rule inet filter prerouting ip6 saddr 2001:db8:51::40 ip6 daddr 2001:db8:113::10 "
                + "tcp dport 5061 dnat ip6 to fd00:20::10").doesNotContain("198.51.100.40");
    }

    @Test
    void namesASourceItCannotMatchInAComment() {
        String s = new Nftables().render(PERIMETER, forward(new Sources(false, List.of("trunk"),
                List.of("sip.carrier.example", "198.51.100.40")), "203.0.113.10", "10.20.0.10")).orElseThrow();
        assertThat(s).startsWith("# also for sip.carrier.example").contains("ip saddr 198.51.100.40 ip daddr 203.0.113.10");
    }

    @Test
    void writesNothingRatherThanAdmittingEveryoneWhenNoSourceCanBeMatched() {
        assertThat(new Nftables().render(PERIMETER, forward(new Sources(false, List.of("trunk"),
                List.of("sip.carrier.example")), "203.0.113.10", "10.20.0.10"))).isEmpty();
    }

    @Test
    void leavesChangesInWordsWithoutSnippet() {
        Change alg = new Change("perimeter-firewall-1", ChangeKind.DISABLE_SIP_ALG, "line", new Flow("udp", Sources.NONE,
                "203.0.113.10", List.of(PortRange.of(5060)), "10.20.0.10", List.of(PortRange.of(5060)), List.of(), List.of(),
                List.of(), List.of()), null, List.of("inbound.sip-udp"),
                new Evidence(List.of(), List.of(), List.of(), List.of(), null, null), Map.of());
        assertThat(new Nftables().render(PERIMETER, alg)).isEmpty();
    }
}
