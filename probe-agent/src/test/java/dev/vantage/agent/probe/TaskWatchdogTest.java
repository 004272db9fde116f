package dev.vantage.agent.probe;

import dev.vantage.wire.Outcome;
import dev.vantage.wire.ProbeKind;
import dev.vantage.wire.ProbeResult;
import dev.vantage.wire.ProbeTask;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The watchdog against real sockets: a probe that overruns, one that ends in time, one with a bug. */
class TaskWatchdogTest {
    private final TaskWatchdog watchdog = new TaskWatchdog();

    private static ProbeTask tcp(int port) {
        return Tasks.task(ProbeKind.TCP, "127.0.0.1", port, Duration.ofMillis(200), Map.of());
    }

    @Test
    @Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void reportsAnOverrunAsAnErrorNamingTheProbeAndItsPhaseAndClosesItsSockets() throws Exception {
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            StuckProbe stuck = new StuckProbe(ProbeKind.TCP, (InetSocketAddress) silent.getLocalSocketAddress());
            ProbeResult result = watchdog.run(stuck, tcp(silent.getLocalPort()), Tasks.CONTEXT);

            assertThat(result.outcome()).isEqualTo(Outcome.ERROR);
            assertThat(result.summary()).startsWith("tcp probe of 127.0.0.1:" + silent.getLocalPort())
                    .contains("overran its deadline").contains("in phase 'request'");
            assertThat(stuck.returned.await(30, TimeUnit.SECONDS)).as("its socket was closed under it").isTrue();
        }
    }

    @Test
    void givesTheProbesOwnResultWhenItEndsInTime() throws Exception {
        try (ServerSocket listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            ProbeResult result = watchdog.run(new TcpProbe(), tcp(listener.getLocalPort()), Tasks.CONTEXT);
            assertThat(result.outcome()).isEqualTo(Outcome.OPEN);
        }
    }

    @Test
    void throwsABugOfTheProbeAsItWasThrown() {
        ProbeTask task = tcp(9);
        assertThatThrownBy(() -> watchdog.run(task, Tasks.CONTEXT, context -> {
            throw new IllegalStateException("a bug");
        })).isInstanceOf(IllegalStateException.class).hasMessage("a bug");
    }

    @Test
    void budgetsEachKindFromItsTask() {
        Duration t = Duration.ofSeconds(2);
        assertThat(TaskBudget.of(Tasks.task(ProbeKind.TCP, "127.0.0.1", 443, t, Map.of()))).isEqualTo(t.multipliedBy(2));
        assertThat(TaskBudget.of(Tasks.task(ProbeKind.UDP, "127.0.0.1", 5060, t, Map.of("attempts", "3"))))
                .isEqualTo(t.multipliedBy(4));
        assertThat(TaskBudget.of(Tasks.task(ProbeKind.HTTP, "127.0.0.1", 443, t, Map.of()))).as("https")
                .isEqualTo(t.multipliedBy(4));
        assertThat(TaskBudget.of(Tasks.task(ProbeKind.RTP, "127.0.0.1", 30000, t, Map.of("duration", "5s"))))
                .isEqualTo(Duration.ofSeconds(9));
        ProbeTask sweep = new ProbeTask(1, "s", null, "site", "lan", null, "r", ProbeKind.UDP_RANGE, "127.0.0.1",
                dev.vantage.wire.PortRange.parse("30000-34999"), Map.of("rate", "500", "concurrency", "100",
                "attempts", "2"), t);
        // 10000 datagrams at 500/s, 50 rounds of 100 ports x 2 attempts x 2 s, the last port, the lookup
        assertThat(TaskBudget.of(sweep)).isEqualTo(Duration.ofSeconds(20 + 200 + 4 + 2));
    }
}
