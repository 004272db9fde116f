package dev.vantage.agent.probe;

import dev.vantage.wire.Outcome;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.PortUnreachableException;
import java.net.SocketException;
import java.nio.channels.ClosedChannelException;

import static org.assertj.core.api.Assertions.assertThat;

class SocketFailureTest {

    @Test
    void aFailureWithoutAMessageIsNamedByItsClassNotAsNull() {
        SocketFailure failure = SocketFailure.of(new ClosedChannelException(), true);
        assertThat(failure.outcome()).isEqualTo(Outcome.ERROR);
        assertThat(failure.error()).isEqualTo("ClosedChannelException");
        SweepErrors errors = new SweepErrors();
        errors.note(failure);
        assertThat(errors.summary()).isEqualTo("; 1 port(s) failed on this host (ERROR), the first with: ClosedChannelException");
    }

    @Test
    void theMessageDecidesWhatAFailureSaysAboutThePath() {
        assertThat(SocketFailure.of(new PortUnreachableException(), true).outcome()).isEqualTo(Outcome.CLOSED);
        assertThat(SocketFailure.of(new SocketException("No buffer space available"), true))
                .isEqualTo(new SocketFailure(Outcome.ERROR, "ENOBUFS", null));
        assertThat(SocketFailure.of(new IOException("Operation not permitted"), true).outcome()).isEqualTo(Outcome.UNREACHABLE);
    }
}
