package dev.vantage.site;

import dev.vantage.net.IpAddress;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AddressTest {

    @ParameterizedTest
    @CsvSource({
            "10.0.0.5, IPV4",
            "203.0.113.10, IPV4",
            "2001:db8::1, IPV6",
            "::1, IPV6",
            "::ffff:192.0.2.1, IPV6",
            "2001:db8:0:0:0:0:0:1, IPV6",
            "10.0.0.0/8, CIDR",
            "2001:db8::/32, CIDR",
            "jtelacd.example.com, HOST",
            "pbx-1, HOST"})
    void recognisesWhatItIs(String text, Address.Type type) {
        assertThat(Address.parse(text).type()).isEqualTo(type);
    }

    @ParameterizedTest
    @ValueSource(strings = {"10.0.0.300", "10.0.0", "10.0.0.0/33", "2001:db8::1::2", "1:2:3:4:5:6:7:8:9", "-bad-.example.com",
            "10.0.0.0/x", "2001:db8::/129", "exa mple.com", "01.2.3.4"})
    void rejectsWhatIsNeitherAnAddressNorAName(String text) {
        assertThatThrownBy(() -> Address.parse(text))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'" + text + "'");
    }

    @ParameterizedTest
    @CsvSource({
            "10.20.0.0/24, 10.20.0.77, true", "10.20.0.0/24, 10.20.1.1, false", "198.51.100.40, 198.51.100.40, true",
            "2001:db8:51::40, 2001:db8:51:0:0:0:0:40, true", "2001:db8::/32, 2001:db9::1, false",
            "trunk.example.net, 198.51.100.40, false"})
    void containsAnAddressByValueNotByText(String written, String ip, boolean contained) {
        assertThat(Address.parse(written).contains(IpAddress.parse(ip))).isEqualTo(contained);
    }

    @Test
    void keepsTheTextAsWrittenAndGivesTheAddress() {
        Address a = Address.parse("2001:DB8:0:0::1");
        assertThat(a.text()).isEqualTo("2001:db8:0:0::1");
        assertThat(a.ip()).contains(IpAddress.parse("2001:db8::1"));
        assertThat(Address.parse("10.0.0.0/8").ip()).isEmpty();
        assertThat(Address.parse("pbx-1").ip()).isEmpty();
    }

    @Test
    void saysWhyAnAddressIsRefused() {
        assertThatThrownBy(() -> Address.parse("fe80::1%eth0")).hasMessage(
                "'fe80::1%eth0' is not an IPv6 address: zone ids ('%eth0') are not accepted");
        assertThatThrownBy(() -> Address.parse("010.0.0.1")).hasMessage(
                "'010.0.0.1' is not an IPv4 address: octet '010' has a leading zero, which some programs read as octal;"
                        + " write 10");
        assertThatThrownBy(() -> Address.parse("-bad-.example.com")).hasMessage(
                "'-bad-.example.com' is not an IP address, CIDR block or host name");
    }
}
