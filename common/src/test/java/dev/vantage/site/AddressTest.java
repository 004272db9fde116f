package dev.vantage.site;

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
}
