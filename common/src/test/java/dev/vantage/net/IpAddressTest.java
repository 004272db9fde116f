package dev.vantage.net;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class IpAddressTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "192.0.2.1 | 192.0.2.1",
            "0.0.0.0 | 0.0.0.0",
            "255.255.255.255 | 255.255.255.255",
            "' 10.0.0.1 ' | 10.0.0.1",
            "2001:DB8::1 | 2001:db8::1",
            "2001:0db8:0000:0000:0000:0000:0000:0001 | 2001:db8::1",
            "2001:db8:0:0:1:0:0:1 | 2001:db8::1:0:0:1",
            "2001:db8:0:1:1:1:1:1 | 2001:db8:0:1:1:1:1:1",
            "2001:0:0:1:0:0:0:1 | 2001:0:0:1::1",
            ":: | ::",
            "::1 | ::1",
            "1:: | 1::",
            "fd00:: | fd00::",
            "::ffff:192.0.2.1 | ::ffff:192.0.2.1",
            "::FFFF:c000:0201 | ::ffff:192.0.2.1",
            "64:ff9b::198.51.100.7 | 64:ff9b::c633:6407",
            "1:2:3:4:5:6:7:8 | 1:2:3:4:5:6:7:8",
            "1:2:3:4:5:6:7:: | 1:2:3:4:5:6:7:0"})
    void readsAcceptedSpellingsAndWritesTheCanonicalForm(String text, String canonical) {
        assertThat(IpAddress.parse(text)).hasToString(canonical);
        assertThat(IpAddress.parse(canonical)).isEqualTo(IpAddress.parse(text));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
            "010.0.0.1 | octet '010' has a leading zero",
            "10.0.0.01 | octet '01' has a leading zero",
            "10.0.0.256 | octet 256 is above 255",
            "10.0.0 | 3 dot-separated parts",
            "10.1 | 2 dot-separated parts",
            "0x0a.0.0.1 | '0x0a' is not an octet",
            "10.0.0.1. | 5 dot-separated parts",
            "1\u0660.0.0.1 | is not an octet",
            "fe80::1%eth0 | zone ids ('%eth0') are not accepted",
            "[2001:db8::1] | without brackets",
            "2001:db8::1::2 | '::' may appear only once",
            "2001:db8:::1 | '::' may appear only once",
            "1:2:3:4:5:6:7:8:9 | 9 groups and no '::'",
            "1:2:3:4:5:6:7 | 7 groups and no '::'",
            "1:2:3:4::5:6:7:8 | 8 groups besides '::'",
            "2001:db8::12345 | '12345' is not a group",
            "2001:db8::g | 'g' is not a group",
            ":1:2:3:4:5:6:7 | empty group",
            "2001:db8::1: | empty group",
            "::ffff:010.0.0.1 | leading zero",
            "::10.0.0.1:1 | only stand for the last 32 bits",
            "jtelacd.example.com | is not an IP address",
            "\"\" | is not an IP address"})
    void refusesOtherSpellingsSayingWhy(String text, String why) {
        assertThatThrownBy(() -> IpAddress.parse(text))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("'" + text + "' is not a")
                .hasMessageContaining(why);
        assertThat(IpAddress.isLiteral(text)).isFalse();
    }

    @ParameterizedTest
    @CsvSource({
            "10.1.2.3, PRIVATE", "172.16.0.1, PRIVATE", "172.31.255.1, PRIVATE", "172.32.0.1, OTHER",
            "192.168.7.1, PRIVATE", "100.64.1.1, CARRIER_GRADE_NAT", "100.127.255.255, CARRIER_GRADE_NAT",
            "100.128.0.1, OTHER", "203.0.113.10, OTHER", "127.0.0.1, LOOPBACK", "169.254.1.1, LINK_LOCAL",
            "fd00::5, UNIQUE_LOCAL", "fc00::1, UNIQUE_LOCAL", "fe00::1, OTHER", "fe80::1, LINK_LOCAL", "::1, LOOPBACK",
            "2001:db8::1, OTHER", "::ffff:10.20.0.1, PRIVATE", "::ffff:203.0.113.1, OTHER"})
    void classifiesWhatAnAddressIsFor(String text, AddressClass expected) {
        assertThat(IpAddress.parse(text).addressClass()).isEqualTo(expected);
    }

    @Test
    void privateUseIsPrivateUniqueLocalAndCarrierGradeNat() {
        assertThat(IpAddress.parse("10.0.0.1").isPrivateUse()).isTrue();
        assertThat(IpAddress.parse("100.64.0.1").isPrivateUse()).isTrue();
        assertThat(IpAddress.parse("fd00::1").isPrivateUse()).isTrue();
        assertThat(IpAddress.parse("127.0.0.1").isPrivateUse()).isFalse();
        assertThat(IpAddress.parse("198.51.100.40").isPrivateUse()).isFalse();
    }

    @Test
    void anIpv4MappedAddressStaysIpv6ButNamesItsIpv4Node() {
        IpAddress mapped = IpAddress.parse("::ffff:10.20.0.1");
        assertThat(mapped.family()).isEqualTo(IpAddress.Family.IPV6);
        assertThat(mapped.mappedIpv4()).contains(IpAddress.parse("10.20.0.1"));
        assertThat(mapped).isNotEqualTo(IpAddress.parse("10.20.0.1"));
        assertThat(IpAddress.parse("fd00::1").mappedIpv4()).isEmpty();
    }

    @Test
    void bytesRoundTrip() {
        IpAddress a = IpAddress.parse("2001:db8::1");
        assertThat(IpAddress.of(a.bytes())).isEqualTo(a);
        assertThat(IpAddress.parse("192.0.2.1").bytes()).containsExactly(192, 0, 2, 1);
        assertThatThrownBy(() -> IpAddress.of(new byte[5])).hasMessageContaining("4 or 16 bytes, got 5");
    }
}
