package dev.vantage.system;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The whole system in the network lab with Kafka as production runs it ({@code deploy/local/services up --tls}): TLS
 * with client certificates and ACLs; the coordinator and each of the five agents connect with a certificate of their
 * own ({@code User:vantage-coordinator}, {@code User:agent-<id>}) and only the ACLs of deploy/kafka/README.md. One
 * scenario, surveyed as {@link LabScenariosIT} surveys every scenario over plain text, gives exactly its verdicts.
 *
 * <p>Own lab prefix ({@code vtls}), ports (Kafka 19792, PostgreSQL 15832, HTTP 18680) and state directory. Needs root
 * (network namespaces), openssl and keytool; skipped with the reason printed otherwise.
 */
class KafkaTlsLabIT {
    private static final Path STATE = Path.of("target/tls-services").toAbsolutePath();
    private static LabSystem system;

    @BeforeAll
    static void startTheSystemWithKafkaOverTls() throws Exception {
        String missing = "root".equals(System.getProperty("user.name")) ? Scripts.missingCommand(List.of("openssl", "keytool"))
                : "root (network namespaces, nftables)";
        if (missing != null) {
            System.out.println("SKIP KafkaTlsLabIT: it needs " + missing);
        }
        assumeTrue(missing == null, "needs " + missing);
        system = new LabSystem(new LabSystem.Settings("vtls", STATE,
                Path.of("target/tls-lab-logs").toAbsolutePath(), 19792, 15832, 18680, true));
        system.start("rtp-partial");
    }

    @AfterAll
    static void stopTheSystem() throws Exception {
        if (system != null) {
            system.stop();
        }
    }

    @Test
    void theAgentsSurveyOverTlsWithTheirOwnCertificatesAndGiveTheScenariosVerdicts() throws Exception {
        Map<String, String> env = Scripts.readEnv(STATE.resolve("env"));
        assertThat(env).containsKey("VANTAGE_KAFKA_TLS");
        for (String agent : LabSystem.AGENTS.keySet()) {
            assertThat(Files.readString(STATE.resolve("agents/" + agent + "/kafka.properties")))
                    .as("the Kafka settings of %s", agent)
                    .contains("vantage.agent.kafka.properties.security.protocol=SSL")
                    .contains("vantage.agent.kafka.properties.ssl.keystore.location=" + env.get("VANTAGE_KAFKA_TLS")
                            + "/agent-" + agent + ".p12");
        }
        system.surveyGivesTheExpectedVerdicts(Scenario.read(Scripts.TOP.resolve("deploy/lab/scenarios/rtp-partial.scenario")));
    }
}
