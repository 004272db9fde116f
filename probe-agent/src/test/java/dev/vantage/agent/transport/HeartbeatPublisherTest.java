package dev.vantage.agent.transport;

import dev.vantage.agent.identity.AgentKey;
import dev.vantage.testing.KafkaClients;
import dev.vantage.testing.TestKafka;
import dev.vantage.trust.Ed25519Keys;
import dev.vantage.wire.Heartbeat;
import dev.vantage.wire.Topics;
import dev.vantage.wire.Wire;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class HeartbeatPublisherTest {

    @Test
    void announcesIdentityRolesCapabilitiesClockPublicKeyAndStartKeyedByAgentId(@TempDir Path state) {
        String agentId = "agent-" + java.util.UUID.randomUUID();
        Instant clock = Instant.parse("2026-11-26T07:00:00Z");
        AgentKey key = AgentKey.loadOrCreate(state.resolve("agent.key"));
        try (HeartbeatPublisher publisher = new HeartbeatPublisher(AgentKafkaConfig.plaintext(TestKafka.bootstrapServers()),
                agentId, "acme", List.of("end-users", "admin-network"), "1.2.3", List.of("dns", "tcp"), key,
                Clock.fixed(clock, ZoneOffset.UTC))) {
            publisher.start(Duration.ofMillis(200));
            List<Heartbeat> seen = new ArrayList<>();
            KafkaClients.readUntil(TestKafka.bootstrapServers(), Topics.HEARTBEATS, Duration.ofSeconds(30), r -> {
                if (agentId.equals(r.key())) {
                    seen.add(Wire.decode(r.value(), Heartbeat.class));
                }
            }, () -> seen.size() >= 2);
            assertThat(seen.get(0)).isEqualTo(new Heartbeat(Wire.SCHEMA_VERSION, agentId, "acme",
                    List.of("end-users", "admin-network"), "1.2.3", List.of("dns", "tcp"), clock, key.publicKeyText(),
                    key.keyId(), clock));
            assertThat(Ed25519Keys.fingerprint(Ed25519Keys.publicKey(seen.get(0).publicKey())))
                    .isEqualTo(seen.get(0).keyId());
        }
    }

    @Test
    void aHeartbeatThatDidNotGetThroughIsSentAgainWithinSecondsNotAnIntervalLater(@TempDir Path state) throws Exception {
        String agentId = "agent-" + java.util.UUID.randomUUID();
        AgentKey key = AgentKey.loadOrCreate(state.resolve("agent.key"));
        String broker = TestKafka.bootstrapServers();
        int port;
        try (ServerSocket reserved = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            port = reserved.getLocalPort();
        }
        // the agent's bootstrap address: nothing listens there at first, later it forwards to the broker (whose
        // metadata then sends the client to the broker itself)
        try (HeartbeatPublisher publisher = new HeartbeatPublisher(AgentKafkaConfig.plaintext("127.0.0.1:" + port),
                agentId, "acme", List.of("end-users"), "1.2.3", List.of("tcp"), key, Clock.systemUTC())) {
            // the first heartbeat goes out at once and gives up after the producer's 2 s max.block; the next one by
            // the interval would come in an hour
            publisher.start(Duration.ofHours(1));
            Thread.sleep(2_500);
            try (Forwarder ignored = new Forwarder(port, broker)) {
                List<Heartbeat> seen = new ArrayList<>();
                KafkaClients.readUntil(broker, Topics.HEARTBEATS, Duration.ofSeconds(30), r -> {
                    if (agentId.equals(r.key())) {
                        seen.add(Wire.decode(r.value(), Heartbeat.class));
                    }
                }, () -> !seen.isEmpty());
                assertThat(seen.get(0).agentId()).isEqualTo(agentId);
            }
        }
    }

    @Test
    void whileTheBrokerStaysAwayTheRetriesBackOffUpToTheInterval() {
        Duration interval = Duration.ofSeconds(30);
        assertThat(List.of(0, 1, 2, 3, 4, 5, 40).stream().map(n -> HeartbeatPublisher.retryDelay(n, interval)).toList())
                .containsExactly(Duration.ofSeconds(2), Duration.ofSeconds(4), Duration.ofSeconds(8), Duration.ofSeconds(16),
                        interval, interval, interval);
        assertThat(HeartbeatPublisher.retryDelay(3, Duration.ofSeconds(1))).as("an interval shorter than the first retry")
                .isEqualTo(HeartbeatPublisher.RETRY);
    }

    /** Accepts on a loopback port and pipes every connection to {@code target} (host:port), both ways. */
    private static final class Forwarder implements AutoCloseable {
        private final ServerSocket server;

        Forwarder(int port, String target) throws IOException {
            server = new ServerSocket(port, 50, InetAddress.getLoopbackAddress());
            String host = target.substring(0, target.lastIndexOf(':'));
            int targetPort = Integer.parseInt(target.substring(target.lastIndexOf(':') + 1));
            daemon(() -> {
                while (!server.isClosed()) {
                    try {
                        Socket in = server.accept();
                        Socket out = new Socket(host, targetPort);
                        pipe(in, out);
                        pipe(out, in);
                    } catch (IOException closed) {
                        return;
                    }
                }
            });
        }

        private static void pipe(Socket from, Socket to) {
            daemon(() -> {
                try (from; to) {
                    from.getInputStream().transferTo(to.getOutputStream());
                } catch (IOException ended) {
                    // either side closed
                }
            });
        }

        private static void daemon(Runnable run) {
            Thread t = new Thread(run, "forwarder");
            t.setDaemon(true);
            t.start();
        }

        @Override
        public void close() throws IOException {
            server.close();
        }
    }
}
