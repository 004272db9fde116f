package dev.vantage.agent.cli;

import dev.vantage.agent.identity.AgentKey;
import dev.vantage.agent.probe.ProbeContext;
import dev.vantage.agent.probe.ProbeRegistry;
import dev.vantage.agent.runtime.AgentConfig;
import dev.vantage.agent.runtime.AgentConfigRanges;
import dev.vantage.agent.runtime.AgentRuntime;
import dev.vantage.agent.scope.ScopePolicy;
import dev.vantage.agent.transport.AgentKafkaConfig;
import dev.vantage.agent.transport.HeartbeatPublisher;
import dev.vantage.agent.transport.ResultOutbox;
import dev.vantage.agent.transport.ResultSpool;
import dev.vantage.agent.transport.TaskInbox;
import dev.vantage.catalog.Catalogs;
import dev.vantage.catalog.Mode;
import dev.vantage.plan.Plan;
import dev.vantage.plan.Planner;
import dev.vantage.site.Site;
import dev.vantage.site.SiteFileException;
import dev.vantage.site.Sites;
import dev.vantage.site.Vantage;
import dev.vantage.trust.Ed25519Keys;
import dev.vantage.trust.TaskVerifier;
import dev.vantage.wire.ProbeKind;
import org.jboss.logging.Logger;
import picocli.CommandLine.Command;

import java.security.PublicKey;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/**
 * Connected mode: the agent takes signed tasks from Kafka, runs them and publishes the results until
 * it is stopped (SIGTERM / Ctrl-C), then finishes or hands back the running tasks.
 */
@Command(name = "run",
        description = {
                "Run as a connected agent until stopped: signed tasks from Kafka in, results out.",
                "",
                "Reads this agent's signed tasks from its site's Kafka topic, refuses what is",
                "unsigned, expired, replayed or outside the scope its own site file gives it,",
                "runs the probes and publishes the results, signed with the agent's own key",
                "(spooled on disk while the broker is unreachable), and heartbeats that announce",
                "the key. The coordinator counts the results once the key is bound to this agent:",
                "by the site file listing it, or by an operator (a new key needs an operator).",
                "",
                "Configuration: config/application.properties in the working directory, the file",
                "named by QUARKUS_CONFIG_LOCATIONS, -Dkey=value, or environment variables such as",
                "VANTAGE_AGENT_ID. The keys (vantage.agent.*):",
                "  id                      this agent's id, as listed in the site file's vantages",
                "  site-file               the site file; its plan for this agent is the scope",
                "  kafka.bootstrap-servers host:port[,host:port]",
                "  kafka.properties.*      Kafka client security settings (ssl.*, sasl.*)",
                "  trusted-keys.<key-id>   coordinator Ed25519 public key(s), base64",
                "  key-file                this agent's own key pair, which signs its results; made on",
                "                          the first start, mode 600 (default ./agent.key)",
                "  spool.dir               where undelivered results wait (default ./spool)",
                "  concurrency, max-tasks-per-second, max-range-rate, heartbeat-interval, ...",
                "Numbers and durations outside their range (deploy/agent/agent.properties.example)",
                "stop run before it connects, naming the key, the value and the range.",
                "",
                "Exit codes: 0 stopped cleanly, 2 bad configuration."},
        mixinStandardHelpOptions = true)
public class RunCommand implements Callable<Integer> {
    private static final Logger LOG = Logger.getLogger(RunCommand.class);

    private final AgentConfig config;
    private final ProbeRegistry probes;

    public RunCommand(AgentConfig config, ProbeRegistry probes) {
        this.config = config;
        this.probes = probes;
    }

    @Override
    public Integer call() throws Exception {
        Settings settings;
        try {
            settings = Settings.of(config);
        } catch (IllegalArgumentException | SiteFileException e) {
            System.err.println("vantage-agent run: " + e.getMessage());
            return 2;
        }
        AgentKey key;
        try {
            key = AgentKey.loadOrCreate(config.keyFile());
        } catch (IllegalArgumentException e) {
            System.err.println("vantage-agent run: " + e.getMessage());
            return 2;
        }
        LOG.infof(key.created() ? "made a new %s in %s: the coordinator counts this agent's results once the key is "
                + "bound to it (site file listing or an operator's approval)" : "using %s from %s", key,
                config.keyFile().toAbsolutePath());
        AgentKafkaConfig kafka = new AgentKafkaConfig(settings.bootstrap, config.kafka().properties());
        ProbeContext context = new ProbeContext(settings.agentId, AgentVersion.current(), Clock.systemUTC());
        TaskVerifier verifier = new TaskVerifier(settings.keys, config.maxTaskValidity(), config.clockSkew(),
                Clock.systemUTC(), 1_000_000);
        List<String> capabilities = probes.capabilities().stream().map(ProbeKind::wireName).sorted().toList();
        CountDownLatch stopped = new CountDownLatch(1);
        try (ResultOutbox outbox = new ResultOutbox(kafka, new ResultSpool(config.spool().dir(), config.spool().maxFiles(),
                config.spool().maxBytes()), key.signer(), Duration.ofSeconds(5));
             TaskInbox inbox = new TaskInbox(kafka, settings.site.id(), settings.agentId);
             HeartbeatPublisher heartbeat = new HeartbeatPublisher(kafka, settings.agentId, settings.site.id(),
                     settings.roles, AgentVersion.current(), capabilities, key, Clock.systemUTC());
             AgentRuntime runtime = new AgentRuntime(inbox, verifier, settings.scope, probes, outbox, context,
                     config.concurrency(), config.maxTasksPerSecond(), config.maxRangeRate(), config.shutdownGrace())) {
            Thread hook = new Thread(() -> {
                runtime.stop();
                try {
                    stopped.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, "vantage-agent-stop");
            Runtime.getRuntime().addShutdownHook(hook);
            heartbeat.start(config.heartbeatInterval());
            LOG.infof("agent %s of site %s running as %s; scope %s; reading %s from %s", settings.agentId,
                    settings.site.id(), settings.roles, settings.scope.describe(),
                    dev.vantage.wire.Topics.tasks(settings.site.id()), settings.bootstrap);
            runtime.run();
            LOG.infof("stopping: %d task(s) run, %d refused, %d result(s) still spooled", runtime.executed(),
                    runtime.refused(), outbox.pending());
        } finally {
            stopped.countDown();
        }
        return 0;
    }

    /** The validated settings of one run; every problem names the configuration key. */
    private record Settings(String agentId, String bootstrap, Map<String, PublicKey> keys, Site site, List<String> roles,
                            ScopePolicy scope) {
        static Settings of(AgentConfig config) {
            List<String> missing = new ArrayList<>();
            if (config.id().isEmpty()) {
                missing.add("vantage.agent.id");
            }
            if (config.siteFile().isEmpty()) {
                missing.add("vantage.agent.site-file");
            }
            if (config.kafka().bootstrapServers().isEmpty()) {
                missing.add("vantage.agent.kafka.bootstrap-servers");
            }
            if (config.trustedKeys().isEmpty()) {
                missing.add("vantage.agent.trusted-keys.<key-id>");
            }
            if (!missing.isEmpty()) {
                throw new IllegalArgumentException("missing configuration: " + String.join(", ", missing)
                        + " (see 'vantage-agent run --help')");
            }
            List<String> outOfRange = AgentConfigRanges.outOfRange(config);
            if (!outOfRange.isEmpty()) {
                throw new IllegalArgumentException("configuration out of range: " + String.join("; ", outOfRange));
            }
            Map<String, PublicKey> keys = new LinkedHashMap<>();
            config.trustedKeys().forEach((id, text) -> {
                try {
                    keys.put(id, Ed25519Keys.publicKey(text));
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("vantage.agent.trusted-keys." + id + ": " + e.getMessage());
                }
            });
            String agentId = config.id().get();
            Site site = Sites.load(config.siteFile().get());
            if (config.site().isPresent() && !config.site().get().equals(site.id())) {
                throw new IllegalArgumentException("vantage.agent.site is '" + config.site().get() + "' but the site file "
                        + config.siteFile().get() + " describes site '" + site.id() + "'");
            }
            List<String> roles = site.vantages().stream().filter(v -> v.agent().equals(agentId))
                    .map(Vantage::roles).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("vantage.agent.id '" + agentId
                            + "' is not listed under vantages in " + config.siteFile().get() + " (listed: "
                            + site.vantages().stream().map(Vantage::agent).toList() + ")"));
            Planner planner = new Planner();
            List<Plan> plans = new ArrayList<>();
            for (Mode mode : Mode.values()) {
                plans.add(planner.plan(Catalogs.bundled(site.catalog()), site, Set.copyOf(roles), mode));
            }
            return new Settings(agentId, config.kafka().bootstrapServers().get(), keys, site, roles,
                    ScopePolicy.fromPlans(plans));
        }
    }
}
