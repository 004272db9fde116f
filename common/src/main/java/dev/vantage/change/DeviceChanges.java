package dev.vantage.change;

import java.util.List;

/** The changes one device must make, in the order the requirements they serve appear in the catalog. */
public record DeviceChanges(Device device, List<Change> changes) {
    public DeviceChanges {
        changes = List.copyOf(changes);
    }
}
