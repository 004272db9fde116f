package dev.vantage.system;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The lab proves a scenario's change request (issue 16, docs/change-request.md): after the first survey gave the
 * scenario's expected verdicts, its change request ({@code GET /surveys/{id}/change-request}) is applied to the running
 * lab with {@code deploy/lab/lab apply-changes}. Where the lab applied nftables or DNS changes, a second survey of the
 * same mode and options must give PASS for every requirement an applied change names and, for every other requirement,
 * the first survey's verdict and diagnosis code: a change request that does not fix the lab, or that changes more than
 * it says, fails. The second survey is one of chosen requirements: every requirement but the media ranges
 * ({@link LabSystem#mediaRangeRequirements}), plus those an applied change names. The media ranges' sweeps and streams
 * are most of a survey's time and would be swept again 15 times; a change that broke a media range without naming it
 * would go unseen here (the first survey of every scenario sees them). The changes made in words (a SIP ALG, TLS inspection, a service) must be the ones the scenario names
 * ({@code fixed-by words}), addressed to the device the scenario names.
 *
 * <p>The change request, the output of {@code apply-changes} and the second survey's verdicts land in the lab logs:
 * {@code change-request-SCENARIO.json}, {@code apply-changes-SCENARIO.log}, {@code verdicts-SCENARIO-after-changes.json},
 * and a line per proven scenario with what it cost in {@code change-request-proofs.log}.
 */
final class ChangeRequestProof {
    /** The lines of {@code lab apply-changes} (on stderr, in the log of its run) that name a change by id and kind. */
    private static final Pattern APPLIED = Pattern.compile("^lab: applied (\\S+) \\((\\S+)\\)", Pattern.MULTILINE);
    private static final Pattern IN_WORDS = Pattern.compile("^lab: not applied, in words: (\\S+) \\((\\S+)\\)", Pattern.MULTILINE);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final LabSystem system;

    ChangeRequestProof(LabSystem system) {
        this.system = system;
    }

    /** One change of the request, with the device it is addressed to. */
    private record Addressed(String id, String kind, String device, String role, List<String> requirements, String line) {
        @Override
        public String toString() {
            return id + " " + kind + " on " + device + (role == null ? "" : " " + role) + " (" + line + ")";
        }
    }

    /** Applies the change request of the scenario's completed survey {@code surveyId} and proves it as described above. */
    void changeRequestFixesTheLab(Scenario scenario, String surveyId) throws Exception {
        Instant start = Instant.now();
        String name = scenario.name();
        Path logs = system.settings().logs();
        Path file = logs.resolve("change-request-" + name + ".json");
        Files.writeString(file, system.get("/surveys/" + surveyId + "/change-request"));
        Map<String, Addressed> changes = changes(JSON.readTree(file.toFile()));

        system.scripts().run("apply-changes-" + name, "deploy/lab/lab", "apply-changes", file.toString());
        String output = Files.readString(logs.resolve("apply-changes-" + name + ".log"));
        List<Addressed> applied = named(APPLIED, output, changes);
        List<Addressed> inWords = named(IN_WORDS, output, changes);

        List<String> problems = new ArrayList<>();
        for (Addressed c : inWords) {
            if (scenario.inWords().stream().noneMatch(w -> w.matches(c.kind(), c.device(), c.role()))) {
                problems.add("made in words, but the scenario names no such change (fixed-by words): " + c);
            }
        }
        for (Scenario.InWords w : scenario.inWords()) {
            if (inWords.stream().noneMatch(c -> w.matches(c.kind(), c.device(), c.role()))) {
                problems.add("the scenario expects " + w + " in words; the changes made in words are " + inWords);
            }
        }
        if (!scenario.fixedByChanges()) {
            assertThat(applied).as("scenario %s is fixed in words only, but the lab applied changes of its change request"
                    + " (say fixed-by changes, and prove them)", name).isEmpty();
        } else {
            assertThat(applied).as("scenario %s says fixed-by changes, but the lab applied none of its change request %s"
                    + " (see %s)", name, file, logs.resolve("apply-changes-" + name + ".log")).isNotEmpty();
            problems.addAll(secondSurveyDiffers(scenario, surveyId, applied, inWords));
        }
        assertThat(problems).as("the change request of scenario %s (survey %s, %s)", name, surveyId, file).isEmpty();
        // what the proof costs the run (CI's time budget), one line per scenario
        Files.writeString(logs.resolve("change-request-proofs.log"), String.format("%s: %d applied, %d in words, proven in %d s%n",
                name, applied.size(), inWords.size(), Duration.between(start, Instant.now()).toSeconds()),
                StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    /**
     * Surveys again: what differs from "the requirements of the applied changes pass, everything else is as before".
     * A requirement also named by a change made in words is not expected to pass: the lab could not make that change.
     */
    private List<String> secondSurveyDiffers(Scenario scenario, String first, List<Addressed> applied, List<Addressed> inWords)
            throws Exception {
        Set<String> fixed = new LinkedHashSet<>();
        applied.forEach(c -> fixed.addAll(c.requirements()));
        inWords.forEach(c -> fixed.removeAll(c.requirements()));
        Set<String> chosen = new java.util.TreeSet<>(LabSystem.requirementsBut(LabSystem.mediaRangeRequirements(scenario.mode())));
        chosen.addAll(fixed);
        String again = system.surveyAsTheScenarioSays(scenario, chosen);
        Map<String, Scenario.Verdict> before = new HashMap<>();
        system.verdicts(first, scenario.name()).forEach(v -> before.put(v.requirementId(), v));
        List<String> problems = new ArrayList<>();
        for (Scenario.Verdict v : system.verdicts(again, scenario.name() + "-after-changes")) {
            Scenario.Verdict was = before.get(v.requirementId());
            if (fixed.contains(v.requirementId())) {
                if (!v.verdict().equals("PASS")) {
                    problems.add(v.requirementId() + ": named by an applied change, but after it (survey " + again + ") "
                            + v + "; before: " + was);
                }
            } else if (was == null || !was.verdict().equals(v.verdict()) || !Objects.equals(was.diagnosisCode(), v.diagnosisCode())) {
                problems.add(v.requirementId() + ": named by no applied change, but changed (survey " + again + "): from "
                        + was + " to " + v);
            }
        }
        return problems;
    }

    private static Map<String, Addressed> changes(JsonNode request) {
        Map<String, Addressed> changes = new HashMap<>();
        for (JsonNode device : request.path("devices")) {
            JsonNode d = device.path("device");
            for (JsonNode c : device.path("changes")) {
                List<String> requirements = new ArrayList<>();
                c.path("requirements").forEach(r -> requirements.add(r.asText()));
                changes.put(c.path("id").asText(), new Addressed(c.path("id").asText(), c.path("kind").asText(),
                        d.path("kind").asText(), d.path("role").isNull() ? null : d.path("role").asText(null),
                        requirements, c.path("line").asText()));
            }
        }
        return changes;
    }

    private static List<Addressed> named(Pattern lines, String output, Map<String, Addressed> changes) {
        List<Addressed> named = new ArrayList<>();
        Matcher m = lines.matcher(output);
        while (m.find()) {
            Addressed c = changes.get(m.group(1));
            assertThat(c).as("apply-changes named change %s, which the change request does not have", m.group(1)).isNotNull();
            assertThat(c.kind()).as("the kind of change %s", c.id()).isEqualTo(m.group(2));
            named.add(c);
        }
        return named;
    }
}
