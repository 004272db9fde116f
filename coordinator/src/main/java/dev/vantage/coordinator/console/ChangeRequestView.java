package dev.vantage.coordinator.console;

import dev.vantage.change.Change;
import dev.vantage.change.ChangeRequest;
import dev.vantage.change.DeviceChanges;
import dev.vantage.change.ToVerify;

import java.util.List;

/**
 * A survey's change request as the survey page shows it: per device its owner and changes (the ticket line, what
 * it rests on, the nftables snippet), then what is left to verify. Texts go to the template as they are; Qute
 * escapes them.
 *
 * @param devices  the devices that must change, empty when no change is needed
 * @param toVerify the open questions
 * @param href     the JSON of the change request ({@code GET /surveys/{id}/change-request})
 */
public record ChangeRequestView(List<DeviceView> devices, List<VerifyView> toVerify, String href) {

    /** A device and its changes. */
    public record DeviceView(String name, String owner, List<ChangeItem> changes) {
    }

    /** One change: its id, kind, ticket line, requirements and evidence in words, and its nftables snippet or null. */
    public record ChangeItem(String id, String kind, String line, String requirements, String evidence, String nftables) {
    }

    /** A question to verify. */
    public record VerifyView(String requirementId, String code, String decide, String vantages) {
    }

    static ChangeRequestView of(ChangeRequest r, String surveyId) {
        return new ChangeRequestView(r.devices().stream().map(ChangeRequestView::device).toList(),
                r.toVerify().stream().map(ChangeRequestView::verify).toList(), "/surveys/" + surveyId + "/change-request");
    }

    private static DeviceView device(DeviceChanges d) {
        return new DeviceView(d.device().name(), d.device().owner(), d.changes().stream().map(ChangeRequestView::item).toList());
    }

    private static ChangeItem item(Change c) {
        String evidence = String.join(", ", c.evidence().codes().stream().map(Enum::name).toList()) + " from "
                + String.join(", ", c.evidence().vantages())
                + (c.evidence().reachedFrom().isEmpty() ? "" : "; reached from " + String.join(", ", c.evidence().reachedFrom()));
        return new ChangeItem(c.id(), c.kind().name(), c.line(), String.join(", ", c.requirements()), evidence,
                c.snippets().get("nftables"));
    }

    private static VerifyView verify(ToVerify v) {
        return new VerifyView(v.requirementId(), v.code() == null ? v.status().name() : v.code().name(), v.decide(),
                String.join(", ", v.vantages()));
    }
}
