package dev.vantage.system;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * A lab scenario file (deploy/lab/scenarios/*.scenario) as far as the tests need it: its mode and the verdicts
 * it expects. The lab script reads the same file for the faults it plants.
 *
 * @param mediaResponder whether the survey runs with the media option ({@code media-responder yes})
 * @param expected       requirement id to the verdict (and, when given, the diagnosis code) the survey must give;
 *                       every other requirement must come out {@link #HARMLESS}
 */
record Scenario(String name, String description, String mode, boolean mediaResponder,
                Map<String, Expectation> expected) {

    /** What a requirement without an expectation may be: nothing failed. */
    static final Set<String> HARMLESS = Set.of("PASS", "NOT_APPLICABLE", "UNTESTED");

    record Expectation(String verdict, String code) {
        @Override
        public String toString() {
            return verdict + (code == null ? "" : " " + code);
        }
    }

    static Scenario read(Path file) throws IOException {
        String name = file.getFileName().toString().replaceFirst("\\.scenario$", "");
        String description = null;
        String mode = "pre-install";
        boolean mediaResponder = false;
        Map<String, Expectation> expected = new LinkedHashMap<>();
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.startsWith("#")) {
                if (description == null) {
                    description = line.substring(1).strip();
                }
                continue;
            }
            String[] words = line.replaceFirst("#.*", "").strip().split("\\s+");
            if (words[0].equals("mode")) {
                mode = words[1];
            } else if (words[0].equals("media-responder")) {
                mediaResponder = words.length > 1 && words[1].equals("yes");
            } else if (words[0].equals("expect")) {
                if (words.length < 3 || words.length > 4) {
                    throw new IllegalArgumentException(file + ":" + (i + 1) + ": expect needs REQUIREMENT VERDICT [CODE], was '"
                            + line + "'");
                }
                expected.put(words[1], new Expectation(words[2], words.length == 4 ? words[3] : null));
            }
        }
        return new Scenario(name, description, mode, mediaResponder, expected);
    }

    /** Every way the verdicts differ from this scenario's expectations; empty when they match. */
    List<String> mismatches(List<Verdict> verdicts) {
        return mismatches(verdicts, v -> false);
    }

    /**
     * As {@link #mismatches(List)}, except for verdicts that {@code excused} accepts in place of the expected one (a
     * survey that lost a vantage may say so instead of giving the verdict).
     */
    List<String> mismatches(List<Verdict> verdicts, Predicate<Verdict> excused) {
        List<String> problems = new ArrayList<>();
        Map<String, Verdict> byId = new LinkedHashMap<>();
        verdicts.forEach(v -> byId.put(v.requirementId(), v));
        expected.forEach((id, e) -> {
            Verdict v = byId.get(id);
            if (v == null) {
                problems.add(id + ": expected " + e + ", but the survey has no verdict for it");
            } else if ((!v.verdict().equals(e.verdict()) || (e.code() != null && !e.code().equals(v.diagnosisCode())))
                    && !excused.test(v)) {
                problems.add(id + ": expected " + e + ", got " + v);
            }
        });
        byId.forEach((id, v) -> {
            if (!expected.containsKey(id) && !HARMLESS.contains(v.verdict()) && !excused.test(v)) {
                problems.add(id + ": expected no failure, got " + v);
            }
        });
        return problems;
    }

    record Verdict(String requirementId, String verdict, String diagnosisCode, String diagnosis) {
        @Override
        public String toString() {
            return verdict + (diagnosisCode == null ? "" : " " + diagnosisCode) + (diagnosis == null ? "" : " (" + diagnosis + ")");
        }
    }
}
