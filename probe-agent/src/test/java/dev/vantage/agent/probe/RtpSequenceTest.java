package dev.vantage.agent.probe;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static dev.vantage.agent.probe.RtpSequence.NOT_COUNTED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RtpSequenceTest {

    private static List<Long> feed(RtpSequence s, int... seqs) {
        List<Long> out = new ArrayList<>();
        for (int seq : seqs) {
            out.add(s.update(seq));
        }
        return out;
    }

    @Test
    void keepsCountingAcrossTheWrap() {
        RtpSequence s = RtpSequence.startingAt(65_533);
        assertThat(feed(s, 65_533, 65_534, 65_535, 0, 1, 2)).containsExactly(65_533L, 65_534L, 65_535L, 65_536L,
                65_537L, 65_538L);
        assertThat(s.received()).isEqualTo(6);
        assertThat(s.expected()).isEqualTo(6);
        assertThat(s.lost()).isZero();
        assertThat(s.highest()).isEqualTo(65_538);
    }

    @Test
    void keepsCountingOverManyWraps() {
        RtpSequence s = RtpSequence.startingAt(0);
        long last = 0;
        for (int i = 0; i < 3 * 65_536 + 10; i++) {
            last = s.update(i & 0xFFFF);
        }
        assertThat(last).isEqualTo(3 * 65_536 + 9);
        assertThat(s.lost()).isZero();
    }

    @Test
    void placesLatePacketsFromBeforeTheWrapBehindIt() {
        RtpSequence s = RtpSequence.startingAt(65_534);
        assertThat(feed(s, 65_534, 0, 1, 65_535)).containsExactly(65_534L, 65_536L, 65_537L, 65_535L);
        assertThat(s.highest()).isEqualTo(65_537);
        assertThat(s.lost()).isZero();
    }

    @Test
    void givesADuplicateTheSameNumberAndCountsIt() {
        RtpSequence s = RtpSequence.startingAt(65_535);
        assertThat(feed(s, 65_535, 0, 0, 65_535)).containsExactly(65_535L, 65_536L, 65_536L, 65_535L);
        // as in RFC 3550: duplicates are received packets, so lost goes below zero
        assertThat(s.received()).isEqualTo(4);
        assertThat(s.expected()).isEqualTo(2);
        assertThat(s.lost()).isEqualTo(-2);
    }

    @Test
    void countsAGapAsLost() {
        RtpSequence s = RtpSequence.startingAt(10);
        assertThat(feed(s, 10, 11, 15)).containsExactly(10L, 11L, 15L);
        assertThat(s.lost()).isEqualTo(3);
    }

    @Test
    void numbersAPacketFromBeforeTheStartBelowIt() {
        RtpSequence s = RtpSequence.startingAt(0);
        assertThat(feed(s, 0, 65_535)).containsExactly(0L, -1L);
    }

    @Test
    void ignoresASingleJumpAndRestartsWhenTheNextPacketFollowsIt() {
        RtpSequence s = RtpSequence.startingAt(100);
        assertThat(feed(s, 100, 101, 20_000, 102)).containsExactly(100L, 101L, NOT_COUNTED, 102L);
        assertThat(s.restarts()).isZero();
        assertThat(feed(s, 30_000, 30_001, 30_002)).containsExactly(NOT_COUNTED, 30_001L, 30_002L);
        assertThat(s.restarts()).isEqualTo(1);
        // the counts start again with the restart
        assertThat(s.received()).isEqualTo(2);
        assertThat(s.expected()).isEqualTo(2);
    }

    @Test
    void takesAPacketFarBehindAsAJumpNotAsLate() {
        RtpSequence s = RtpSequence.startingAt(1_000);
        assertThat(feed(s, 1_000, 1_000 - RtpSequence.MAX_MISORDER - 1, 1_001))
                .containsExactly(1_000L, NOT_COUNTED, 1_001L);
        assertThat(s.restarts()).isZero();
    }

    @Test
    void holdsANewSourceOnProbationUntilTwoPacketsCameInOrder() {
        RtpSequence s = RtpSequence.newSource(500);
        assertThat(feed(s, 500, 700, 701, 702)).containsExactly(NOT_COUNTED, NOT_COUNTED, 701L, 702L);
        assertThat(s.received()).isEqualTo(2);
        assertThat(s.lost()).isZero();
    }

    @Test
    void acceptsANewSourceStartingAtZeroWithoutACycle() {
        RtpSequence s = RtpSequence.newSource(0);
        assertThat(feed(s, 0, 1, 2)).containsExactly(NOT_COUNTED, 1L, 2L);
    }

    @Test
    void refusesANumberThatIsNotSixteenBits() {
        assertThatThrownBy(() -> RtpSequence.startingAt(65_536)).hasMessageContaining("65536");
        assertThatThrownBy(() -> RtpSequence.startingAt(0).update(-1)).hasMessageContaining("0-65535");
    }
}
