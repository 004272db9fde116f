package dev.vantage.wire;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/**
 * An inclusive range of ports, written {@code 5060} or {@code 30000-34999}.
 */
public record PortRange(int first, int last) implements Comparable<PortRange> {

    public PortRange {
        if (first < 1 || first > 65535) {
            throw new IllegalArgumentException("port " + first + " is out of range 1-65535");
        }
        if (last < 1 || last > 65535) {
            throw new IllegalArgumentException("port " + last + " is out of range 1-65535");
        }
        if (last < first) {
            throw new IllegalArgumentException("port range " + first + "-" + last + " ends before it starts");
        }
    }

    public static PortRange of(int port) {
        return new PortRange(port, port);
    }

    /**
     * Parses {@code 5060}, {@code 30000-34999} or {@code 5701 - 5801}.
     *
     * @throws IllegalArgumentException naming the text when it is not a port or a range
     */
    @JsonCreator
    public static PortRange parse(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("empty port range");
        }
        String t = text.strip();
        int dash = t.indexOf('-');
        try {
            if (dash < 0) {
                return of(Integer.parseInt(t));
            }
            return new PortRange(Integer.parseInt(t.substring(0, dash).strip()),
                    Integer.parseInt(t.substring(dash + 1).strip()));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + text + "' is not a port or a port range such as 5060 or 30000-34999");
        }
    }

    public int size() {
        return last - first + 1;
    }

    public boolean isSingle() {
        return first == last;
    }

    public boolean contains(int port) {
        return port >= first && port <= last;
    }

    public boolean contains(PortRange other) {
        return other.first >= first && other.last <= last;
    }

    /** True when the two ranges share at least one port. */
    public boolean overlaps(PortRange other) {
        return first <= other.last && other.first <= last;
    }

    @JsonValue
    @Override
    public String toString() {
        return isSingle() ? Integer.toString(first) : first + "-" + last;
    }

    @Override
    public int compareTo(PortRange o) {
        return first != o.first ? Integer.compare(first, o.first) : Integer.compare(last, o.last);
    }
}
