package dev.vantage.analysis;

import dev.vantage.site.Vantage;
import dev.vantage.wire.Outcome;
import dev.vantage.wire.ProbeKind;
import dev.vantage.wire.ProbeResult;
import dev.vantage.wire.ProbeTask;
import dev.vantage.wire.ReceiptEvidence;
import dev.vantage.wire.Wire;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Which report of a responder window the cross-vantage rules see. */
class ResponderWindowReportsTest {
    private static final Instant OPENED = Instant.parse("2026-11-26T06:00:00Z");

    @Test
    void aWindowIsSeenThroughItsClosingReportWhichStartsWhenTheOpeningOneDoes() {
        SurveyFixture f = SurveyFixture.of("mode: pre-install");
        ProbeTask window = firstWindow(f);
        String agent = agentOf(f, window);
        ReceiptEvidence receipts = new ReceiptEvidence(List.of(window.ports()), List.of(), List.of(), false, null);
        // the ids sort the closing report first: arrival and id order must not decide
        ProbeResult opening = report(window, agent, "b-opening", null);
        ProbeResult closing = report(window, agent, "a-closing", receipts);
        for (List<ProbeResult> results : List.of(List.of(opening, closing), List.of(closing, opening))) {
            SurveyPlans plans = SurveyPlans.of(new SurveyInput(f.catalog, f.site, f.plan, results, OPENED));
            List<ResponderWindow> windows = new Acceptance(plans).accept(results).windows(plans);
            assertThat(windows.stream().filter(w -> w.task().taskId().equals(window.taskId())).findFirst().orElseThrow()
                    .reports()).singleElement().satisfies(r -> {
                        assertThat(r.latest()).isEqualTo(closing);
                        assertThat(r.closing()).isEqualTo(receipts);
                        assertThat(r.opened()).isEqualTo(OPENED);
                    });
        }
    }

    @Test
    void withoutAClosingReportTheOpeningOneStands() {
        SurveyFixture f = SurveyFixture.of("mode: pre-install");
        ProbeTask window = firstWindow(f);
        String agent = agentOf(f, window);
        ProbeResult opening = report(window, agent, "b-opening", null);
        SurveyPlans plans = SurveyPlans.of(new SurveyInput(f.catalog, f.site, f.plan, List.of(opening), OPENED));
        assertThat(new Acceptance(plans).accept(List.of(opening)).windows(plans).stream()
                .filter(w -> w.task().taskId().equals(window.taskId())).findFirst().orElseThrow().reports())
                .singleElement().satisfies(r -> {
                    assertThat(r.latest()).isEqualTo(opening);
                    assertThat(r.closing()).as("no receipts: judged as before").isNull();
                });
    }

    private static ProbeTask firstWindow(SurveyFixture f) {
        return f.plan.tasks().stream().filter(t -> t.kind() == ProbeKind.RESPOND).findFirst().orElseThrow();
    }

    /** The agent that runs the window: the one playing its role. */
    private static String agentOf(SurveyFixture f, ProbeTask window) {
        return f.site.vantages().stream().filter(v -> v.roles().contains(window.vantage()))
                .map(Vantage::agent).findFirst().orElseThrow();
    }

    private static ProbeResult report(ProbeTask t, String agent, String id, ReceiptEvidence evidence) {
        return new ProbeResult(Wire.SCHEMA_VERSION, id, t.taskId(), null, t.siteId(), t.vantage(), agent, "test",
                t.requirementId(), t.kind(), t.target(), t.ports(), Outcome.LISTENED, null, null, null, "udp", OPENED,
                Map.of(), "responder", evidence);
    }
}
