package dev.vantage.net;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EndpointTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "10.20.0.1:51234 | 10.20.0.1 | 51234 | 10.20.0.1",
            "10.20.0.1 | 10.20.0.1 | -1 | 10.20.0.1",
            "[2001:db8::1]:5060 | 2001:db8::1 | 5060 | 2001:db8::1",
            "[fd00:0:0:0:0:0:0:5]:51234 | fd00:0:0:0:0:0:0:5 | 51234 | fd00::5",
            "[2001:db8::1] | 2001:db8::1 | -1 | 2001:db8::1",
            "2001:db8::1 | 2001:db8::1 | -1 | 2001:db8::1",
            "resolver.example.net:53 | resolver.example.net | 53 | ",
            "' dns.example.net ' | dns.example.net | -1 | ",
            "010.0.0.1:80 | 010.0.0.1 | 80 | "})
    void splitsHostAndPort(String text, String host, int port, String ip) {
        Endpoint e = Endpoint.parse(text);
        assertThat(e.host()).isEqualTo(host);
        assertThat(e.port()).isEqualTo(port);
        assertThat(e.ip().map(IpAddress::toString).orElse(null)).isEqualTo(ip);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
            "10.0.0.1:0 | no valid port", "10.0.0.1:65536 | no valid port", "10.0.0.1: | no valid port",
            "10.0.0.1:+80 | no valid port", "host:http | no valid port", "[2001:db8::1 | unclosed '['",
            "[2001:db8::1]5060 | not host, host:port", "[fe80::1%eth0]:22 | zone ids", "[10.0.0.1]:80 | brackets are for IPv6",
            "[dns.example.net]:53 | no IPv6 address in brackets", ":53 | no host", "\"\" | no host"})
    void refusesWhatIsNoEndpoint(String text, String why) {
        assertThatThrownBy(() -> Endpoint.parse(text)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'" + text + "'").hasMessageContaining(why);
        assertThat(Endpoint.tryParse(text)).isEmpty();
    }

    @ParameterizedTest
    @CsvSource({"10.0.0.1:80, 10.0.0.1:80", "[2001:db8::1]:80, [2001:db8::1]:80", "2001:db8::1, 2001:db8::1"})
    void writesWhatItReads(String text, String written) {
        assertThat(Endpoint.parse(text)).hasToString(written);
    }
}
