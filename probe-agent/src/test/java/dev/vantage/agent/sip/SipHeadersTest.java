package dev.vantage.agent.sip;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class SipHeadersTest {

    private static SipHeaders headers(String... lines) throws SipFormatException {
        return SipHeaders.parse(List.of(lines), 0);
    }

    @Test
    void readsNamesInAnyCaseAndInCompactForm() throws SipFormatException {
        SipHeaders h = headers("v: SIP/2.0/UDP a", "VIA: SIP/2.0/UDP b", "i: call-1", "l : 0", "f:<sip:x@y>;tag=1");
        assertThat(h.all("Via")).containsExactly("SIP/2.0/UDP a", "SIP/2.0/UDP b");
        assertThat(h.first("call-id")).isEqualTo("call-1");
        assertThat(h.first("Content-Length")).isEqualTo("0");
        assertThat(h.first("FROM")).isEqualTo("<sip:x@y>;tag=1");
        assertThat(h.first("contact")).isNull();
        assertThat(h.fields()).extracting(SipHeaders.Field::name)
                .containsExactly("via", "via", "call-id", "content-length", "from");
    }

    @Test
    void refusesANameThatIsNotAToken() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> headers("Via: a", "Bad Name: b"))
                .isInstanceOf(SipFormatException.class).hasMessageContaining("line 2");
    }

    @Test
    void findsHeaderParametersButNotThoseOfTheUriOrTheDisplayName() {
        String from = "\"A;tag=display\" <sip:a@b;tag=uri;transport=tcp>;tag=real;x-flag";
        assertThat(SipHeaders.param(from, "tag")).isEqualTo("real");
        assertThat(SipHeaders.param(from, "transport")).isNull();
        assertThat(SipHeaders.param(from, "x-flag")).isEmpty();
    }

    @Test
    void readsViaParametersCaseInsensitivelyUpToTheNextValue() {
        String via = "SIP/2.0/UDP [2001:db8::1]:5060;Branch=z9hG4bK-1;rport;received=\"10.0.0.1\", SIP/2.0/UDP b;branch=2";
        assertThat(SipHeaders.param(via, "branch")).isEqualTo("z9hG4bK-1");
        assertThat(SipHeaders.param(via, "rport")).isEmpty();
        assertThat(SipHeaders.param(via, "received")).isEqualTo("10.0.0.1");
        assertThat(SipHeaders.param("SIP/2.0/UDP a, SIP/2.0/UDP b;branch=2", "branch")).isNull();
        assertThat(SipHeaders.param(null, "branch")).isNull();
    }

    @Test
    void findsNoParameterBehindAnUnclosedAngleBracket() {
        assertThat(SipHeaders.param("<sip:a@b;tag=inside", "tag")).isNull();
    }
}
