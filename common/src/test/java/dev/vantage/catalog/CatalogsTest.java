package dev.vantage.catalog;

import dev.vantage.wire.PortRange;
import dev.vantage.wire.ProbeKind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CatalogsTest {

    private static final String VALID = """
            catalog: tiny
            title: A tiny catalog
            document: docs/requirements/network-requirements.txt
            roles:
              acd-stack: {title: The stack, zone: inside}
              trunk: {title: The trunk, zone: outside}
            modules:
              sbc: The SBC
            requirements:
              - id: inbound.sip-udp
                title: SIP over UDP
                refs: [{table: SIP, row: "5060 | TCP/UDP"}]
                direction: inbound
                protocol: udp
                ports: 5060
                sources: [trunk]
                destination: {role: acd-stack}
                expect: reachable
                probes: [{kind: sip, params: {transport: udp}}]
                severity: critical
            """;

    @Test
    void loadsBothBundledCatalogs() {
        Catalog stack = Catalogs.bundled("jtel-container-stack");
        Catalog legacy = Catalogs.bundled("jtel-acd-legacy");
        assertThat(stack.requirements()).hasSizeGreaterThan(30);
        assertThat(legacy.requirements()).hasSizeGreaterThan(20);
        Requirement rtp = stack.requirement("inbound.rtp").orElseThrow();
        assertThat(rtp.ports()).containsExactly(PortRange.parse("30000-34999"));
        assertThat(rtp.protocol()).isEqualTo(Protocol.UDP);
        assertThat(rtp.sources()).contains("trunk", "pbx");
        assertThat(rtp.probes()).extracting(ProbeSpec::kind).contains(ProbeKind.UDP_RANGE, ProbeKind.RTP);
        assertThat(legacy.requirement("legacy.pcs-2224").orElseThrow().when().topology()).isEqualTo(Topology.REDUNDANT);
    }

    @Test
    void marksTheRtpRangesAsMediaPorts() {
        assertThat(Catalogs.bundled("jtel-container-stack").requirements()).filteredOn(Requirement::media)
                .extracting(Requirement::id)
                .containsExactlyInAnyOrder("inbound.rtp", "inbound.sbc-rtp", "nat.port-forward-rtp", "nat.hairpin-rtp");
        assertThat(Catalogs.bundled("jtel-acd-legacy").requirements()).noneMatch(Requirement::media);
    }

    @Test
    void recordsTheChoiceWhereTheDocumentContradictsItself() {
        assertThat(Catalogs.bundled("jtel-container-stack").requirement("inbound.sip-tcp").orElseThrow().note())
                .contains("UDP only");
        assertThat(Catalogs.bundled("jtel-acd-legacy").requirement("legacy.sip").orElseThrow().note())
                .contains("UDP only");
    }

    @Test
    void impliesThatAdminAndDatabasePortsAreBlockedFromTheInternet() {
        Catalog stack = Catalogs.bundled("jtel-container-stack");
        assertThat(stack.requirements()).filteredOn(r -> r.expect() == Expectation.BLOCKED)
                .allMatch(r -> r.sources().equals(java.util.List.of("internet")))
                .flatExtracting(Requirement::ports)
                .containsExactlyInAnyOrder(PortRange.of(22), PortRange.of(7777), PortRange.parse("3306-3308"));
    }

    @Test
    void rejectsAnUnknownCatalogNamingTheKnownOnes() {
        assertThatThrownBy(() -> Catalogs.bundled("jtel-nope"))
                .isInstanceOf(CatalogException.class)
                .hasMessage("jtel-nope: no such catalog, known catalogs: jtel-container-stack, jtel-acd-legacy");
    }

    @Test
    void parsesAMinimalCatalog() {
        Catalog c = Catalogs.parse("tiny.yaml", VALID);
        assertThat(c.requirement("inbound.sip-udp").orElseThrow().probes().get(0).params())
                .containsEntry("transport", "udp");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
            unknown key | severity: critical | severity: critical\\n    colour: red | tiny.yaml: requirements[inbound.sip-udp].colour: unknown key 'colour', allowed here: id, title, refs, direction, protocol, ports, sources, destination, when, expect, probes, severity, responder, media, note
            unknown source role | sources: [trunk] | sources: [trunk, carrier] | tiny.yaml: requirements[inbound.sip-udp].sources[1]: unknown role 'carrier', the catalog's roles are acd-stack, trunk
            port out of range | ports: 5060 | ports: 70000 | tiny.yaml: requirements[inbound.sip-udp].ports: port 70000 is out of range 1-65535 (ports are 1-65535, written 5060, 30000-34999 or "80, 443")
            kind misfits protocol | [{kind: sip, params: {transport: udp}}] | [tls] | tiny.yaml: requirements[inbound.sip-udp].probes[0]: probe kind tls does not fit protocol udp
            unknown kind | [{kind: sip, params: {transport: udp}}] | [ping] | tiny.yaml: requirements[inbound.sip-udp].probes[0]: unknown probe kind 'ping', expected one of tcp, udp, tcp-range, udp-range, dns, tls, http, ssh, sip, rtp, nat, respond
            control kind | [{kind: sip, params: {transport: udp}}] | [close] | tiny.yaml: requirements[inbound.sip-udp].probes[0]: close is what the coordinator sends when a survey completes, not a probe of a catalog
            unknown param | transport: udp | transprt: udp | tiny.yaml: requirements[inbound.sip-udp].probes[0].params.transprt: unknown or planner-owned task parameter 'transprt', a catalog may set check, concurrency, duration, maxJitterMs, maxLossPct, minMos, path, rate, record, scheme, sni, transport
            param of another kind | transport: udp | transport: udp, rate: "5" | tiny.yaml: requirements[inbound.sip-udp].probes[0].params.rate: sip parameter rate=5: is not a parameter of sip tasks, which take transport, check, sni, sdp, attempts, responder
            bad param value | transport: udp | transport: sctp | tiny.yaml: requirements[inbound.sip-udp].probes[0].params.transport: sip parameter transport=sctp: expected one of tcp, tls, udp, not 'sctp'
            bad expectation | expect: reachable | expect: open | tiny.yaml: requirements[inbound.sip-udp].expect: 'open' is not allowed, expected one of reachable, blocked, resolves-internal, resolves-external, no-interception, no-proxy, hairpin-works, nat-allowed
            unknown module | expect: reachable | expect: reachable\\n    when: {modules: [fax]} | tiny.yaml: requirements[inbound.sip-udp].when.modules[0]: unknown module 'fax', the catalog's modules are sbc
            wildcard needs override | {role: acd-stack} | {hosts: ["*.example.com"]} | tiny.yaml: requirements[inbound.sip-udp].destination.hosts: a wildcard host needs an override key, so a site can name the real host
            missing field | severity: critical | note: none | tiny.yaml: requirements[inbound.sip-udp].severity: missing, this field is required
            media without a responder | severity: critical | severity: critical\\n    responder: never\\n    media: true | tiny.yaml: requirements[inbound.sip-udp].media: only udp ports of a role destination that opens a responder can be media ports
            """)
    void rejectsAFaultNamingFilePathAndValue(String fault, String find, String replace, String message) {
        String yaml = VALID.replace(find, replace.replace("\\n", "\n"));
        assertThat(yaml).as("fixture applies").isNotEqualTo(VALID);
        assertThatThrownBy(() -> Catalogs.parse("tiny.yaml", yaml))
                .isInstanceOf(CatalogException.class)
                .hasMessage(message);
    }

    @Test
    void readsAProbesParametersWithTheKindItIsPlannedAsOnARange() {
        String sweep = VALID.replace("ports: 5060", "ports: 30000-34999")
                .replace("[{kind: sip, params: {transport: udp}}]", "[{kind: udp, params: {rate: \"2000\"}}]");
        assertThat(Catalogs.parse("tiny.yaml", sweep).requirements().get(0).probes().get(0).params())
                .containsEntry("rate", "2000");
        assertThatThrownBy(() -> Catalogs.parse("tiny.yaml", sweep.replace("30000-34999", "5060")))
                .hasMessage("tiny.yaml: requirements[inbound.sip-udp].probes[0].params.rate: udp parameter rate=2000: "
                        + "is not a parameter of udp tasks, which take responder, expectState, attempts, payload, nonce");
    }

    @Test
    void rejectsAProbeTheResponderCannotAnswerBeforeInstallation() {
        String tls = VALID.replace("protocol: udp", "protocol: tcp").replace("ports: 5060", "ports: 5061")
                .replace("[{kind: sip, params: {transport: udp}}]", "[tls]");
        assertThatThrownBy(() -> Catalogs.parse("tiny.yaml", tls))
                .hasMessage("tiny.yaml: requirements[inbound.sip-udp].probes[0]: a tls probe cannot be answered by the "
                        + "responder this requirement opens before installation; add mode: post-install or set "
                        + "responder: never");
        assertThat(Catalogs.parse("tiny.yaml", tls.replace("[tls]", "[{kind: tls, mode: post-install}]"))
                .requirements()).hasSize(1);
    }

    @Test
    void rejectsAProbeThatCannotProveAPortIsBlocked() {
        String blocked = VALID.replace("expect: reachable", "expect: blocked\n    responder: never");
        assertThatThrownBy(() -> Catalogs.parse("tiny.yaml", blocked))
                .hasMessage("tiny.yaml: requirements[inbound.sip-udp].probes[0]: a sip probe cannot prove a port is "
                        + "blocked; use tcp or udp");
        assertThat(Catalogs.parse("tiny.yaml", blocked.replace("[{kind: sip, params: {transport: udp}}]", "[udp]"))
                .requirements()).hasSize(1);
    }

    @Test
    void rejectsADuplicateRequirementId() {
        String twice = VALID + VALID.substring(VALID.indexOf("  - id:"));
        assertThatThrownBy(() -> Catalogs.parse("tiny.yaml", twice))
                .hasMessage("tiny.yaml: requirements[1].id: duplicate requirement id 'inbound.sip-udp'");
    }
}
