package dev.vantage.coordinator.ingest;

import dev.vantage.coordinator.TestAgent;
import dev.vantage.testing.TestPostgres;
import dev.vantage.trust.Ed25519Keys;
import dev.vantage.trust.ResultSigner;
import dev.vantage.wire.Outcome;
import dev.vantage.wire.PortRange;
import dev.vantage.wire.ProbeKind;
import dev.vantage.wire.ProbeResult;
import dev.vantage.wire.ReceiptEvidence;
import dev.vantage.wire.SignedResult;
import dev.vantage.wire.Wire;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

import java.security.KeyPair;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

/**
 * The JDBC store of ingest against the real PostgreSQL of the test fixture, with the schema of the migrations and
 * no Kafka: surveys and tasks are written as the planner writes them, results are signed by their agent and decoded
 * as ingest decodes them.
 */
class ResultStoreTest {
    private static final Duration CLOCK_SKEW = Duration.ofMinutes(5);
    /** The key bound to agent-1, the agent of every task unless a test says otherwise. */
    private static final KeyPair KEY = Ed25519Keys.generate();
    private static PGSimpleDataSource db;

    /** A survey of one site with its tasks, one requirement per task, all sent to one agent. */
    record Survey(String site, UUID id, List<UUID> tasks, String agent) {
    }

    @BeforeAll
    static void migrate() {
        TestPostgres.Database pg = TestPostgres.database();
        db = new PGSimpleDataSource();
        db.setURL(pg.jdbcUrl());
        db.setUser(pg.user());
        db.setPassword(pg.password());
        db.setReWriteBatchedInserts(true); // as the coordinator's datasource
        Flyway.configure().dataSource(db).load().migrate(); // a no-op when a Quarkus test of this JVM migrated first
        try {
            update("INSERT INTO agent (id, site_id, version, first_seen_at, last_seen_at, agent_clock_at, enrolment, "
                    + "key_id, public_key, key_bound_at, key_bound_by) VALUES ('agent-1', 'store', '0.1.0', now(), now(), "
                    + "now(), 'APPROVED', ?, ?, now(), 'test') ON CONFLICT (id) DO UPDATE SET key_id = excluded.key_id, "
                    + "public_key = excluded.public_key", Ed25519Keys.fingerprint(KEY.getPublic()),
                    Ed25519Keys.encode(KEY.getPublic()));
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void storesEachResultOnceHoweverOftenItIsDelivered() throws Exception {
        Survey s = survey(newSite(), 20);
        List<ResultCheck.Checked> results = s.tasks().stream().map(t -> checked(result(s, t, Outcome.OPEN))).toList();
        ResultStore store = new ResultStore(db, CLOCK_SKEW, 1_000_000);

        ResultStore.Stored first = store.store(results.subList(0, 10));
        assertThat(first.stored()).isEqualTo(10);
        assertThat(first.completed()).isEmpty();
        long version = count("SELECT status_version FROM site WHERE id = ?", s.site());

        // the first half again (a redelivery after a lost commit) with the second half
        ResultStore.Stored second = store.store(results);
        assertThat(second.stored()).isEqualTo(10);
        assertThat(second.superseded()).isZero();
        assertThat(second.refused()).isEmpty();
        assertThat(second.completed()).containsExactly(s.id());
        assertThat(count("SELECT status_version FROM site WHERE id = ?", s.site())).isGreaterThan(version);

        ResultStore.Stored third = store.store(results);
        assertThat(third).isEqualTo(new ResultStore.Stored(List.of(), java.util.Set.of(), 0, 0));
        assertThat(count("SELECT count(*) FROM result WHERE survey_id = ?", s.id())).isEqualTo(20);
        assertThat(count("SELECT count(*) FROM task_answer WHERE survey_id = ?", s.id())).isEqualTo(20);
        assertThat(count("SELECT answered FROM survey WHERE id = ?", s.id())).isEqualTo(20);
        assertThat(count("SELECT count(*) FROM latest_status WHERE survey_id = ?", s.id())).isEqualTo(20);
    }

    @Test
    void theFirstAnswerOfATaskWins() throws Exception {
        Survey s = survey(newSite(), 3);
        ResultStore store = new ResultStore(db, CLOCK_SKEW, 1_000_000);
        ProbeResult open = result(s, s.tasks().get(0), Outcome.OPEN);
        assertThat(store.store(List.of(checked(open))).stored()).isEqualTo(1);

        // the agent's refusal of the same task, re-sent, arrives later: counted, not stored
        ProbeResult refused = result(s, s.tasks().get(0), Outcome.TASK_REFUSED);
        ResultStore.Stored later = store.store(List.of(checked(refused)));
        assertThat(later.stored()).isZero();
        assertThat(later.superseded()).isEqualTo(1);
        assertThat(count("SELECT count(*) FROM result WHERE task_id = ?", s.tasks().get(0))).isEqualTo(1);
        assertThat(text("SELECT outcome FROM latest_status WHERE survey_id = ? AND requirement_id = 'req-0'", s.id()))
                .isEqualTo("OPEN");

        // two different results for one task in one batch: the first of the batch is the answer
        ProbeResult a = result(s, s.tasks().get(1), Outcome.CLOSED);
        ProbeResult b = result(s, s.tasks().get(1), Outcome.OPEN);
        ResultStore.Stored both = store.store(List.of(checked(a), checked(b)));
        assertThat(both.stored()).isEqualTo(1);
        assertThat(both.superseded()).isEqualTo(1);
        assertThat(text("SELECT result_id::text FROM task_answer WHERE task_id = ?", s.tasks().get(1)))
                .isEqualTo(a.resultId());
        assertThat(count("SELECT answered FROM survey WHERE id = ?", s.id())).isEqualTo(2);
    }

    @Test
    void aLateResultOfADeletedSiteIsRefused() throws Exception {
        Survey s = survey(newSite(), 2);
        ResultStore store = new ResultStore(db, CLOCK_SKEW, 1_000_000);
        assertThat(store.store(List.of(checked(result(s, s.tasks().get(0), Outcome.OPEN)))).stored()).isEqualTo(1);

        update("DELETE FROM site WHERE id = ?", s.site()); // its versions, surveys, tasks and answers go with it
        ProbeResult late = result(s, s.tasks().get(1), Outcome.OPEN);
        ResultStore.Stored stored = store.store(List.of(checked(late)));
        assertThat(stored.stored()).isZero();
        assertThat(stored.refused()).containsExactly(new ResultStore.Refused(0, new ResultCheck.Refusal(
                ResultCheck.Cause.TASK, "unknown task " + late.taskId() + " of survey " + s.id())));
        assertThat(count("SELECT count(*) FROM result WHERE survey_id = ?", s.id())).isEqualTo(1);
        assertThat(count("SELECT count(*) FROM task_answer WHERE survey_id = ?", s.id())).isZero();
    }

    @Test
    void refusesByPositionWhatDoesNotAnswerItsTaskAndStoresTheRest() throws Exception {
        Survey s = survey(newSite(), 3);
        ResultStore store = new ResultStore(db, CLOCK_SKEW, 1_000_000);
        ProbeResult impostor = withAgent(result(s, s.tasks().get(0), Outcome.OPEN), "someone-else");
        // PostgreSQL cannot store a NUL character in text: the batch is stored result by result, this one refused
        ProbeResult unstorable = withSummary(result(s, s.tasks().get(1), Outcome.OPEN), "nul \u0000 here");
        ProbeResult fine = result(s, s.tasks().get(2), Outcome.OPEN);

        ResultStore.Stored stored = store.store(List.of(checked(impostor), checked(unstorable), checked(fine)));
        assertThat(stored.stored()).isEqualTo(1);
        assertThat(stored.refused()).extracting(ResultStore.Refused::index).containsExactlyInAnyOrder(0, 1);
        assertThat(stored.refused()).filteredOn(r -> r.index() == 0).singleElement().extracting(r -> r.refusal().reason())
                .asString().contains("was sent to agent agent-1, but the result names agent someone-else");
        assertThat(stored.refused()).filteredOn(r -> r.index() == 1).singleElement().extracting(r -> r.refusal().cause(),
                r -> r.refusal().reason().startsWith("the database refused the result"))
                .containsExactly(ResultCheck.Cause.DATABASE, true);
        assertThat(text("SELECT result_id::text FROM result WHERE survey_id = ?", s.id())).isEqualTo(fine.resultId());
    }

    @Test
    void refusesWhatIsNotSignedWithTheKeyBoundToTheAgentOfItsTask() throws Exception {
        String site = newSite();
        Survey s = survey(site, 3);
        Survey unbound = survey(site, 1, "agent-without-key-" + UUID.randomUUID());
        ResultStore store = new ResultStore(db, CLOCK_SKEW, 1_000_000);
        KeyPair sibling = Ed25519Keys.generate();
        ProbeResult forged = result(s, s.tasks().get(0), Outcome.OPEN);
        SignedResult honest = signer(KEY).sign(Wire.encodeToString(result(s, s.tasks().get(1), Outcome.FILTERED)));
        SignedResult tampered = new SignedResult(honest.schemaVersion(), honest.keyId(),
                honest.result().replace("\"FILTERED\"", "\"OPEN\""), honest.signature());
        assertThat(tampered.result()).isNotEqualTo(honest.result());
        ProbeResult noKey = withAgent(result(unbound, unbound.tasks().get(0), Outcome.OPEN), unbound.agent());
        ProbeResult fine = result(s, s.tasks().get(2), Outcome.OPEN);

        ResultStore.Stored stored = store.store(List.of(ResultCheck.decode(TestAgent.signedBy(forged, sibling)),
                ResultCheck.decode(Wire.encode(tampered)), checked(noKey), checked(fine)));
        assertThat(stored.refused()).extracting(ResultStore.Refused::index, r -> r.refusal().cause()).containsExactly(
                tuple(0, ResultCheck.Cause.KEY_NOT_BOUND), tuple(1, ResultCheck.Cause.BAD_SIGNATURE),
                tuple(2, ResultCheck.Cause.NO_BOUND_KEY));
        assertThat(stored.refused().get(0).refusal().reason()).contains("is signed with key "
                + Ed25519Keys.fingerprint(sibling.getPublic()) + ", not with the key bound to agent-1, "
                + Ed25519Keys.fingerprint(KEY.getPublic()));
        assertThat(stored.stored()).isEqualTo(1);
        assertThat(text("SELECT string_agg(result_id::text, ',') FROM result WHERE site_id = ?", site))
                .isEqualTo(fine.resultId());
        assertThat(count("SELECT count(*) FROM task_answer WHERE survey_id = ?", s.id())).as("refused: no answer")
                .isEqualTo(1);

        // the honest result, as signed, still answers its task
        assertThat(store.store(List.of(ResultCheck.decode(Wire.encode(honest)))).stored()).isEqualTo(1);
    }

    @Test
    void theLatestStatusMovesForwardOnly() throws Exception {
        String site = newSite();
        Survey older = survey(site, 1);
        Survey newer = survey(site, 1);
        ResultStore store = new ResultStore(db, CLOCK_SKEW, 1_000_000);
        store.store(List.of(checked(result(newer, newer.tasks().get(0), Outcome.FILTERED))));
        // the older survey's result arrives last (its agent was offline): the matrix keeps the newer observation
        ProbeResult late = withStart(result(older, older.tasks().get(0), Outcome.OPEN), Instant.now().minusSeconds(30));
        assertThat(store.store(List.of(checked(late))).stored()).isEqualTo(1);
        assertThat(text("SELECT outcome || ' ' || survey_id FROM latest_status WHERE site_id = ?", site))
                .isEqualTo("FILTERED " + newer.id());
    }

    @Test
    void concurrentBatchesOverTheSameTasksWaitForEachOtherInsteadOfDeadlocking() throws Exception {
        for (int round = 0; round < 5; round++) {
            String site = newSite();
            List<Survey> surveys = List.of(survey(site, 150), survey(site, 150));
            // two agents' worth of results for the same tasks (a re-sent task answered twice), in opposite orders
            List<ResultCheck.Checked> forward = new ArrayList<>();
            List<ResultCheck.Checked> backward = new ArrayList<>();
            for (Survey s : surveys) {
                for (UUID task : s.tasks()) {
                    forward.add(checked(result(s, task, Outcome.OPEN)));
                    backward.add(checked(result(s, task, Outcome.OPEN)));
                }
            }
            Collections.reverse(backward);
            ResultStore store = new ResultStore(db, CLOCK_SKEW, 1_000_000);
            CyclicBarrier start = new CyclicBarrier(2);
            CompletableFuture<ResultStore.Stored> a = CompletableFuture.supplyAsync(() -> storeAfter(start, store, forward));
            CompletableFuture<ResultStore.Stored> b = CompletableFuture.supplyAsync(() -> storeAfter(start, store, backward));
            ResultStore.Stored sa = a.get(120, TimeUnit.SECONDS);
            ResultStore.Stored sb = b.get(120, TimeUnit.SECONDS);

            assertThat(sa.stored() + sb.stored()).as("each task answered once").isEqualTo(300);
            assertThat(sa.superseded() + sb.superseded()).as("the other batch's result for it").isEqualTo(300);
            List<UUID> completed = new ArrayList<>(sa.completed());
            completed.addAll(sb.completed());
            assertThat(completed).as("each survey reported complete once")
                    .containsExactlyInAnyOrder(surveys.get(0).id(), surveys.get(1).id());
            for (Survey s : surveys) {
                assertThat(count("SELECT answered FROM survey WHERE id = ?", s.id())).isEqualTo(150);
                assertThat(count("SELECT count(*) FROM result WHERE survey_id = ?", s.id())).isEqualTo(150);
            }
        }
    }

    private static ResultStore.Stored storeAfter(CyclicBarrier start, ResultStore store, List<ResultCheck.Checked> batch) {
        try {
            start.await(30, TimeUnit.SECONDS);
            return store.store(batch); // a deadlock would be thrown here (SQLSTATE 40P01)
        } catch (Exception e) {
            throw new IllegalStateException("storing a batch failed: " + e, e);
        }
    }

    @Test
    void aWindowsClosingReportIsKeptBesideItsAnswerOnceHoweverOftenItIsDelivered() throws Exception {
        Survey s = survey(newSite(), 2);
        UUID window = s.tasks().get(0);
        update("UPDATE survey_task SET task = '{\"kind\":\"respond\"}' WHERE survey_id = ? AND task_id = ?", s.id(), window);
        ResultStore store = new ResultStore(db, CLOCK_SKEW, 1_000_000);
        ResultCheck.Checked opening = checked(respond(s, window, null));
        ResultCheck.Checked closing = checked(respond(s, window, new ReceiptEvidence(List.of(PortRange.of(443)),
                List.of(), List.of(), false, null)));
        ResultCheck.Checked probe = checked(result(s, s.tasks().get(1), Outcome.OPEN));

        ResultStore.Stored answered = store.store(List.of(opening, probe));
        assertThat(answered.stored()).isEqualTo(2);
        assertThat(answered.completed()).as("every task answered: the survey may move on").containsExactly(s.id());
        assertThat(count("SELECT windows_opened FROM survey WHERE id = ?", s.id())).isEqualTo(1);
        assertThat(count("SELECT windows_reported FROM survey WHERE id = ?", s.id())).isZero();

        // the closing report with a re-delivery of the opening one, then the closing report again
        ResultStore.Stored reported = store.store(List.of(opening, closing));
        assertThat(reported.stored()).isEqualTo(1);
        assertThat(reported.superseded()).as("a closing report is not a second answer").isZero();
        assertThat(reported.completed()).containsExactly(s.id());
        assertThat(store.store(List.of(closing))).isEqualTo(new ResultStore.Stored(List.of(), java.util.Set.of(), 0, 0));

        assertThat(count("SELECT count(*) FROM result WHERE survey_id = ?", s.id())).isEqualTo(3);
        assertThat(text("SELECT result_id::text FROM window_report WHERE survey_id = ? AND task_id = ?", s.id(), window))
                .isEqualTo(closing.resultId().toString());
        assertThat(text("SELECT result_id::text FROM task_answer WHERE survey_id = ? AND task_id = ?", s.id(), window))
                .as("the opening report stays the answer").isEqualTo(opening.resultId().toString());
        assertThat(count("SELECT answered FROM survey WHERE id = ?", s.id())).isEqualTo(2);
        assertThat(count("SELECT windows_reported FROM survey WHERE id = ?", s.id())).isEqualTo(1);
    }

    @Test
    void aClosingReportWhoseOpeningReportWasLostAnswersItsWindowToo() throws Exception {
        Survey s = survey(newSite(), 1);
        UUID window = s.tasks().get(0);
        update("UPDATE survey_task SET task = '{\"kind\":\"respond\"}' WHERE survey_id = ? AND task_id = ?", s.id(), window);
        ResultStore store = new ResultStore(db, CLOCK_SKEW, 1_000_000);
        ResultStore.Stored stored = store.store(List.of(checked(respond(s, window, new ReceiptEvidence(List.of(),
                List.of(), List.of(), false, null)))));
        assertThat(stored.stored()).isEqualTo(1);
        assertThat(stored.completed()).containsExactly(s.id());
        assertThat(count("SELECT windows_opened FROM survey WHERE id = ?", s.id())).isEqualTo(1);
        assertThat(count("SELECT windows_reported FROM survey WHERE id = ?", s.id())).isEqualTo(1);
    }

    @Test
    void receiptsForATaskThatIsNoResponderWindowAreRefused() throws Exception {
        Survey s = survey(newSite(), 1);
        ResultStore store = new ResultStore(db, CLOCK_SKEW, 1_000_000);
        ProbeResult tcp = result(s, s.tasks().get(0), Outcome.OPEN);
        ProbeResult claim = new ProbeResult(tcp.schemaVersion(), tcp.resultId(), tcp.taskId(), tcp.surveyId(), tcp.siteId(),
                tcp.vantage(), tcp.agentId(), tcp.agentVersion(), tcp.requirementId(), ProbeKind.RESPOND, tcp.target(),
                tcp.ports(), Outcome.LISTENED, null, null, null, "tcp", tcp.startedAt(), Map.of(), "closed",
                new ReceiptEvidence(List.of(), List.of(), List.of(), false, null));
        ResultStore.Stored stored = store.store(List.of(checked(claim)));
        assertThat(stored.refused()).singleElement()
                .satisfies(r -> assertThat(r.refusal().reason()).contains("is not a responder window"));
        assertThat(count("SELECT count(*) FROM window_report WHERE survey_id = ?", s.id())).isZero();
        assertThat(count("SELECT windows_reported FROM survey WHERE id = ?", s.id())).isZero();
    }

    // --- the fixture: what the planner and the agents would have written

    private static String newSite() throws SQLException {
        String site = "store-" + UUID.randomUUID().toString().substring(0, 8);
        update("INSERT INTO site (id, name, catalog, version, created_at, updated_at) VALUES (?, ?, 'jtel-acd', 1, now(), now())",
                site, site);
        update("INSERT INTO site_version (site_id, version, document, created_at, created_by) VALUES (?, 1, '{}', now(), 'test')",
                site);
        return site;
    }

    private static Survey survey(String site, int taskCount) throws SQLException {
        return survey(site, taskCount, "agent-1");
    }

    private static Survey survey(String site, int taskCount, String agent) throws SQLException {
        UUID id = UUID.randomUUID();
        update("INSERT INTO survey (id, site_id, site_version, catalog, mode, state, task_count, plan, created_at, "
                + "created_by, deadline_at) VALUES (?, ?, 1, 'jtel-acd', 'post-install', 'running', ?, '[]', ?, 'test', ?)",
                id, site, taskCount, Timestamp.from(Instant.now().minusSeconds(60)),
                Timestamp.from(Instant.now().plusSeconds(3600)));
        List<UUID> tasks = IntStream.range(0, taskCount).mapToObj(i -> UUID.randomUUID()).toList();
        try (Connection c = db.getConnection(); PreparedStatement s = c.prepareStatement("INSERT INTO survey_task "
                + "(survey_id, task_id, agent_id, vantage, requirement_id, task) VALUES (?, ?, ?, 'end-users', ?, '{}')")) {
            for (int i = 0; i < taskCount; i++) {
                s.setObject(1, id);
                s.setObject(2, tasks.get(i));
                s.setString(3, agent);
                s.setString(4, "req-" + i);
                s.addBatch();
            }
            s.executeBatch();
        }
        return new Survey(site, id, tasks, agent);
    }

    /** A result for the survey's task; its requirement is {@code req-<index of the task>}. */
    private static ProbeResult result(Survey s, UUID task, Outcome outcome) {
        return new ProbeResult(Wire.SCHEMA_VERSION, UUID.randomUUID().toString(), task.toString(), s.id().toString(),
                s.site(), "end-users", "agent-1", "0.1.0-test", "req-" + s.tasks().indexOf(task), ProbeKind.TCP,
                "203.0.113.10", PortRange.of(443), outcome, "10.0.0.1:40000", "203.0.113.10:443", "ipv4", "tcp",
                Instant.now(), Map.of("total", 1200L), "tcp 203.0.113.10:443 " + outcome, null);
    }

    /** A responder window's report for the survey's task: the opening one (no evidence) or the closing one. */
    private static ProbeResult respond(Survey s, UUID task, ReceiptEvidence receipts) {
        return new ProbeResult(Wire.SCHEMA_VERSION, UUID.randomUUID().toString(), task.toString(), s.id().toString(),
                s.site(), "end-users", "agent-1", "0.1.0-test", "req-" + s.tasks().indexOf(task), ProbeKind.RESPOND,
                "10.0.0.5", PortRange.of(443), Outcome.LISTENED, null, "10.0.0.5 tcp 443", null, "tcp",
                Instant.now().minusSeconds(10), Map.of(), "responder", receipts);
    }

    private static ProbeResult withAgent(ProbeResult r, String agent) {
        return new ProbeResult(r.schemaVersion(), r.resultId(), r.taskId(), r.surveyId(), r.siteId(), r.vantage(), agent,
                r.agentVersion(), r.requirementId(), r.kind(), r.target(), r.ports(), r.outcome(), r.sourceAddress(),
                r.destinationAddress(), r.addressFamily(), r.protocol(), r.startedAt(), r.timingsMicros(), r.summary(),
                r.evidence());
    }

    private static ProbeResult withSummary(ProbeResult r, String summary) {
        return new ProbeResult(r.schemaVersion(), r.resultId(), r.taskId(), r.surveyId(), r.siteId(), r.vantage(),
                r.agentId(), r.agentVersion(), r.requirementId(), r.kind(), r.target(), r.ports(), r.outcome(),
                r.sourceAddress(), r.destinationAddress(), r.addressFamily(), r.protocol(), r.startedAt(),
                r.timingsMicros(), summary, r.evidence());
    }

    private static ProbeResult withStart(ProbeResult r, Instant startedAt) {
        return new ProbeResult(r.schemaVersion(), r.resultId(), r.taskId(), r.surveyId(), r.siteId(), r.vantage(),
                r.agentId(), r.agentVersion(), r.requirementId(), r.kind(), r.target(), r.ports(), r.outcome(),
                r.sourceAddress(), r.destinationAddress(), r.addressFamily(), r.protocol(), startedAt,
                r.timingsMicros(), r.summary(), r.evidence());
    }

    /** As ingest decodes it from the wire, signed with agent-1's key. */
    private static ResultCheck.Checked checked(ProbeResult r) {
        return ResultCheck.decode(TestAgent.signedBy(r, KEY));
    }

    private static ResultSigner signer(KeyPair key) {
        return new ResultSigner(key.getPrivate(), key.getPublic());
    }

    private static void update(String sql, Object... params) throws SQLException {
        try (Connection c = db.getConnection(); PreparedStatement s = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                s.setObject(i + 1, params[i]);
            }
            s.executeUpdate();
        }
    }

    private static long count(String sql, Object... params) throws SQLException {
        return Long.parseLong(text(sql, params));
    }

    private static String text(String sql, Object... params) throws SQLException {
        try (Connection c = db.getConnection(); PreparedStatement s = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                s.setObject(i + 1, params[i]);
            }
            try (ResultSet rs = s.executeQuery()) {
                assertThat(rs.next()).as(sql).isTrue();
                return rs.getString(1);
            }
        }
    }
}
