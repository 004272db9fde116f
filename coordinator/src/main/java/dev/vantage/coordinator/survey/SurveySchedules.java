package dev.vantage.coordinator.survey;

import com.cronutils.model.Cron;
import com.cronutils.model.CronType;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.model.time.ExecutionTime;
import com.cronutils.parser.CronParser;
import dev.vantage.catalog.Mode;
import dev.vantage.coordinator.api.ApiProblem;
import dev.vantage.coordinator.registry.SiteRegistry;
import io.agroal.api.AgroalDataSource;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import org.jboss.logging.Logger;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Surveys on a schedule: one UNIX cron expression (five fields, UTC) and a mode per site. Every replica
 * looks for due schedules; a due row is claimed with {@code FOR UPDATE SKIP LOCKED}, so a schedule starts
 * one survey per due time however many replicas run. A schedule that comes due while the coordinator is
 * down starts one survey when it is back, not one per missed time.
 */
@ApplicationScoped
public class SurveySchedules {
    private static final Logger LOG = Logger.getLogger(SurveySchedules.class);
    private static final CronParser PARSER = new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.UNIX));

    /** A site's schedule as the API shows it. */
    public record Schedule(String siteId, String cron, String mode, boolean mediaResponder, Instant nextRunAt,
                           String lastSurveyId, Instant updatedAt, String updatedBy) {
    }

    private final AgroalDataSource db;
    private final SiteRegistry sites;
    private final Surveys surveys;
    private final Clock clock = Clock.systemUTC();

    public SurveySchedules(AgroalDataSource db, SiteRegistry sites, Surveys surveys) {
        this.db = db;
        this.sites = sites;
        this.surveys = surveys;
    }

    /** The next time a cron expression fires after {@code after}, or a problem response naming the expression. */
    static Instant next(String cron, Instant after) {
        Cron parsed;
        try {
            parsed = PARSER.parse(cron);
        } catch (IllegalArgumentException e) {
            throw ApiProblem.badRequest("cron", cron, "cron must be a five-field UNIX cron expression (minute hour "
                    + "day-of-month month day-of-week, UTC) such as '0 6 * * 1-5': " + e.getMessage());
        }
        return ExecutionTime.forCron(parsed).nextExecution(ZonedDateTime.ofInstant(after, ZoneOffset.UTC))
                .map(ZonedDateTime::toInstant)
                .orElseThrow(() -> ApiProblem.badRequest("cron", cron, "cron expression '" + cron + "' never fires"));
    }

    /**
     * Sets a site's schedule as asked over the API or from the console's form.
     *
     * @throws ApiProblem naming the field ({@code cron}, {@code mode}) it refuses
     */
    public Schedule put(String siteId, SiteScheduleResource.ScheduleRequest request, String actor) {
        if (request == null || request.cron() == null || request.cron().isBlank()) {
            throw ApiProblem.badRequest("cron", null, "cron is required, e.g. '0 6 * * 1-5' (UTC)");
        }
        return put(siteId, request.cron(), SiteSurveyResource.mode(request.mode()),
                request.mediaResponder() == null || request.mediaResponder(), actor);
    }

    @Transactional
    public Schedule put(String siteId, String cron, Mode mode, boolean mediaResponder, String actor) {
        sites.current(siteId).orElseThrow(() -> ApiProblem.notFound("site", siteId));
        Instant now = clock.instant();
        Instant next = next(cron == null ? "" : cron.strip(), now);
        update("INSERT INTO survey_schedule (site_id, cron, mode, media_responder, next_run_at, updated_at, updated_by) "
                        + "VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (site_id) DO UPDATE SET cron = EXCLUDED.cron, "
                        + "mode = EXCLUDED.mode, media_responder = EXCLUDED.media_responder, "
                        + "next_run_at = EXCLUDED.next_run_at, updated_at = EXCLUDED.updated_at, "
                        + "updated_by = EXCLUDED.updated_by",
                siteId, cron.strip(), mode.wireName(), mediaResponder, Timestamp.from(next), Timestamp.from(now), actor);
        return find(siteId).orElseThrow();
    }

    @Transactional
    public boolean delete(String siteId) {
        return update("DELETE FROM survey_schedule WHERE site_id = ?", siteId) > 0;
    }

    public Optional<Schedule> find(String siteId) {
        try (Connection c = db.getConnection();
             PreparedStatement s = c.prepareStatement("SELECT site_id, cron, mode, media_responder, next_run_at, "
                     + "last_survey_id, updated_at, updated_by FROM survey_schedule WHERE site_id = ?")) {
            s.setString(1, siteId);
            try (ResultSet r = s.executeQuery()) {
                if (!r.next()) {
                    return Optional.empty();
                }
                return Optional.of(new Schedule(r.getString(1), r.getString(2), r.getString(3), r.getBoolean(4),
                        r.getTimestamp(5).toInstant(), r.getString(6), r.getTimestamp(7).toInstant(), r.getString(8)));
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the schedule of site " + siteId + ": " + e.getMessage(), e);
        }
    }

    @Scheduled(every = "${vantage.surveys.schedule-check-interval:30s}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void tick() {
        runDue();
    }

    /** Starts the surveys that are due, in one transaction; returns how many it started. */
    @Transactional
    public int runDue() {
        Instant now = clock.instant();
        record Due(String siteId, String cron, String mode, boolean mediaResponder) {
        }
        List<Due> due = new ArrayList<>();
        try (Connection c = db.getConnection();
             PreparedStatement s = c.prepareStatement("SELECT site_id, cron, mode, media_responder FROM survey_schedule "
                     + "WHERE next_run_at <= ? ORDER BY next_run_at LIMIT 50 FOR UPDATE SKIP LOCKED")) {
            s.setTimestamp(1, Timestamp.from(now));
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    due.add(new Due(r.getString(1), r.getString(2), r.getString(3), r.getBoolean(4)));
                }
            }
        } catch (SQLException e) {
            LOG.warnf("cannot read due survey schedules (will try again): %s", e.getMessage());
            return 0;
        }
        int started = 0;
        for (Due d : due) {
            String surveyId = null;
            try {
                surveyId = surveys.start(d.siteId(), SiteSurveyResource.mode(d.mode()), null, null, d.mediaResponder(),
                        "schedule").id().toString();
                started++;
                LOG.infof("scheduled survey %s of site %s started (%s, cron '%s')", surveyId, d.siteId(), d.mode(), d.cron());
            } catch (RuntimeException e) {
                LOG.warnf("scheduled survey of site %s could not start: %s", d.siteId(), e.getMessage());
            }
            update("UPDATE survey_schedule SET next_run_at = ?, last_survey_id = COALESCE(?::uuid, last_survey_id) "
                    + "WHERE site_id = ?", Timestamp.from(next(d.cron(), now)), surveyId, d.siteId());
        }
        return started;
    }

    private int update(String sql, Object... args) {
        try (Connection c = db.getConnection(); PreparedStatement s = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                s.setObject(i + 1, args[i]);
            }
            return s.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("survey schedule update failed: " + e.getMessage(), e);
        }
    }
}
