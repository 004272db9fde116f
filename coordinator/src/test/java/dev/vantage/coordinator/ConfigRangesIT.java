package dev.vantage.coordinator;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The packaged coordinator does not start with a setting that would hang it (a dispatch batch of 0 rows loops for
 * ever) or flood its log (a retry back-off of 0 during a database outage), and names the key, the value and the
 * allowed range. Its PostgreSQL is there, so without the check it would start: the test tells a refusal from a
 * start by the log line Quarkus writes once started.
 */
class ConfigRangesIT {

    @Test
    void refusesToStartWithADispatchBatchSizeOfZero() throws Exception {
        assertRefusesToStart("-Dvantage.dispatch.batch-size=0", "vantage.dispatch.batch-size is 0, allowed 1 to 10000");
    }

    @Test
    void refusesToStartWithARetryBackoffOfZero() throws Exception {
        assertRefusesToStart("-Dvantage.ingest.retry-backoff=0", "vantage.ingest.retry-backoff is 0s, allowed 10ms to 30s");
    }

    private static void assertRefusesToStart(String setting, String problem) throws Exception {
        Path log = Files.createTempFile(Path.of(System.getProperty("java.io.tmpdir")), "config-ranges-", ".log");
        // no broker is needed to start (clients connect lazily): the check must come before everything else
        Process process = PackagedCoordinator.start("127.0.0.1:1", log, setting).process();
        try {
            await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(200))
                    .until(() -> !process.isAlive() || Files.readString(log).contains(" started in "));
            String output = Files.readString(log);
            assertThat(process.isAlive()).as("the coordinator started with %s:%n%s", setting, output).isFalse();
            assertThat(process.exitValue()).isNotZero();
            assertThat(output).contains(problem);
        } finally {
            process.destroy();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
    }
}
