package dev.vantage.coordinator.survey;

import dev.vantage.change.ChangeRequest;
import dev.vantage.wire.Wire;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;
import java.util.UUID;

/**
 * The {@code change_request} table: a completed survey's change request as JSON, written once with its verdicts
 * (in the completing transaction) and read by the API, the report and the console.
 */
@ApplicationScoped
public class ChangeRequestRows {
    private final AgroalDataSource db;

    public ChangeRequestRows(AgroalDataSource db) {
        this.db = db;
    }

    /** Stores the change request of a survey being completed; nothing when the analysis wrote none. */
    static void store(Connection c, UUID surveyId, ChangeRequest request) throws SQLException {
        if (request == null) {
            return;
        }
        try (PreparedStatement s = c.prepareStatement("INSERT INTO change_request (survey_id, body) VALUES (?, ?::jsonb) "
                + "ON CONFLICT DO NOTHING")) {
            s.setObject(1, surveyId);
            s.setString(2, Wire.mapper().writeValueAsString(request));
            s.executeUpdate();
        } catch (IOException e) {
            throw new UncheckedIOException("change request of survey " + surveyId + " cannot be written as JSON", e);
        }
    }

    /** The survey's change request; empty while it runs, or when it completed before change requests were kept. */
    public Optional<ChangeRequest> find(UUID surveyId) {
        try (Connection c = db.getConnection();
             PreparedStatement s = c.prepareStatement("SELECT body::text FROM change_request WHERE survey_id = ?")) {
            s.setObject(1, surveyId);
            try (ResultSet rs = s.executeQuery()) {
                // written by this coordinator, not by an agent: read without the wire's size limit
                return rs.next() ? Optional.of(Wire.mapper().readValue(rs.getString(1), ChangeRequest.class))
                        : Optional.empty();
            }
        } catch (SQLException e) {
            throw new IllegalStateException("reading the change request of survey " + surveyId + ": " + e.getMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException("the stored change request of survey " + surveyId + " is unreadable", e);
        }
    }
}
