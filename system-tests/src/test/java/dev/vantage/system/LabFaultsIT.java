package dev.vantage.system;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * The whole system under the faults production brings, in the lab: during surveys of the lab's five agents the broker,
 * the coordinator and PostgreSQL are SIGKILLed and restarted, an agent is cut off from Kafka, an agent is SIGKILLed
 * with its responder windows open. Each test asserts what must hold: the survey completes because every task is
 * answered (or, where a vantage was lost, says which), every dispatched task has exactly one answer and no result is
 * stored twice (PostgreSQL read directly: {@link SurveyLedger}), and the verdicts are those the scenario expects
 * undisturbed (its {@code expect} lines, compared as {@link LabScenariosIT} compares them).
 *
 * <p>It uses the run's {@link SharedLabSystem} after LabScenariosIT (a second whole system would cost minutes) and
 * leaves it whole after every test, also a failed one ({@link Faults#heal()}). What each test did and saw (when it
 * killed what, how far the survey was, the backlog) goes to {@code <logs>/faults.log} and the test's output.
 *
 * <p>The coordinator's backlog: {@code vantage.faults.backlog-surveys} post-install surveys (default 40) of every
 * requirement but the media ranges ({@link LabSystem#mediaRangeRequirements}: their sweeps take turns on each agent and
 * would make 40 surveys last minutes) and the NAT check (one responder window at a time) and the must-be-blocked ports (each probe waits out a drop), over 2,000 tasks. The agents are cut off from Kafka while the surveys start and go
 * out, the coordinator is killed, the agents let back: every answer piles up in Kafka. The coordinator starts again
 * once all of them wait there, and is killed again while it ingests them; faults.log gives the numbers of each run.
 *
 * <p>It runs in {@code .ci/run} after the scenarios; coordinator/README.md, "Faults", has each run's times.
 */
@Order(2)
@ExtendWith(SharedLabSystem.class)
class LabFaultsIT {
    /** How many post-install surveys make the coordinator's backlog ({@code vantage.faults.backlog-surveys}). */
    private static final int BACKLOG_SURVEYS = Integer.getInteger("vantage.faults.backlog-surveys", 40);
    /** How long the agent stays cut off from Kafka. */
    private static final Duration CUT = Duration.ofSeconds(60);

    private static LabSystem system;
    private static Faults faults;
    private static SurveyLedger ledger;

    @BeforeAll
    static void useTheSystem(LabSystem shared) throws IOException {
        system = shared;
        faults = new Faults(system);
        ledger = new SurveyLedger(system.env());
    }

    @AfterEach
    void healTheSystem() throws Exception {
        faults.heal();
    }

    @Test
    void aSurveyCompletesAcrossThreeBrokerCrashes() throws Exception {
        Scenario scenario = scenario("post-install-correct");
        system.apply(scenario);
        String id = start(scenario, Duration.ofMinutes(8));
        List<String> survey = List.of(id);
        // 1: the responders reported their windows; the probes still wait for the responder lead
        await("the survey's first answer", Duration.ofMinutes(2), () -> ledger.answered(survey) > 0);
        crashTheBroker(1, survey);
        // 2: as soon as it serves again, while the coordinator and the agents reconnect (the probes still wait in the
        // outbox, so no agent is in the middle of a batch)
        crashTheBroker(2, survey);
        // 3: the probes went out through the restarted broker and their results come in
        long answered = ledger.answered(survey);
        await("an answer through the restarted broker", Duration.ofMinutes(3), () -> ledger.answered(survey) > answered);
        Instant third = crashTheBroker(3, survey);
        JsonNode done = system.awaitCompleted(id, Duration.ofMinutes(5), faults::assertEveryAgentRuns);
        assertThat(ledger.completedAt(id)).as("the survey completed after the third crash").isAfter(third);
        assertEverythingHolds(scenario, id, done, "fault-broker");
    }

    private Instant crashTheBroker(int n, List<String> survey) throws Exception {
        assertThat(ledger.completed(survey)).as("the survey still runs at crash %d", n).isZero();
        Instant at = faults.killKafka();
        log("broker SIGKILLed (%d of 3): %d of %d tasks answered", n, ledger.answered(survey), ledger.tasks(survey));
        faults.startKafka();
        log("broker serving again %s after the kill", Duration.between(at, Instant.now()));
        return at;
    }

    @Test
    void aSurveyCompletesAcrossAPostgresCrashDuringIngest() throws Exception {
        Scenario scenario = scenario("post-install-chat-blocked");
        system.apply(scenario);
        String id = start(scenario, Duration.ofMinutes(6));
        List<String> survey = List.of(id);
        long windows = ledger.windows(id);
        await("probe results being ingested", Duration.ofMinutes(2), () -> ledger.answered(survey) > windows);
        long answered = ledger.answered(survey);
        long tasks = ledger.tasks(survey); // read before the kill: the ledger reads PostgreSQL
        Instant at = faults.killPostgres();
        log("PostgreSQL SIGKILLed during ingest: %d of %d tasks answered", answered, tasks);
        faults.startPostgres();
        log("PostgreSQL accepting connections again %s after the kill; %d of %d tasks answered",
                Duration.between(at, Instant.now()), ledger.answered(survey), ledger.tasks(survey));
        JsonNode done = system.awaitCompleted(id, Duration.ofMinutes(4), faults::assertEveryAgentRuns);
        assertEverythingHolds(scenario, id, done, "fault-postgres");
    }

    @Test
    void anAgentCutOffFromKafkaForAMinuteDeliversItsSpooledResultsOnce() throws Exception {
        Scenario scenario = scenario("dns-internal-wrong");
        String agent = "lab-lan";
        system.apply(scenario);
        String id = start(scenario, Duration.ofMinutes(6));
        // every task published and its first probe answered: its tasks are in its hands then, its media tasks take
        // their turns for some 15 s more, and their results must wait in its spool
        await(agent + "'s first probe answer", Duration.ofMinutes(2),
                () -> ledger.undispatched(List.of(id)) == 0 && ledger.probesAnsweredBy(id, agent) > 0);
        Instant cut = Instant.now();
        faults.cutFromKafka(agent);
        log("%s cut off from Kafka: %d of its tasks answered", agent, ledger.answeredBy(id, agent));
        Set<String> spooled = new TreeSet<>();
        while (Instant.now().isBefore(cut.plus(CUT))) {
            spooled.addAll(faults.spooled(agent));
            Thread.sleep(500);
        }
        log("%s reconnected after %s; %d results waited in its spool meanwhile, %d of its tasks answered", agent,
                Duration.between(cut, Instant.now()), spooled.size(), ledger.answeredBy(id, agent));
        assertThat(spooled).as("results of %s that waited in its spool while it was cut off", agent).isNotEmpty();
        assertThat(ledger.completed(List.of(id))).as("the survey waits for %s", agent).isZero();
        faults.reconnectToKafka(agent);
        JsonNode done = system.awaitCompleted(id, Duration.ofMinutes(4), faults::assertEveryAgentRuns);
        assertEverythingHolds(scenario, id, done, "fault-agent-cut");
        for (String result : spooled) {
            assertThat(ledger.stored(result)).as("spooled result %s of %s stored once, as its task's answer or its window's closing report", result, agent)
                    .isEqualTo(1);
        }
    }

    @Test
    void surveysCompleteWhenTheCoordinatorIsKilledWhileIngestingTheirBacklog() throws Exception {
        Scenario all = scenario("post-install-correct");
        system.apply(all);
        // nor the NAT check: its responder window on the internet's agent serves one survey at a time, and with every
        // survey's tasks arriving at once a newer window would take over the port from an older survey's; nor the
        // must-be-blocked ports: each of their probes waits out a drop (seconds) in one of the internet agent's 8
        // task slots, and 40 surveys of them would queue there for a minute
        Set<String> left = new TreeSet<>(LabSystem.mediaRangeRequirements(all.mode()));
        left.add("nat.outbound");
        left.addAll(LabSystem.mustBeBlockedRequirements());
        Set<String> chosen = LabSystem.requirementsBut(left);
        Scenario scenario = all.of(chosen);
        // the agents cut off from Kafka while the surveys start and go out, so that all of their answers pile up
        for (String agent : LabSystem.AGENTS.keySet()) {
            faults.cutFromKafka(agent);
        }
        // many surveys at once: post-install, whose only responder (the NAT check's) a newer survey may take over
        List<String> surveys = new ArrayList<>();
        for (int i = 0; i < BACKLOG_SURVEYS; i++) {
            surveys.add(system.startSurvey(scenario.mode(), Duration.ofMinutes(10), Duration.ofMinutes(10), false, chosen));
        }
        long tasks = ledger.tasks(surveys);
        await("every task of the surveys dispatched", Duration.ofMinutes(2), () -> ledger.undispatched(surveys) == 0);
        faults.killCoordinator();
        long before = ledger.answered(surveys);
        for (String agent : LabSystem.AGENTS.keySet()) {
            faults.reconnectToKafka(agent);
        }
        log("coordinator SIGKILLed with %d surveys dispatched: %d of %d tasks answered; the agents reach Kafka again and"
                + " their answers pile up there", surveys.size(), before, tasks);
        Instant restarted;
        try (ResultBacklog backlog = new ResultBacklog(system.env())) {
            await("every outstanding answer of the surveys waiting in Kafka", Duration.ofMinutes(5),
                    () -> backlog.records() >= tasks - before);
            long waiting = backlog.records();
            Process start = faults.startCoordinatorInBackground();
            ledger.awaitAnsweredAbove(surveys, before, Duration.ofMinutes(3));
            faults.killCoordinator();
            long stored = ledger.answered(surveys) - before;
            long completed = ledger.completed(surveys);
            log("coordinator restarted on a backlog of %d results and SIGKILLed while ingesting it: %d of them stored "
                            + "(%d of %d tasks answered), %d of %d surveys completed, %d results not committed",
                    waiting, stored, before + stored, tasks, completed, surveys.size(), backlog.records());
            assertThat(stored < tasks - before || completed < surveys.size())
                    .as("the kill came while the backlog was being ingested (not after it was stored and every survey completed)")
                    .isTrue();
            assertThat(start.waitFor(3, TimeUnit.MINUTES)).as("the coordinator's start script noticed").isTrue();
            faults.startCoordinator();
            restarted = Instant.now();
            log("coordinator ready again");
        }
        for (String id : surveys) {
            JsonNode done = system.awaitCompleted(id, Duration.ofMinutes(4), () -> {
                faults.assertEveryAgentRuns();
                if (ledger.answered(List.of(id)) == ledger.tasks(List.of(id)) && ledger.completed(List.of(id)) == 0
                        && Instant.now().isAfter(restarted.plus(Duration.ofMinutes(1)))) {
                    fail("survey %s has every task answered but still runs a minute after the coordinator came back;"
                            + " it would complete only at its deadline", id);
                }
            });
            assertEverythingHolds(scenario, id, done, "fault-coordinator-" + surveys.indexOf(id));
        }
    }

    @Test
    void aSurveyWhoseResponderAgentIsKilledCompletesOrNamesTheLostVantage() throws Exception {
        Scenario scenario = scenario("correct");
        String agent = "lab-stack";
        system.apply(scenario);
        String id = start(scenario, Duration.ofMinutes(6));
        long windows = ledger.windows(id, agent);
        await(agent + " reporting its responder windows open", Duration.ofMinutes(2),
                () -> ledger.windowsOpen(id, agent) == windows);
        Instant at = faults.killAgent(agent);
        log("%s SIGKILLed with its %d responder windows open: %d of %d tasks answered", agent, windows,
                ledger.answered(List.of(id)), ledger.tasks(List.of(id)));
        faults.startAgent(agent);
        log("%s online again %s after the kill", agent, Duration.between(at, Instant.now()));
        JsonNode done = system.awaitCompleted(id, Duration.ofMinutes(8), faults::assertEveryAgentRuns);
        log("survey completed (%s)", done.path("completion").asText());
        // the windows lost with the agent's process never report; its heartbeat says it restarted, and the survey
        // does not wait the receipt grace for them
        assertThat(done.path("completion").asText()).as("survey %s: %s", id, done)
                .isIn("all-results", "agent-restarted");
        assertThat(ledger.problems(id)).as("tasks, answers and results of survey %s", id).isEmpty();
        List<Scenario.Verdict> verdicts = system.verdicts(id, "fault-agent-kill");
        List<Scenario.Verdict> lost = verdicts.stream().filter(LabFaultsIT::namesTheStackAsLost).toList();
        log("%d verdicts say the stack's vantage was lost", lost.size());
        assertThat(scenario.mismatches(verdicts, LabFaultsIT::namesTheStackAsLost))
                .as("verdicts of survey %s other than those saying %s was lost (scenario %s)", id, agent, scenario.name())
                .isEmpty();
    }

    /** A verdict that gives no finding on the network because the stack's agent (vantage acd-stack) was lost. */
    private static boolean namesTheStackAsLost(Scenario.Verdict v) {
        return v.verdict().equals("INCONCLUSIVE") && v.diagnosis() != null
                && (v.diagnosis().contains("lab-stack") || v.diagnosis().contains("acd-stack"));
    }

    /** Completed because every task was answered, each exactly once, nothing stored twice, the scenario's verdicts. */
    private static void assertEverythingHolds(Scenario scenario, String id, JsonNode survey, String name) throws Exception {
        assertThat(survey.path("completion").asText()).as("survey %s completed because every task was answered: %s", id,
                survey).isEqualTo("all-results");
        assertThat(ledger.problems(id)).as("tasks, answers and results of survey %s", id).isEmpty();
        system.assertExpectedVerdicts(scenario, id, name + "-" + scenario.name());
    }

    /**
     * Starts a survey of the scenario's mode whose responder windows last as long as it may run: a fault must not let
     * a window end before the probes it waits for have run (the windows end when the survey completes).
     */
    private static String start(Scenario scenario, Duration deadline) throws IOException, InterruptedException {
        return system.startSurvey(scenario.mode(), deadline, deadline);
    }

    private static Scenario scenario(String name) throws IOException {
        return Scenario.read(Scripts.TOP.resolve("deploy/lab/scenarios/" + name + ".scenario"));
    }

    private interface Condition {
        boolean holds() throws Exception;
    }

    /** Waits for something observable (polling every 200 ms); fails after {@code within}. */
    private static void await(String what, Duration within, Condition condition) throws Exception {
        Instant until = Instant.now().plus(within);
        while (!condition.holds()) {
            if (Instant.now().isAfter(until)) {
                fail("waited %s for %s", within, what);
            }
            Thread.sleep(200);
        }
    }

    private static void log(String format, Object... args) throws IOException {
        String line = Instant.now() + " " + String.format(format, args);
        System.out.println(line);
        Files.writeString(system.settings().logs().resolve("faults.log"), line + System.lineSeparator(),
                StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }
}
