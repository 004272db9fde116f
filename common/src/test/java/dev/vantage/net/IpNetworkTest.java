package dev.vantage.net;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class IpNetworkTest {

    @ParameterizedTest
    @CsvSource({
            "192.0.2.0/28, 192.0.2.15, true", "192.0.2.0/28, 192.0.2.16, false",
            "198.51.100.40, 198.51.100.40, true", "198.51.100.40, 198.51.100.41, false",
            "0.0.0.0/0, 203.0.113.9, true", "10.20.0.5/24, 10.20.0.200, true", "172.16.0.0/12, 172.31.1.1, true",
            "172.16.0.0/12, 172.32.1.1, false", "2001:db8::/32, 2001:db8:ffff::1, true", "2001:db8::/32, 2001:db9::1, false",
            "fd00::/8, fd12:3456::1, true", "::/0, 2001:db8::1, true", "::/0, 10.0.0.1, false", "0.0.0.0/0, ::1, false",
            "10.0.0.0/8, ::ffff:10.1.2.3, true", "::ffff:0:0/96, ::ffff:10.1.2.3, true", "10.0.0.0/8, fd00::a00:1, false",
            "2001:db8::1, 2001:db8:0:0:0:0:0:1, true"})
    void containsTheAddressesOfItsPrefix(String network, String address, boolean contained) {
        assertThat(IpNetwork.parseAddressOrBlock(network).contains(IpAddress.parse(address))).isEqualTo(contained);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
            "10.0.0.0/33 | '10.0.0.0/33' is not a CIDR block: the prefix length must be 0-32",
            "2001:db8::/129 | '2001:db8::/129' is not a CIDR block: the prefix length must be 0-128",
            "10.0.0.0/x | the prefix length must be 0-32",
            "10.0.0.0/ | the prefix length must be 0-32",
            "10.0.0.0/-1 | the prefix length must be 0-32",
            "intranet.local/24 | 'intranet.local/24' is not a CIDR block: 'intranet.local' is not an IP address",
            "010.0.0.0/8 | octet '010' has a leading zero",
            "10.0.0.0 | no '/prefix'"})
    void refusesWhatIsNoCidrBlock(String text, String message) {
        assertThatThrownBy(() -> IpNetwork.parse(text)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(message);
    }

    @Test
    void aSingleAddressIsTheNetworkOfJustThatAddress() {
        assertThat(IpNetwork.parseAddressOrBlock("203.0.113.7")).isEqualTo(IpNetwork.parse("203.0.113.7/32"));
        assertThat(IpNetwork.parseAddressOrBlock("2001:db8::7")).hasToString("2001:db8::7/128");
        assertThatThrownBy(() -> new IpNetwork(IpAddress.parse("10.0.0.0"), 40)).hasMessageContaining("0-32");
    }
}
