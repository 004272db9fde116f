package dev.vantage.analysis;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class Ipv4Test {
    @Test
    void matchesAnAddressOrACidrBlock() {
        assertThat(Ipv4.contains("192.0.2.0/28", "192.0.2.15")).isTrue();
        assertThat(Ipv4.contains("192.0.2.0/28", "192.0.2.16")).isFalse();
        assertThat(Ipv4.contains("198.51.100.40", "198.51.100.40")).isTrue();
        assertThat(Ipv4.contains("198.51.100.40", "198.51.100.41")).isFalse();
        assertThat(Ipv4.contains("0.0.0.0/0", "203.0.113.9")).isTrue();
    }

    @Test
    void rejectsWhatIsNotIpv4() {
        assertThat(Ipv4.contains("10.0.0.0/33", "10.0.0.1")).isFalse();
        assertThat(Ipv4.contains("trunk.example.net", "10.0.0.1")).isFalse();
        assertThat(Ipv4.hostOf("[2001:db8::1]:5060")).isNull();
        assertThat(Ipv4.hostOf("256.1.1.1:80")).isNull();
        assertThat(Ipv4.hostOf(null)).isNull();
    }

    @Test
    void takesTheAddressOfAnEndpoint() {
        assertThat(Ipv4.hostOf("10.20.0.1:51234")).isEqualTo("10.20.0.1");
        assertThat(Ipv4.hostOf("10.20.0.1")).isEqualTo("10.20.0.1");
    }

    @Test
    void knowsPrivateAndSharedRanges() {
        assertThat(Ipv4.isPrivate("172.31.255.1")).isTrue();
        assertThat(Ipv4.isPrivate("172.32.0.1")).isFalse();
        assertThat(Ipv4.isPrivate("100.64.1.1")).isTrue();
        assertThat(Ipv4.isPrivate("203.0.113.10")).isFalse();
    }
}
