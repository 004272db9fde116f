package dev.vantage.agent.runtime;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class TaskWorkersTest {

    @Test
    void aBurstOfTasksStartsInTheOrderItWasSubmittedUnderTheRateCap() throws Exception {
        int tasks = 12;
        TaskWorkers workers = new TaskWorkers(tasks, 10); // 100 ms apart: far more than a busy scheduler delays a wake-up
        List<Integer> started = Collections.synchronizedList(new ArrayList<>());
        CountDownLatch done = new CountDownLatch(tasks);
        for (int i = 0; i < tasks; i++) {
            int n = i;
            workers.submit("record-" + n, () -> {
                started.add(n);
                return true;
            }, done::countDown);
        }
        assertThat(done.await(30, TimeUnit.SECONDS)).isTrue();
        assertThat(started).as("the order the tasks started in").containsExactlyElementsOf(IntStream.range(0, tasks).boxed().toList());
        workers.drain(Duration.ofSeconds(5));
    }
}
