package dev.vantage.agent.runtime;

import dev.vantage.wire.ProbeKind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

@Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class MeasurementTurnsTest {
    private final MeasurementTurns turns = new MeasurementTurns();

    /** Enters on its own thread; the thread is returned so its state can be read while it waits. */
    private record Entering(Thread thread, CompletableFuture<Boolean> entered) {
    }

    private Entering enterOnAnotherThread(ProbeKind kind) {
        CompletableFuture<Boolean> entered = new CompletableFuture<>();
        Thread t = new Thread(() -> {
            try {
                entered.complete(turns.enter(kind));
            } catch (InterruptedException e) {
                entered.completeExceptionally(e);
            }
        });
        t.start();
        return new Entering(t, entered);
    }

    private static void awaitWaiting(Thread t) throws InterruptedException {
        while (t.getState() != Thread.State.WAITING) {
            assertThat(t.isAlive()).as("the thread waits for its turn instead of entering").isTrue();
            Thread.sleep(5);
        }
    }

    @Test
    void anRtpStreamWaitsWhileASweepRunsAndStartsWhenItEnds() throws Exception {
        assertThat(turns.enter(ProbeKind.UDP_RANGE)).isTrue();
        Entering stream = enterOnAnotherThread(ProbeKind.RTP);
        awaitWaiting(stream.thread());
        assertThat(stream.entered()).isNotDone();
        turns.leave();
        assertThat(stream.entered().get(10, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void streamsRunTogetherButSweepsOneAtATime() throws Exception {
        assertThat(turns.enter(ProbeKind.RTP)).isTrue();
        assertThat(enterOnAnotherThread(ProbeKind.RTP).entered().get(10, TimeUnit.SECONDS)).isTrue();
        turns.leave();
        turns.leave();
        assertThat(turns.enter(ProbeKind.UDP_RANGE)).isTrue();
        Entering secondSweep = enterOnAnotherThread(ProbeKind.TCP_RANGE);
        awaitWaiting(secondSweep.thread());
        assertThat(secondSweep.entered()).as("a second sweep waits for the first").isNotDone();
        turns.leave();
        assertThat(secondSweep.entered().get(10, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void aWaitingStreamIsNotOvertakenByFurtherSweeps() throws Exception {
        assertThat(turns.enter(ProbeKind.UDP_RANGE)).isTrue();
        Entering stream = enterOnAnotherThread(ProbeKind.RTP);
        awaitWaiting(stream.thread());
        Entering laterSweep = enterOnAnotherThread(ProbeKind.UDP_RANGE);
        awaitWaiting(laterSweep.thread());
        turns.leave();
        assertThat(stream.entered().get(10, TimeUnit.SECONDS)).isTrue();
        assertThat(laterSweep.entered()).as("the later sweep waits for the stream").isNotDone();
        turns.leave();
        assertThat(laterSweep.entered().get(10, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void everyStreamWaitingWhenTheSweepsEndStartsTogetherWhateverOrderTheyCameIn() throws Exception {
        // the order a survey's tasks may come in: sweep, stream, sweep, stream
        assertThat(turns.enter(ProbeKind.UDP_RANGE)).isTrue();
        Entering stream = enterOnAnotherThread(ProbeKind.RTP);
        awaitWaiting(stream.thread());
        Entering laterSweep = enterOnAnotherThread(ProbeKind.UDP_RANGE);
        awaitWaiting(laterSweep.thread());
        Entering laterStream = enterOnAnotherThread(ProbeKind.RTP);
        awaitWaiting(laterStream.thread());
        turns.leave();
        assertThat(stream.entered().get(10, TimeUnit.SECONDS)).isTrue();
        assertThat(laterStream.entered().get(10, TimeUnit.SECONDS)).as("the second stream runs beside the first").isTrue();
        assertThat(laterSweep.entered()).as("the sweep waits for both streams").isNotDone();
        turns.leave();
        assertThat(laterSweep.entered()).as("the sweep waits for the second stream too").isNotDone();
        turns.leave();
        assertThat(laterSweep.entered().get(10, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void aTaskInterruptedWhileWaitingLeavesTheTurnsWorking() throws Exception {
        assertThat(turns.enter(ProbeKind.UDP_RANGE)).isTrue();
        Entering stream = enterOnAnotherThread(ProbeKind.RTP);
        awaitWaiting(stream.thread());
        Entering sweep = enterOnAnotherThread(ProbeKind.UDP_RANGE);
        awaitWaiting(sweep.thread());
        stream.thread().interrupt();
        assertThat(stream.entered()).failsWithin(10, TimeUnit.SECONDS);
        turns.leave();
        assertThat(sweep.entered().get(10, TimeUnit.SECONDS)).as("no stream waits any more: the next sweep's turn").isTrue();
        turns.leave();
        assertThat(enterOnAnotherThread(ProbeKind.RTP).entered().get(10, TimeUnit.SECONDS)).as("nothing runs: a stream starts at once")
                .isTrue();
    }

    @Test
    void otherKindsTakeNoTurn() throws Exception {
        assertThat(turns.enter(ProbeKind.UDP_RANGE)).isTrue();
        assertThat(turns.enter(ProbeKind.TCP)).isFalse();
        assertThat(turns.enter(ProbeKind.SIP)).isFalse();
    }
}
