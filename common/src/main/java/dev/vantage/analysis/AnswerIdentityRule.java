package dev.vantage.analysis;

import dev.vantage.catalog.Zone;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;

import static dev.vantage.analysis.DiagnosisCode.UNIDENTIFIED_ANSWER;
import static dev.vantage.analysis.DiagnosisCode.WRONG_DESTINATION;
import static dev.vantage.analysis.Phrasing.from;
import static dev.vantage.analysis.Phrasing.join;
import static dev.vantage.analysis.Phrasing.proto;
import static dev.vantage.analysis.Phrasing.where;

/**
 * Pre-install, something other than the Vantage responder answered: the stack's internal address seen
 * from inside tells whether that is a service already on the stack or another host behind the address.
 */
final class AnswerIdentityRule implements CrossVantageRule {

    @Override
    public void apply(SurveyChecks survey) {
        for (Judged j : survey.checks) {
            if (j.foreignAnswer != null && j.status == VerdictStatus.PASS && j.destinationRole() != null) {
                identify(j, survey);
            }
        }
    }

    private static void identify(Judged j, SurveyChecks survey) {
        String role = j.destinationRole();
        List<String> responderInside = new ArrayList<>();
        List<String> sameInside = new ArrayList<>();
        for (Judged o : survey.checks) {
            if (o == j || o.destinationRole() == null || !o.destinationRole().equals(role) || o.transport != j.transport
                    || o.zone != Zone.INSIDE || o.addressKind != AddressKind.INTERNAL || o.task.ports() == null
                    || !o.task.ports().overlaps(j.task.ports())) {
                continue;
            }
            if (o.responderAnswered) {
                responderInside.add(o.task.vantage());
            } else if (j.foreignAnswer.equals(o.foreignAnswer)) {
                sameInside.add(o.task.vantage());
            }
        }
        String answered = proto(j) + " " + where(j) + " from " + from(j) + " was answered by \"" + j.foreignAnswer
                + "\", not by the Vantage responder";
        boolean inside = j.isInsideInternal();
        if (!responderInside.isEmpty() && !inside) {
            j.set(VerdictStatus.FAIL, WRONG_DESTINATION, answered + ", while " + role + "'s responder answers from "
                    + join(dedupe(responderInside)) + ": the address or port forward leads to another host, or a device on"
                    + " the path answers in its place.");
        } else if (inside || !sameInside.isEmpty()) {
            j.addNote(UNIDENTIFIED_ANSWER, answered + (inside ? "" : "; " + join(dedupe(sameInside))
                    + " get the same answer from the internal address") + ": a service already listens on "
                    + role + ", the path is proven.");
        } else {
            j.set(VerdictStatus.INCONCLUSIVE, UNIDENTIFIED_ANSWER, answered + ", and no inside vantage shows what "
                    + role + " itself answers: it cannot be told whether the path leads to " + role + ".");
        }
    }

    private static List<String> dedupe(List<String> names) {
        return new ArrayList<>(new LinkedHashSet<>(names));
    }
}
