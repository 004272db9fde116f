package dev.vantage.params;

import dev.vantage.wire.PortRange;
import dev.vantage.wire.ProbeKind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ProbeParamsTest {

    @ParameterizedTest(name = "{0} {1}={2}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
            # kind    | name         | value               | field         | problem
            tcp       | responder    | maybe               | responder     | expected true or false
            tcp       | expectState  | closed              | expectState   | expected one of blocked, reachable, not 'closed'
            tcp       | rate         | 10                  | rate          | is not a parameter of tcp tasks, which take responder, expectState
            udp       | attempts     | 0                   | attempts      | is out of range 1-10
            udp       | payload      | ftp                 | payload       | expected one of dns, echo, sip, not 'ftp'
            udp       | nonce        | short               | nonce         | must be 8-32 characters of [0-9A-Za-z._-]
            tcp-range | concurrency  | 0                   | concurrency   | is out of range 1-4096
            tcp-range | rate         | fast                | rate          | is not a whole number
            tcp-range | detail       | all                 | detail        | expected ports or segments
            udp-range | check        | registry            | check         | expected one of hairpin, not 'registry'
            dns       | record       | MX                  | record        | expected one of A, AAAA, CNAME, SRV, not 'MX'
            dns       | expect       | 10.0.0.1,,10.0.0.2  | expect        | has an empty item; write the values separated by single commas
            dns       | server       | ` `                 | server        | is empty; leave the parameter out for the default
            tls       | sni          | 10.0.0.5            | sni           | is an address; SNI carries host names only
            tls       | public       | yes                 | public        | expected true or false
            tls       | check        | registry            | check         | expected one of interception, not 'registry'
            http      | scheme       | ftp                 | scheme        | expected one of http, https, not 'ftp'
            http      | path         | v2/                 | path          | must start with / and be printable ASCII without spaces
            http      | path         | /a b                | path          | must start with / and be printable ASCII without spaces
            http      | tls          | true                | tls           | is not a parameter of http tasks, which take scheme, path, check, sni, siteHosts
            http      | siteHosts    | a.example.com,a/b   | siteHosts     | 'a/b' is not a host name or an IP address
            ssh       | path         | /                   | path          | is not a parameter of ssh tasks, which take none
            sip       | transport    | sctp                | transport     | expected one of tcp, tls, udp, not 'sctp'
            sip       | sdp          | maybe               | sdp           | expected true or false
            sip       | sni          | -bad-.example.com   | sni           | is not a host name SNI can carry
            nat       | transport    | tls                 | transport     | expected one of tcp, udp, not 'tls'
            nat       | check        | hairpin             | publicAddress | check=hairpin needs the stack's public ip[:port] to reach from inside
            rtp       | duration     | 10m                 | duration      | is longer than the 5 minutes an RTP probe may run
            rtp       | duration     | soon                | duration      | 'soon' is not a duration such as 500ms, 5s, 2m or PT5S
            rtp       | maxLossPct   | -1                  | maxLossPct    | must be a number from 0 to 100
            rtp       | minMos       | high                | minMos        | is not a number
            respond   | serve        | telnet              | serve         | expected one of accept, echo, nat, rtp, sip, not 'telnet'
            respond   | duration     | PT25H               | duration      | is longer than the PT24H a window may last
            respond   | transport    | tls                 | transport     | expected one of tcp, udp, not 'tls'
            respond   | freeOnly     | yes                 | freeOnly      | expected true or false
            """)
    void aMalformedValueNamesTheFieldAndTheValue(String kind, String name, String value, String field, String problem) {
        ProbeKind k = ProbeKind.fromWireName(kind);
        assertThatThrownBy(() -> ProbeParams.of(k, Map.of(name, value), null))
                .isInstanceOfSatisfying(MalformedParamException.class, e -> {
                    assertThat(e.kind()).isEqualTo(k);
                    assertThat(e.field()).isEqualTo(field);
                    assertThat(e.getMessage()).startsWith(kind + " parameter " + field).contains(problem);
                })
                .hasMessageContaining(name + "=" + value);
    }

    @Test
    void aTimeoutThatIsNotPositiveNamesTheTimeout() {
        assertThatThrownBy(() -> TcpParams.of(Map.of(), Duration.ZERO))
                .isInstanceOfSatisfying(MalformedParamException.class, e -> assertThat(e.field()).isEqualTo("timeout"))
                .hasMessage("tcp parameter timeout=PT0S: must be positive");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            tcp       | expectState=blocked&responder=true
            udp       | attempts=1&expectState=blocked&nonce=abcdef123456&payload=sip&responder=true
            tcp-range | check=hairpin&concurrency=8&detail=ports&expectState=blocked&rate=20000&responder=true
            udp-range | attempts=2&check=hairpin&concurrency=4000&detail=ports&nonce=abcdef123456&payload=echo&rate=2000&responder=true
            dns       | attempts=2&expect=10.0.0.9,10.0.0.5&record=AAAA&server=198.51.100.53:53
            tls       | check=interception&public=true&sni=api.example.com
            http      | check=registry&path=/v2/&scheme=https&sni=registry.example.com
            http      | path=/&scheme=http&siteHosts=jtelacd.example.com,10.20.0.10,2001:db8::10
            ssh       |
            sip       | attempts=1&check=hairpin&responder=true&sdp=false&sni=jtelacd.example.com&transport=tls
            rtp       | duration=PT5S&maxJitterMs=30&maxLossPct=1&minMos=3.6&nonce=abcdef123456&rate=50&responder=true
            nat       | attempts=3&check=hairpin&nonce=abcdef123456&publicAddress=203.0.113.10:443&responder=true&transport=tcp
            respond   | duration=PT15M&requirements=inbound.ssh,inbound.ssh-blocked-from-internet&serve=accept&transport=tcp
            respond   | duration=PT3M&freeOnly=true&requirements=inbound.rtp&serve=echo&transport=udp
            """)
    void writesBackWhatItReadInTheSameSpelling(String kind, String query) {
        Map<String, String> params = new java.util.TreeMap<>();
        if (query != null) {
            for (String pair : query.split("&")) {
                params.put(pair.substring(0, pair.indexOf('=')), pair.substring(pair.indexOf('=') + 1));
            }
        }
        assertThat(ProbeParams.of(ProbeKind.fromWireName(kind), params, null).toParams()).isEqualTo(params);
    }

    @Test
    void writesOneSpellingForValuesReadInAnother() {
        assertThat(RtpParams.of(Map.of("duration", "1500ms", "maxLossPct", "1.0", "minMos", "3.60"), null).toParams())
                .isEqualTo(Map.of("duration", "PT1.5S", "maxLossPct", "1", "minMos", "3.6"));
        assertThat(DnsParams.of(Map.of("record", "cname", "expect", "10.0.0.9, 10.0.0.5"), null).toParams())
                .isEqualTo(Map.of("record", "CNAME", "expect", "10.0.0.9,10.0.0.5"));
        assertThat(TcpParams.of(Map.of("responder", "false", "expectState", "reachable"), null).toParams()).isEmpty();
    }

    @Test
    void givesTheProbesDefaultsForWhatIsNotWritten() {
        RtpParams rtp = RtpParams.of(Map.of(), null);
        assertThat(rtp.durationOrDefault()).isEqualTo(Duration.ofSeconds(2));
        assertThat(rtp.rateOrDefault()).isEqualTo(50);
        assertThat(rtp.maxLossPctOrDefault()).isEqualTo(1.0);
        assertThat(rtp.maxJitterMsOrDefault()).isEqualTo(30.0);
        assertThat(rtp.minMosOrDefault()).isEqualTo(3.6);
        assertThat(rtp.timeout()).isEqualTo(DefaultTimeouts.of(ProbeKind.RTP));
        assertThat(TcpRangeParams.of(Map.of(), null).rateOrDefault()).isEqualTo(1000);
        assertThat(UdpRangeParams.of(Map.of(), null).concurrencyOrDefault()).isEqualTo(100);
        assertThat(SipParams.of(Map.of(), null).transportOrDefault()).isEqualTo(Transport.UDP);
        assertThat(SipParams.of(Map.of("transport", "tls"), null).portFor(null)).isEqualTo(5061);
        assertThat(RespondParams.of(Map.of("serve", "rtp"), null).transportOrDefault()).isEqualTo(Transport.UDP);
        assertThat(RespondParams.of(Map.of(), null).durationOrDefault()).isEqualTo(Duration.ofMinutes(15));
        assertThat(HttpParams.of(Map.of("check", "registry"), null).pathOrDefault()).isEqualTo("/v2/");
        assertThat(NatParams.of(Map.of(), null).transportOrDefault()).isEqualTo(Transport.UDP);
    }

    @Test
    void httpsIsTheSchemeTheTaskNamesAndOnlyWithoutOneThePortDecides() {
        assertThat(HttpParams.of(Map.of("scheme", "https"), null).schemeFor(PortRange.of(8443)))
                .isEqualTo(HttpParams.Scheme.HTTPS);
        assertThat(HttpParams.of(Map.of("scheme", "http"), null).schemeFor(PortRange.of(443)))
                .isEqualTo(HttpParams.Scheme.HTTP);
        assertThat(HttpParams.of(Map.of(), null).schemeFor(PortRange.of(443))).isEqualTo(HttpParams.Scheme.HTTPS);
        assertThat(HttpParams.of(Map.of(), null).schemeFor(PortRange.of(8080))).isEqualTo(HttpParams.Scheme.HTTP);
        assertThat(HttpParams.of(Map.of("scheme", "https"), null).portFor(null)).isEqualTo(443);
    }

    @Test
    void sendsTheNamedServerNameElseTheTargetWhenItIsANameButNeverAnAddress() {
        assertThat(TlsParams.of(Map.of("sni", "jtelacd.example.com"), null).serverName("10.20.0.10"))
                .isEqualTo("jtelacd.example.com");
        assertThat(TlsParams.of(Map.of(), null).serverName("api.example.com")).isEqualTo("api.example.com");
        assertThat(TlsParams.of(Map.of(), null).serverName("10.20.0.10")).isNull();
        assertThat(TlsParams.of(Map.of(), null).serverName("2001:db8::10")).isNull();
        assertThat(HttpParams.of(Map.of("sni", "a.example.com"), null).serverName("10.0.0.1", PortRange.of(80)))
                .as("plain http sends no SNI").isNull();
        assertThat(SipParams.of(Map.of("transport", "udp", "sni", "a.example.com"), null).serverName("10.0.0.1"))
                .isNull();
        assertThat(SipParams.of(Map.of("transport", "tls", "sni", "a.example.com"), null).serverName("10.0.0.1"))
                .isEqualTo("a.example.com");
    }

    @Test
    void knowsWhichKindsTakeTheParametersThePlannerAdds() {
        assertThat(java.util.Arrays.stream(ProbeKind.values()).filter(ProbeParams::takesResponder).map(ProbeKind::wireName))
                .containsExactly("tcp", "udp", "tcp-range", "udp-range", "sip", "rtp", "nat");
        assertThat(java.util.Arrays.stream(ProbeKind.values()).filter(ProbeParams::takesExpectState).map(ProbeKind::wireName))
                .containsExactly("tcp", "udp", "tcp-range", "udp-range");
    }

    @Test
    void readsATaskOnlyAsItsOwnKind() {
        var task = new dev.vantage.wire.ProbeTask(1, "t", null, "s", "v", null, "r", ProbeKind.TCP, "10.0.0.1",
                PortRange.of(22), Map.of(), null);
        assertThat(ProbeParams.read(task)).isEqualTo(new TcpParams(false, ExpectState.REACHABLE, Duration.ofSeconds(3)));
        assertThatThrownBy(() -> UdpParams.read(task)).isInstanceOf(IllegalArgumentException.class);
    }
}
