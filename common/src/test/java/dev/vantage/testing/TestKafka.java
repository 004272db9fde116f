package dev.vantage.testing;

import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;
import org.apache.kafka.common.utils.Exit;

/**
 * A real Apache Kafka broker (one combined KRaft node, in-process), started once per test JVM on
 * first use and stopped when the JVM exits. Its listeners bind to port 0 on loopback and its log
 * directories live under {@code java.io.tmpdir}, which the build points at {@code target/}.
 */
public final class TestKafka {
    private static KafkaClusterTestKit cluster;

    private TestKafka() {
    }

    /** Starts the broker if needed and returns its bootstrap servers ({@code host:port}). */
    public static synchronized String bootstrapServers() {
        return cluster().bootstrapServers();
    }

    /** The running cluster, for tests that stop and restart the broker. */
    public static synchronized KafkaClusterTestKit cluster() {
        if (cluster == null) {
            cluster = start();
        }
        return cluster;
    }

    private static KafkaClusterTestKit start() {
        long begin = System.nanoTime();
        // the broker runs in the test JVM: when Kafka decides to halt or exit the process (e.g. a log directory
        // it takes for failed while it shuts down), the test run would end with that exit code after every
        // test passed; it is reported instead, and a test that needs the broker then fails on its own
        Exit.setHaltProcedure((code, message) -> System.err.printf("test Kafka broker wanted to halt the JVM "
                + "(status %d): %s%n", code, message));
        Exit.setExitProcedure((code, message) -> System.err.printf("test Kafka broker wanted to exit the JVM "
                + "(status %d): %s%n", code, message));
        try {
            TestKitNodes nodes = new TestKitNodes.Builder()
                    .setCombined(true)
                    .setNumBrokerNodes(1)
                    .setNumControllerNodes(1)
                    .build();
            KafkaClusterTestKit kit = new KafkaClusterTestKit.Builder(nodes)
                    .setConfigProp("offsets.topic.replication.factor", "1")
                    .setConfigProp("transaction.state.log.replication.factor", "1")
                    .setConfigProp("transaction.state.log.min.isr", "1")
                    .setConfigProp("auto.create.topics.enable", "true")
                    .setConfigProp("num.partitions", "4")
                    .setConfigProp("group.initial.rebalance.delay.ms", "0")
                    .build();
            kit.format();
            kit.startup();
            kit.waitForReadyBrokers();
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                long stopBegin = System.nanoTime();
                try {
                    kit.close();
                } catch (Exception e) {
                    System.err.println("test Kafka broker did not stop cleanly: " + e);
                }
                System.out.printf("test Kafka broker stopped in %d ms%n", (System.nanoTime() - stopBegin) / 1_000_000);
            }, "test-kafka-stop"));
            System.out.printf("test Kafka broker (KRaft) ready at %s in %d ms%n",
                    kit.bootstrapServers(), (System.nanoTime() - begin) / 1_000_000);
            return kit;
        } catch (Exception e) {
            throw new IllegalStateException("could not start the in-process Kafka broker: " + e, e);
        }
    }
}
