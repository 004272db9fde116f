package dev.vantage.system;

import dev.vantage.change.ChangeKind;
import dev.vantage.change.DeviceKind;

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
 * A lab scenario file (deploy/lab/scenarios/*.scenario) as far as the tests need it: its mode, the verdicts it
 * expects and how its change request fixes it. The lab script reads the same file for the faults it plants.
 *
 * <p>A scenario plants a fault when it expects a FAIL or PARTIAL; then it must say how the fault is fixed ({@code
 * fixed-by changes}, {@code fixed-by words ...}), and only then may it say so: a scenario the change request proof
 * would skip silently is an error when the file is read.
 *
 * @param mediaResponder whether the survey runs with the media option ({@code media-responder yes})
 * @param expected       requirement id to the verdict (and, when given, the diagnosis code) the survey must give;
 *                       every other requirement must come out {@link #HARMLESS}
 * @param fixedByChanges {@code fixed-by changes}: applying the change request's nftables and DNS changes to the lab
 *                       ({@code lab apply-changes}) makes the requirements they name pass, and changes nothing else
 * @param inWords        {@code fixed-by words}: the changes the change request must make in words (not applicable in
 *                       the lab); every change it makes in words must match one of them
 */
record Scenario(String name, String description, String mode, boolean mediaResponder,
                Map<String, Expectation> expected, boolean fixedByChanges, List<InWords> inWords) {

    /** What a requirement without an expectation may be: nothing failed. */
    static final Set<String> HARMLESS = Set.of("PASS", "NOT_APPLICABLE", "UNTESTED");

    /** What a planted fault gives: a verdict that a change must turn into PASS. */
    static final Set<String> FAULTY = Set.of("FAIL", "PARTIAL");

    /**
     * {@code fixed-by words KIND DEVICE [ROLE]}: a change of that kind, addressed to that device kind (and role, when
     * given), made in words.
     */
    record InWords(String kind, String device, String role) {
        boolean matches(String kind, String device, String role) {
            return this.kind.equals(kind) && this.device.equals(device) && (this.role == null || this.role.equals(role));
        }

        @Override
        public String toString() {
            return kind + " on " + device + (role == null ? "" : " " + role);
        }
    }

    /**
     * The scenario as a survey of the chosen requirements sees it: its expectations of those, none of the others
     * (such a survey gives the others no verdict).
     */
    Scenario of(Set<String> chosen) {
        Map<String, Expectation> some = new LinkedHashMap<>(expected);
        some.keySet().retainAll(chosen);
        return new Scenario(name, description, mode, mediaResponder, some, fixedByChanges, inWords);
    }

    /** Whether the scenario plants a fault: it expects a verdict that some change must turn into PASS. */
    boolean plantsAFault() {
        return expected.values().stream().anyMatch(e -> FAULTY.contains(e.verdict()));
    }

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
        boolean fixedByChanges = false;
        List<InWords> inWords = new ArrayList<>();
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
            } else if (words[0].equals("fixed-by")) {
                String where = file + ":" + (i + 1) + ": ";
                if (words.length == 2 && words[1].equals("changes")) {
                    fixedByChanges = true;
                } else if ((words.length == 4 || words.length == 5) && words[1].equals("words")) {
                    inWords.add(inWords(where, words));
                } else {
                    throw new IllegalArgumentException(where + "fixed-by needs 'changes' or 'words KIND DEVICE [ROLE]', was '"
                            + line + "'");
                }
            }
        }
        Scenario scenario = new Scenario(name, description, mode, mediaResponder, expected, fixedByChanges, List.copyOf(inWords));
        boolean saysHow = fixedByChanges || !inWords.isEmpty();
        if (scenario.plantsAFault() && !saysHow) {
            throw new IllegalArgumentException(file + ": expects a FAIL or PARTIAL but says not how its change request fixes"
                    + " it: add 'fixed-by changes' (its nftables and DNS changes) or 'fixed-by words KIND DEVICE [ROLE]'");
        }
        if (!scenario.plantsAFault() && saysHow) {
            throw new IllegalArgumentException(file + ": says fixed-by, but expects no FAIL or PARTIAL: there is nothing to fix");
        }
        return scenario;
    }

    private static InWords inWords(String where, String[] words) {
        try {
            ChangeKind.valueOf(words[2]);
            DeviceKind.valueOf(words[3]);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(where + "fixed-by words needs a change kind (" + List.of(ChangeKind.values())
                    + ") and a device kind (" + List.of(DeviceKind.values()) + "), was '" + words[2] + " " + words[3] + "'");
        }
        return new InWords(words[2], words[3], words.length == 5 ? words[4] : null);
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
