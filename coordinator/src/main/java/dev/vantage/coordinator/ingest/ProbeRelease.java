package dev.vantage.coordinator.ingest;

import dev.vantage.wire.ProbeKind;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Collection;
import java.util.UUID;

/**
 * Releases a survey's probes as soon as every one of its responder windows has answered (reported open, or that it
 * could not open): its probe tasks wait in the outbox until {@code not_before}, which the survey's start sets a
 * responder lead ({@code vantage.surveys.responder-lead}) after its responders, and this moves it to now. The lead
 * stays the upper bound, so an agent that never reports its window (an old one, a lost result) only costs the lead.
 *
 * <p>Run in the ingest transaction after the survey's counts are raised: that update holds the survey's row lock
 * until commit, so of two transactions (also on two replicas) storing a survey's last window answers at once, the
 * second waits for the first and then sees its answer (read committed: every statement reads what is committed when
 * it starts). One of them always finds the windows complete.
 */
final class ProbeRelease {
    private ProbeRelease() {
    }

    /** Releases the waiting probes of those of these surveys whose respond tasks all have an answer. */
    static void whereWindowsAnswered(Connection c, Collection<UUID> surveys) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("UPDATE outbox o SET not_before = now() "
                + "WHERE o.survey_id = ? AND o.not_before > now() AND NOT EXISTS (SELECT 1 FROM survey_task t "
                + "WHERE t.survey_id = o.survey_id AND t.task::jsonb ->> 'kind' = ? AND NOT EXISTS ("
                + "SELECT 1 FROM task_answer a WHERE a.survey_id = t.survey_id AND a.task_id = t.task_id))")) {
            for (UUID survey : surveys) {
                s.setObject(1, survey);
                s.setString(2, ProbeKind.RESPOND.wireName());
                s.addBatch();
            }
            s.executeBatch();
        }
    }
}
