package dev.vantage.coordinator;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;
import java.time.Period;
import java.util.Optional;

/**
 * Every {@code vantage.*} setting of the coordinator, validated at startup. Each key can be set as an
 * environment variable too ({@code VANTAGE_SIGNING_KEY_ID} for {@code vantage.signing.key-id}).
 */
@ConfigMapping(prefix = "vantage")
public interface CoordinatorConfig {

    Signing signing();

    Surveys surveys();

    Dispatch dispatch();

    Ingest ingest();

    Agents agents();

    Api api();

    Auth auth();

    Partitions partitions();

    Results results();

    interface Signing {
        /** Id of the key tasks are signed with; agents look it up in their {@code vantage.agent.trusted-keys.<id>}. */
        String keyId();

        /** The coordinator's Ed25519 private key, base64 PKCS#8 (or PEM). Keep it in a secret, never in a file in git. */
        String privateKey();

        /** How long a signed task stays valid after dispatch; agents refuse longer windows than their own limit (15m by default). */
        @WithDefault("10m")
        @DurationRange(min = "10s", max = "1d")
        Duration taskValidity();
    }

    interface Surveys {
        /** How long a survey waits for results before the missing ones become INCONCLUSIVE, unless the request sets a deadline. */
        @WithDefault("20m")
        @DurationRange(min = "10s", max = "7d")
        Duration defaultDeadline();

        /** The longest deadline a request may ask for. */
        @WithDefault("2h")
        @DurationRange(min = "10s", max = "7d")
        Duration maxDeadline();

        /** How often a replica looks for surveys whose deadline has passed. */
        @WithDefault("5s")
        @DurationRange(min = "100ms", max = "1h")
        Duration deadlineCheckInterval();

        /**
         * How long the responders of a survey stay open (pre-install surveys, the NAT check's responder in every
         * mode, the media option of post-install surveys), unless the request sets {@code responderWindow}. Every
         * probe of the survey must run within it; agents report a window as soon as it is open and again, with what
         * reached it, when it closes (at the latest when its survey's probes are done and it is told to close).
         */
        @WithDefault("3m")
        @DurationRange(min = "20s", max = "7d")
        Duration responderWindow();

        /**
         * How long a survey whose tasks are all answered waits for the closing reports of its responder windows
         * (what reached them) before it is analysed without the missing ones; the deadline still applies.
         */
        @WithDefault("20s")
        @DurationRange(min = "0s", max = "1h")
        Duration receiptGrace();

        /**
         * How long after its responder tasks a survey's probes are dispatched at the latest, so that the responders
         * have reached their agents and opened before the first probe arrives; they go out earlier, as soon as
         * every responder window of the survey has reported.
         */
        @WithDefault("5s")
        @DurationRange(min = "0s", max = "1h")
        Duration responderLead();

        /** How often a replica looks for scheduled surveys that are due (schedules are per minute). */
        @WithDefault("30s")
        @DurationRange(min = "100ms", max = "1h")
        Duration scheduleCheckInterval();
    }

    interface Dispatch {
        /** How often the dispatcher looks for outbox rows. */
        @WithDefault("1s")
        @DurationRange(min = "10ms", max = "1h")
        Duration interval();

        /** Outbox rows one replica claims per transaction. */
        @WithDefault("500")
        @IntRange(min = 1, max = 10_000)
        int batchSize();

        /** How long the dispatcher waits for the broker to confirm a batch before it gives the rows back. */
        @WithDefault("30s")
        @DurationRange(min = "1s", max = "10m")
        Duration sendTimeout();
    }

    interface Ingest {
        /** How long ingest waits before retrying a batch while PostgreSQL is unreachable (doubles up to 30 s). */
        @WithDefault("500ms")
        @DurationRange(min = "10ms", max = "30s")
        Duration retryBackoff();

        /** How far a result's start time may lie ahead of the coordinator's clock (agent clock skew). */
        @WithDefault("5m")
        @DurationRange(min = "0s", max = "1d")
        Duration clockSkew();

        /**
         * How many dispatched tasks ingest keeps in memory to check results against (surveys most recently
         * answered, about 100 bytes a task, so at most about 100 MB by default; real surveys have hundreds of
         * tasks); a survey with more tasks is looked up batch by batch.
         */
        @WithDefault("1000000")
        @IntRange(min = 0, max = 100_000_000)
        int keptTasks();
    }

    interface Agents {
        /** An agent whose last heartbeat is older than this is shown offline. */
        @WithDefault("90s")
        @DurationRange(min = "1s", max = "7d")
        Duration offlineAfter();
    }

    interface Api {
        /** Page size when a request does not ask for one. */
        @WithDefault("100")
        @IntRange(min = 1, max = 100_000)
        int defaultPageSize();

        /** Largest page size a request may ask for. */
        @WithDefault("1000")
        @IntRange(min = 1, max = 100_000)
        int maxPageSize();

        /** Longest time range a history request may ask for. */
        @WithDefault("P31D")
        @DurationRange(min = "1m", max = "3660d")
        Duration maxTimeRange();
    }

    interface Auth {
        /** A token with the admin role accepted in addition to the stored ones, to create the first tokens; unset disables it. */
        Optional<String> bootstrapAdminToken();
    }

    interface Partitions {
        /** How many months of result partitions are kept created ahead of the current one. */
        @WithDefault("3")
        @IntRange(min = 1, max = 120)
        int monthsAhead();
    }

    interface Results {
        /** How long results are kept: monthly partitions that lie entirely before now minus this are dropped daily. */
        @WithDefault("P13M")
        Period retention();
    }
}
