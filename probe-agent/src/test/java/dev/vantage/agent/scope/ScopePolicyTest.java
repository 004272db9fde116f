package dev.vantage.agent.scope;

import dev.vantage.catalog.Catalog;
import dev.vantage.catalog.Catalogs;
import dev.vantage.catalog.Mode;
import dev.vantage.plan.Plan;
import dev.vantage.plan.Planner;
import dev.vantage.site.Site;
import dev.vantage.site.Sites;
import dev.vantage.wire.PortRange;
import dev.vantage.wire.ProbeKind;
import dev.vantage.wire.ProbeTask;
import dev.vantage.wire.Wire;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Set;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ScopePolicyTest {
    private final ScopePolicy scope = new ScopePolicy(
            List.of("10.20.0.0/24", "203.0.113.7", "2001:db8::/64"),
            List.of("jtelacd.example.com", "*.blob.core.windows.net", "bitbucket.org."),
            List.of(PortRange.of(22), PortRange.of(443), PortRange.parse("30000-34999")));

    @Test
    void allowsDeclaredAddressesNetworksAndNames() {
        assertThat(scope.refusal(task("10.20.0.5", "443"))).isEmpty();
        assertThat(scope.refusal(task("203.0.113.7", "30000-31999"))).isEmpty();
        assertThat(scope.refusal(task("2001:db8::5", "22"))).isEmpty();
        assertThat(scope.refusal(task("JTELACD.example.com.", "443"))).isEmpty();
        assertThat(scope.refusal(task("acme.blob.core.windows.net", "443"))).isEmpty();
        assertThat(scope.refusal(task("bitbucket.org", "22"))).isEmpty();
    }

    @Test
    void refusesTargetsOutsideTheSite() {
        assertThat(scope.refusal(task("10.20.1.5", "443"))).get().asString()
                .contains("target '10.20.1.5' is outside this agent's scope");
        assertThat(scope.refusal(task("203.0.113.8", "443"))).isPresent();
        assertThat(scope.refusal(task("blob.core.windows.net", "443"))).as("wildcard needs a label").isPresent();
        assertThat(scope.refusal(task("evil-blob.core.windows.net.attacker.io", "443"))).isPresent();
        assertThat(scope.refusal(task("example.com", "443"))).isPresent();
    }

    @Test
    void refusesPortsThatAreNoCatalogPort() {
        assertThat(scope.refusal(task("10.20.0.5", "23"))).get().asString()
                .isEqualTo("port 23 is not a catalog port of this agent's scope");
        assertThat(scope.refusal(task("10.20.0.5", "29999-30010"))).as("a range must lie inside one allowed range")
                .isPresent();
        assertThat(scope.refusal(task("10.20.0.5", "1-65535"))).isPresent();
    }

    @Test
    void refusesOutOfScopeResolverOrPublicAddressParameters() {
        ProbeTask dns = new ProbeTask(Wire.SCHEMA_VERSION, "t", null, "s", "v", null, "r", ProbeKind.DNS,
                "jtelacd.example.com", null, Map.of("server", "198.51.100.53:53"), Duration.ofSeconds(1));
        assertThat(scope.refusal(dns)).get().asString().contains("server='198.51.100.53:53'");
    }

    @Test
    void scopeFromTheSitePlanAllowsExactlyWhatThePlannerWouldAsk() {
        Site site = Sites.load(Path.of("../deploy/examples/site-example.yaml"));
        Catalog catalog = Catalogs.bundled(site.catalog());
        List<Plan> plans = new ArrayList<>();
        for (Mode mode : Mode.values()) {
            plans.add(new Planner().plan(catalog, site, Set.of("end-users", "admin-network", "reporting-users"), mode));
        }
        ScopePolicy lan = ScopePolicy.fromPlans(plans);

        assertThat(lan.refusal(task("10.20.0.10", "443"))).as("the stack's internal address, HTTPS").isEmpty();
        assertThat(lan.refusal(task("10.20.0.10", "22"))).as("SSH from the admin network").isEmpty();
        assertThat(lan.refusal(task("10.20.0.10", "3389"))).as("RDP is not in this catalog").isPresent();
        assertThat(lan.refusal(task("10.20.0.11", "443"))).as("a neighbour of the stack").isPresent();
        assertThat(lan.refusal(task("10.20.10.5", "443"))).as("another end user").isPresent();
    }

    @Test
    void rejectsBadNetworksWhenBuilt() {
        assertThatThrownBy(() -> new ScopePolicy(List.of("10.0.0.0/33"), List.of(), List.of()))
                .hasMessageContaining("'10.0.0.0/33' is not a CIDR block: the prefix length must be 0-32");
        assertThatThrownBy(() -> new ScopePolicy(List.of("intranet.local/24"), List.of(), List.of()))
                .hasMessageContaining("'intranet.local/24' is not a CIDR block: 'intranet.local' is not an IP address");
    }

    private static ProbeTask task(String target, String ports) {
        return new ProbeTask(Wire.SCHEMA_VERSION, "t", null, "s", "v", null, "r", ProbeKind.TCP, target,
                PortRange.parse(ports), Map.of(), Duration.ofSeconds(1));
    }
}
