package dev.vantage.analysis;

import java.util.List;

/**
 * Why a requirement or a single check got its status: a stable code for machines and one or two
 * sentences for people, naming addresses, ports and vantages.
 *
 * @param code      stable code, documented in {@code docs/diagnosis-codes.md}
 * @param text      plain-language explanation
 * @param vantages  the vantage roles the diagnosis is about
 * @param resultIds the results it rests on (empty when it rests on the plan, e.g. UNTESTED)
 */
public record Diagnosis(DiagnosisCode code, String text, List<String> vantages, List<String> resultIds) {
    public Diagnosis {
        vantages = List.copyOf(vantages);
        resultIds = List.copyOf(resultIds);
    }

    static Diagnosis of(DiagnosisCode code, String text) {
        return new Diagnosis(code, text, List.of(), List.of());
    }
}
