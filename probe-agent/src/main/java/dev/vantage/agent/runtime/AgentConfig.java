package dev.vantage.agent.runtime;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * Configuration of the connected agent ({@code vantage-agent run}). Read from
 * {@code config/application.properties} in the working directory, the file named by
 * {@code QUARKUS_CONFIG_LOCATIONS}, system properties, or environment variables
 * ({@code VANTAGE_AGENT_ID}, {@code VANTAGE_AGENT_KAFKA_BOOTSTRAP_SERVERS}, ...). The keys without
 * defaults are only required by {@code run}; it names each missing one.
 */
@ConfigMapping(prefix = "vantage.agent")
public interface AgentConfig {

    /** Stable id of this agent, unique across all sites (letters, digits, '.', '_', '-'). */
    Optional<String> id();

    /** The site this agent belongs to; it reads only that site's task topic. */
    Optional<String> site();

    /** Site file (YAML) whose declared addresses, names and catalog ports form the agent's local scope. */
    Optional<Path> siteFile();

    Kafka kafka();

    /** Coordinator public keys this agent trusts, by key id (base64 X.509 Ed25519 keys). */
    Map<String, String> trustedKeys();

    /**
     * The agent's own Ed25519 key pair, which signs its results: made on the first start (mode 600), reused on every
     * later one. A relative path is taken from the working directory (the state directory under systemd).
     */
    @WithDefault("agent.key")
    Path keyFile();

    /** How many tasks run at the same time. */
    @WithDefault("8")
    int concurrency();

    /** Upper bound on tasks started per second, all targets together. */
    @WithDefault("50")
    double maxTasksPerSecond();

    /** Upper bound on the probing rate of one range sweep, in ports per second (a task asking more is slowed down). */
    @WithDefault("500")
    int maxRangeRate();

    /** Longest validity window of a signed task the agent accepts. */
    @WithDefault("15m")
    Duration maxTaskValidity();

    /** Tolerated clock difference between coordinator and agent. */
    @WithDefault("30s")
    Duration clockSkew();

    /**
     * How often the agent announces itself on the heartbeat topic. A heartbeat that did not get through is sent
     * again after 2 s, then 4, 8, ... s while the broker stays away, never less often than this.
     */
    @WithDefault("30s")
    Duration heartbeatInterval();

    /** How long a shutdown waits for running tasks before handing them back (they are redelivered). */
    @WithDefault("20s")
    Duration shutdownGrace();

    Spool spool();

    interface Kafka {
        /** Kafka bootstrap servers, {@code host:port[,host:port]}. */
        Optional<String> bootstrapServers();

        /**
         * Extra Kafka client properties, e.g. {@code security.protocol=SSL}, {@code ssl.keystore.location},
         * {@code sasl.mechanism=SCRAM-SHA-512}, {@code sasl.jaas.config}.
         */
        Map<String, String> properties();
    }

    interface Spool {
        /** Directory where results wait until the broker has acknowledged them. */
        @WithDefault("spool")
        Path dir();

        /** Most results kept on disk; beyond it the oldest are evicted and counted. */
        @WithDefault("100000")
        int maxFiles();

        /** Most bytes kept on disk. */
        @WithDefault("268435456")
        long maxBytes();
    }
}
