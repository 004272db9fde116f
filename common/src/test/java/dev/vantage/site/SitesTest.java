package dev.vantage.site;

import dev.vantage.catalog.Catalogs;
import dev.vantage.catalog.Topology;
import dev.vantage.catalog.Zone;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SitesTest {
    static final Path EXAMPLE = Path.of("..", "deploy", "examples", "site-example.yaml");
    static final Path LEGACY_EXAMPLE = Path.of("..", "deploy", "examples", "site-legacy-example.yaml");
    private static final Path FIXTURES = Path.of("src", "test", "resources", "sites");

    @Test
    void readsTheExampleSite() {
        Site site = Sites.load(EXAMPLE);
        assertThat(site.id()).isEqualTo("example-berlin");
        assertThat(site.fqdn()).isEqualTo("jtelacd.example.com");
        assertThat(site.topology()).isEqualTo(Topology.NON_REDUNDANT);
        assertThat(site.modules()).containsExactlyInAnyOrderElementsOf(
                Catalogs.bundled("jtel-container-stack").modules().keySet());
        SiteRole stack = site.role("acd-stack").orElseThrow();
        assertThat(stack.addresses()).extracting(Address::text).containsExactly("10.20.0.10");
        assertThat(stack.public_()).extracting(Address::text).containsExactly("203.0.113.10");
        assertThat(site.role("end-users").orElseThrow().addresses().get(0).type()).isEqualTo(Address.Type.CIDR);
        assertThat(site.destinations().get("azure-blob").host()).isEqualTo("examplebackup.blob.core.windows.net");
        assertThat(site.hasVantage("trunk")).isTrue();
        assertThat(site.hasVantage("sbc")).isFalse();
    }

    @Test
    void readsTheLegacyExampleSite() {
        Site site = Sites.load(LEGACY_EXAMPLE);
        assertThat(site.catalog()).isEqualTo("jtel-acd-legacy");
        assertThat(site.topology()).isEqualTo(Topology.REDUNDANT);
        assertThat(site.role("acd-lb").orElseThrow().addresses()).hasSize(2);
    }

    @Test
    void expectsTheStackAddressesInDnsWhenTheSiteSaysNothing() {
        Site site = Sites.parse("s.yaml", """
                site: s
                catalog: jtel-container-stack
                fqdn: a.example.com
                topology: non-redundant
                roles:
                  acd-stack: {addresses: [10.0.0.5, 10.0.0.0/24], public: [203.0.113.5]}
                """, Catalogs::bundled);
        assertThat(site.dnsInternal()).containsExactly("10.0.0.5");
        assertThat(site.dnsExternal()).containsExactly("203.0.113.5");
    }

    @Test
    void keepsARoleZoneOverride() {
        Site site = Sites.parse("s.yaml", """
                site: s
                catalog: jtel-container-stack
                fqdn: a.example.com
                topology: non-redundant
                roles:
                  sbc: {addresses: [198.51.100.9], zone: outside}
                """, Catalogs::bundled);
        assertThat(site.role("sbc").orElseThrow().zone()).isEqualTo(Zone.OUTSIDE);
    }

    @Test
    void namesTheFileWhenItDoesNotExist() {
        assertThatThrownBy(() -> Sites.load(Path.of("no-such-site.yaml")))
                .isInstanceOf(SiteFileException.class)
                .hasMessage("no-such-site.yaml: no such file");
    }

    static Stream<String> invalidFixtures() throws IOException {
        try (Stream<Path> files = Files.list(FIXTURES)) {
            List<String> names = files.map(p -> p.getFileName().toString())
                    .filter(n -> n.startsWith("invalid-")).sorted().toList();
            assertThat(names).hasSizeGreaterThanOrEqualTo(15);
            return names.stream();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidFixtures")
    void rejectsTheInvalidFixtureWithItsOneLineMessage(String name) throws IOException {
        String text = Files.readString(FIXTURES.resolve(name));
        String first = text.lines().findFirst().orElseThrow();
        assertThatThrownBy(() -> Sites.parse(name, text, Catalogs::bundled))
                .isInstanceOf(SiteFileException.class)
                .satisfies(e -> {
                    assertThat(e.getMessage()).doesNotContain("\n");
                    if (first.startsWith("# expect: ")) {
                        assertThat(e).hasMessage(first.substring("# expect: ".length()));
                    } else {
                        assertThat(first).startsWith("# expect-prefix: ");
                        assertThat(e).hasMessageStartingWith(first.substring("# expect-prefix: ".length()));
                    }
                });
    }

    @Test
    void carriesFilePathAndValueForCallersThatShowThemApart() {
        SiteFileException e = org.junit.jupiter.api.Assertions.assertThrows(SiteFileException.class,
                () -> Sites.parse("x.yaml", """
                        site: s
                        catalog: jtel-container-stack
                        fqdn: a.example.com
                        topology: non-redundant
                        roles:
                          acd-stack: {addresses: [10.0.0.0/40]}
                        """, Catalogs::bundled));
        assertThat(e.file()).isEqualTo("x.yaml");
        assertThat(e.path()).isEqualTo("roles.acd-stack.addresses[0]");
        assertThat(e.value()).isEqualTo("10.0.0.0/40");
    }
}
