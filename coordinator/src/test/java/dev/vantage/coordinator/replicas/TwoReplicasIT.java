package dev.vantage.coordinator.replicas;

import dev.vantage.coordinator.Api;
import dev.vantage.coordinator.Db;
import dev.vantage.coordinator.PackagedCoordinator;
import dev.vantage.coordinator.TestAgent;
import dev.vantage.testing.KafkaClients;
import dev.vantage.testing.TestKafka;
import dev.vantage.testing.TestPostgres;
import dev.vantage.trust.Ed25519Keys;
import dev.vantage.trust.TaskVerifier;
import dev.vantage.wire.ProbeKind;
import dev.vantage.wire.ProbeTask;
import dev.vantage.wire.SignedTask;
import dev.vantage.wire.Topics;
import dev.vantage.wire.Wire;
import io.restassured.specification.RequestSpecification;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two coordinator replicas, each the packaged application ({@code target/quarkus-app/quarkus-run.jar}) in its
 * own JVM, sharing this JVM's Kafka broker and PostgreSQL, as in production behind a load balancer: surveys
 * started on either replica are dispatched exactly once (each task once on Kafka, the outbox empty), results
 * are ingested exactly once by the consumer group (one row each, counted once across both), each survey is
 * completed once, and a due schedule starts one survey, not two.
 */
class TwoReplicasIT {
    private static final String GROUP = "vantage-coordinator";
    private static final int SURVEYS = 6;

    private static final List<Replica> replicas = new ArrayList<>();

    /** One coordinator process. */
    record Replica(String name, int port, Process process, Path log) {
        RequestSpecification api() {
            return Api.as(PackagedCoordinator.ADMIN).baseUri("http://localhost").port(port);
        }

        double metric(String name) throws Exception {
            String text = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://localhost:" + port
                    + "/q/metrics")).build(), HttpResponse.BodyHandlers.ofString()).body();
            return text.lines().filter(l -> l.startsWith(name + " ") || l.startsWith(name + "{"))
                    .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
        }
    }

    @BeforeAll
    static void startTwoReplicas() throws Exception {
        String kafka = TestKafka.bootstrapServers();
        try (Admin admin = admin()) {
            // the topics the replicas consume, with several partitions so the group splits them
            create(admin, new NewTopic(Topics.RESULTS, 4, (short) 1));
            create(admin, new NewTopic(Topics.HEARTBEATS, 2, (short) 1));
            create(admin, new NewTopic(Topics.DEAD_LETTERS, 1, (short) 1));
        }
        for (String name : List.of("replica-a", "replica-b")) {
            Path log = Path.of(System.getProperty("java.io.tmpdir"), "two-replicas-" + name + ".log");
            // tuned for the test: small dispatch batches (so both replicas claim rows of one survey), schedules and
            // deadlines checked every second, and the probes of a survey dispatched a second after its responders
            // (the test answers the windows only once it has every task, so each survey waits the whole lead)
            PackagedCoordinator.Started started = PackagedCoordinator.start(kafka, log, "-Dvantage.dispatch.batch-size=7",
                    "-Dvantage.surveys.schedule-check-interval=1s", "-Dvantage.surveys.deadline-check-interval=1s",
                    "-Dvantage.surveys.responder-lead=1s");
            replicas.add(new Replica(name, started.port(), started.process(), log));
        }
        for (Replica r : replicas) {
            awaitReady(r);
        }
        // both replicas in the results consumer group with partitions, before any result is produced
        try (Admin admin = admin()) {
            await().atMost(Duration.ofSeconds(90)).until(() -> {
                ConsumerGroupDescription g = admin.describeConsumerGroups(List.of(GROUP)).all().get().get(GROUP);
                return g.members().stream().filter(m -> m.assignment().topicPartitions().stream()
                        .anyMatch(tp -> tp.topic().equals(Topics.RESULTS))).count() == 2;
            });
        }
    }

    @AfterAll
    static void stopReplicasAndBroker() throws Exception {
        for (Replica r : replicas) {
            r.process().destroy();
        }
        for (Replica r : replicas) {
            if (!r.process().waitFor(30, TimeUnit.SECONDS)) {
                r.process().destroyForcibly();
            }
        }
        // stop the broker now rather than in its shutdown hook: at JVM exit that hook races with the hooks that
        // delete the broker's temporary directories, and a broker whose log directory vanishes halts the JVM
        // with a non-zero status, which failsafe reports as a failed fork
        TestKafka.cluster().close();
    }

    @Test
    void surveysStartedOnEitherReplicaAreDispatchedIngestedAndCompletedOnce() throws Exception {
        Replica a = replicas.get(0);
        Replica b = replicas.get(1);
        String site = Api.newSiteId("replicas");
        a.api().contentType("application/yaml").body(Api.exampleSite(site)).post("/sites").then().statusCode(201);

        Map<String, Integer> expected = new HashMap<>();
        for (int i = 0; i < SURVEYS; i++) {
            Replica via = i % 2 == 0 ? a : b;
            var started = via.api().contentType("application/json").body(Map.of("mode", "post-install"))
                    .post("/sites/{id}/surveys", site).then().statusCode(201).extract();
            expected.put(started.path("id"), started.path("taskCount"));
        }
        int total = expected.values().stream().mapToInt(Integer::intValue).sum();
        assertThat(total).isGreaterThan(SURVEYS * 10);

        // every task exactly once on the site's topic
        List<ProbeTask> tasks = readTasks(site, total);
        Set<String> ids = new HashSet<>();
        tasks.forEach(t -> assertThat(ids.add(t.taskId())).as("task %s sent once", t.taskId()).isTrue());
        assertThat(tasks).hasSize(total);
        for (Map.Entry<String, Integer> e : expected.entrySet()) {
            assertThat(tasks.stream().filter(t -> t.surveyId().equals(e.getKey()))).hasSize(e.getValue());
        }
        assertThat(Db.count("SELECT count(*) FROM outbox o JOIN survey s ON s.id = o.survey_id WHERE s.site_id = ?",
                site)).isZero();
        double dispatchedA = a.metric("vantage_tasks_dispatched_total");
        double dispatchedB = b.metric("vantage_tasks_dispatched_total");
        System.out.printf("tasks dispatched: %s by %s, %s by %s%n", dispatchedA, a.name(), dispatchedB, b.name());
        assertThat(dispatchedA + dispatchedB).as("dispatched across both replicas").isEqualTo(total);

        // every result exactly once into PostgreSQL, by whichever replica owns its partition; a responder window
        // also sends its closing report
        int stored = total;
        try (TestAgent agents = new TestAgent(site, (agent, keyId) -> Db.count(
                "SELECT count(*) FROM agent WHERE id = ? AND key_id = ?", agent, keyId) == 1);
             KafkaProducer<String, byte[]> producer = TestAgent.producer()) {
            tasks.forEach(t -> agents.enrol(t.agentId(), t.siteId(), t.vantage()));
            for (ProbeTask t : tasks) {
                producer.send(new ProducerRecord<>(Topics.RESULTS, t.surveyId(), TestAgent.signed(TestAgent.healthyResult(t))));
            }
            producer.flush();
            // as agents do: a window's closing report comes after the survey's probes are done (the close task), not
            // beside its opening report, which two batches in flight could then store in either order
            await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofSeconds(1)).until(() -> Db.count(
                    "SELECT count(*) FROM survey WHERE site_id = ? AND answered >= task_count", site) == SURVEYS);
            for (ProbeTask t : tasks) {
                if (t.kind() == ProbeKind.RESPOND) {
                    producer.send(new ProducerRecord<>(Topics.RESULTS, t.surveyId(), TestAgent.signed(TestAgent.closingReport(t))));
                    stored++;
                }
            }
            producer.flush();
        }
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofSeconds(1)).until(() ->
                Db.count("SELECT count(*) FROM survey WHERE site_id = ? AND state = 'completed'", site) == SURVEYS);
        assertThat(Db.count("SELECT count(*) FROM result WHERE site_id = ?", site)).isEqualTo(stored);
        assertThat(Db.count("SELECT count(*) FROM survey_task t JOIN survey s ON s.id = t.survey_id "
                + "WHERE s.site_id = ? AND NOT EXISTS (SELECT 1 FROM task_answer a WHERE a.survey_id = t.survey_id "
                + "AND a.task_id = t.task_id)", site)).isZero();
        assertThat(Db.count("SELECT count(*) FROM survey WHERE site_id = ? AND answered <> task_count", site)).isZero();
        assertThat(Db.count("SELECT count(*) FROM survey WHERE site_id = ? AND completion = 'all-results'", site))
                .isEqualTo(SURVEYS);
        double ingestedA = a.metric("vantage_results_ingested_total");
        double ingestedB = b.metric("vantage_results_ingested_total");
        System.out.printf("results ingested: %s by %s, %s by %s%n", ingestedA, a.name(), ingestedB, b.name());
        assertThat(ingestedA + ingestedB).as("each result consumed by one replica, once").isEqualTo(stored);
        assertThat(a.metric("vantage_surveys_completed_total") + b.metric("vantage_surveys_completed_total"))
                .as("each survey completed once").isEqualTo(SURVEYS);
        for (String survey : expected.keySet()) {
            a.api().get("/surveys/{id}/verdicts", survey).then().statusCode(200);
        }
    }

    @Test
    void aDueScheduleStartsOneSurveyAcrossBothReplicas() throws Exception {
        Replica a = replicas.get(0);
        String site = Api.newSiteId("replicas-schedule");
        a.api().contentType("application/yaml").body(Api.exampleSite(site)).post("/sites").then().statusCode(201);
        // yearly, so the only due time in this test is the one made due below
        a.api().contentType("application/json").body(Map.of("cron", "0 0 1 1 *", "mode", "post-install"))
                .put("/sites/{id}/schedule", site).then().statusCode(200);
        try (var c = TestPostgres.database().connect();
             var s = c.prepareStatement("UPDATE survey_schedule SET next_run_at = now() - interval '1 second' "
                     + "WHERE site_id = ?")) {
            s.setString(1, site);
            assertThat(s.executeUpdate()).isEqualTo(1);
        }

        await().atMost(Duration.ofSeconds(60)).until(() ->
                Db.count("SELECT count(*) FROM survey WHERE site_id = ? AND created_by = 'schedule'", site) > 0);
        Thread.sleep(5000); // both replicas have looked several more times
        assertThat(Db.count("SELECT count(*) FROM survey WHERE site_id = ?", site)).isEqualTo(1);
        assertThat(Db.count("SELECT count(*) FROM survey_schedule WHERE site_id = ? AND next_run_at > now() "
                + "AND last_survey_id IS NOT NULL", site)).isEqualTo(1);
    }

    private static List<ProbeTask> readTasks(String site, int expected) throws InterruptedException {
        TaskVerifier verifier = new TaskVerifier(Map.of(TestAgent.KEY_ID, Ed25519Keys.publicKey(TestAgent.PUBLIC_KEY)),
                Duration.ofMinutes(15), Duration.ofSeconds(30), Clock.systemUTC(), 100_000);
        List<ProbeTask> out = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = KafkaClients.consumer(TestKafka.bootstrapServers(),
                Topics.tasks(site))) {
            long end = System.nanoTime() + Duration.ofSeconds(120).toNanos();
            long quietUntil = Long.MAX_VALUE;
            // read until all arrived, then 5 s more: a task sent twice would show up in that time
            while (System.nanoTime() < Math.min(end, quietUntil)) {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(300))) {
                    TaskVerifier.Verification v = verifier.verify(Wire.decode(r.value(), SignedTask.class));
                    assertThat(v.refusal()).as("verification of a dispatched task").isNull();
                    assertThat(r.key()).isEqualTo(v.task().agentId());
                    out.add(v.task());
                }
                if (out.size() >= expected && quietUntil == Long.MAX_VALUE) {
                    quietUntil = System.nanoTime() + Duration.ofSeconds(5).toNanos();
                }
            }
        }
        return out;
    }

    private static void awaitReady(Replica r) throws IOException {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        try {
            await().atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofSeconds(1)).until(() -> {
                if (!r.process().isAlive()) {
                    throw new IllegalStateException(r.name() + " exited with " + r.process().exitValue());
                }
                try {
                    return http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + r.port() + "/q/health/ready"))
                            .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
                } catch (IOException e) {
                    return false;
                }
            });
        } catch (RuntimeException e) {
            System.out.println("log of " + r.name() + ":\n" + Files.readString(r.log()));
            throw e;
        }
    }

    private static Admin admin() {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, TestKafka.bootstrapServers()));
    }

    private static void create(Admin admin, NewTopic topic) throws InterruptedException, ExecutionException {
        try {
            admin.createTopics(List.of(topic)).all().get();
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof org.apache.kafka.common.errors.TopicExistsException)) {
                throw e;
            }
        }
    }
}
