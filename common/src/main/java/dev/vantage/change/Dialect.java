package dev.vantage.change;

import java.util.Optional;

/**
 * A device language: turns a vendor-neutral {@link Change} into the configuration of one kind of device. A dialect
 * covers the devices and change kinds it can express exactly and says nothing about the rest (those stay in words).
 * {@link Nftables} is the first; a dialect for another vendor is one more implementation given to {@link
 * ChangeRequests}.
 */
public interface Dialect {

    /** The name the snippets are filed under in {@link Change#snippets()}, e.g. {@code nftables}. */
    String name();

    /** The configuration that makes the change on the device, or empty when this dialect cannot express it. */
    Optional<String> render(Device device, Change change);
}
