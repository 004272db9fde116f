package dev.vantage.change;

import java.util.List;

/**
 * The change request of one survey: per device, the exact changes to make, each traced to requirements and evidence,
 * and what is left to verify. Made by {@link ChangeRequests}; rendered by {@link ChangeRequestMarkdown} and {@link
 * ChangeRequestCsv}, or as JSON (this record).
 *
 * @param siteId   the site
 * @param fqdn     the site's FQDN
 * @param catalog  the catalog name
 * @param mode     {@code pre-install} or {@code post-install}
 * @param devices  the devices that must change, in {@link DeviceKind} order
 * @param toVerify what the survey could not decide, in catalog order
 */
public record ChangeRequest(String siteId, String fqdn, String catalog, String mode, List<DeviceChanges> devices,
                            List<ToVerify> toVerify) {
    public ChangeRequest {
        devices = List.copyOf(devices);
        toVerify = List.copyOf(toVerify);
    }

    /** Every change, device by device. */
    public List<Change> changes() {
        return devices.stream().flatMap(d -> d.changes().stream()).toList();
    }
}
