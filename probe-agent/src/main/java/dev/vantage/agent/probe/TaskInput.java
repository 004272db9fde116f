package dev.vantage.agent.probe;

import dev.vantage.agent.responder.EchoDatagram;
import dev.vantage.wire.PortRange;
import dev.vantage.wire.ProbeTask;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;

/** Reads the typed inputs of a task, naming the field when one is missing or malformed. */
public final class TaskInput {
    private static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(2);

    private TaskInput() {
    }

    /** The target as written (stripped of spaces), for probes that hand a name to a protocol (SNI, Host). */
    static String target(ProbeTask task) throws MalformedTaskException {
        if (task.target() == null || task.target().isBlank()) {
            throw new MalformedTaskException("task " + task.taskId() + " has no target");
        }
        return task.target().strip();
    }

    static InetAddress address(ProbeTask task) throws MalformedTaskException, UnknownHostException {
        return InetAddress.getByName(stripBrackets(target(task)));
    }

    /** The summary of a task whose target name did not resolve. */
    static String unresolved(String kind, ProbeTask task, UnknownHostException e) {
        return kind + " " + task.target() + ": cannot resolve the name (" + e.getMessage() + ")";
    }

    static String stripBrackets(String host) {
        return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    }

    static int singlePort(ProbeTask task) throws MalformedTaskException {
        PortRange ports = task.ports();
        if (ports == null) {
            throw new MalformedTaskException("task " + task.taskId() + " has no ports; a " + task.kind().wireName()
                    + " probe needs one port");
        }
        if (!ports.isSingle()) {
            throw new MalformedTaskException("task " + task.taskId() + " has ports " + ports + "; a "
                    + task.kind().wireName() + " probe takes one port (use " + task.kind().wireName() + "-range)");
        }
        return ports.first();
    }

    /** The first port of the task, or {@code fallback} (the protocol's well-known port) when none is given. */
    static int port(ProbeTask task, int fallback) {
        return task.ports() == null ? fallback : task.ports().first();
    }

    static PortRange range(ProbeTask task) throws MalformedTaskException {
        if (task.ports() == null) {
            throw new MalformedTaskException("task " + task.taskId() + " has no ports; a " + task.kind().wireName()
                    + " probe needs a port range such as 30000-34999");
        }
        return task.ports();
    }

    static Duration timeout(ProbeTask task) throws MalformedTaskException {
        return timeout(task, DEFAULT_TIMEOUT);
    }

    static Duration timeout(ProbeTask task, Duration fallback) throws MalformedTaskException {
        Duration timeout = task.timeout() == null ? fallback : task.timeout();
        if (timeout.isNegative() || timeout.isZero()) {
            throw new MalformedTaskException("task " + task.taskId() + " has timeout " + timeout + "; it must be positive");
        }
        return timeout;
    }

    static int intParam(ProbeTask task, String name, int fallback, int min, int max) throws MalformedTaskException {
        String text = task.params().get(name);
        if (text == null) {
            return fallback;
        }
        try {
            int value = Integer.parseInt(text.strip());
            if (value < min || value > max) {
                throw new MalformedTaskException(named(name, text) + " is out of range " + min + "-" + max);
            }
            return value;
        } catch (NumberFormatException e) {
            throw new MalformedTaskException(named(name, text) + " is not a whole number");
        }
    }

    static double doubleParam(ProbeTask task, String name, double fallback) throws MalformedTaskException {
        String text = task.params().get(name);
        if (text == null) {
            return fallback;
        }
        try {
            double value = Double.parseDouble(text.strip());
            if (Double.isNaN(value) || value < 0) {
                throw new MalformedTaskException(named(name, text) + " must be a number >= 0");
            }
            return value;
        } catch (NumberFormatException e) {
            throw new MalformedTaskException(named(name, text) + " is not a number");
        }
    }

    static boolean flag(ProbeTask task, String name) {
        return flag(task, name, false);
    }

    /** {@code true} only for the text true (any case); absent means {@code fallback}. */
    static boolean flag(ProbeTask task, String name, boolean fallback) {
        String text = task.params().get(name);
        return text == null ? fallback : "true".equalsIgnoreCase(text.strip());
    }

    /**
     * One of {@code allowed} (compared ignoring case, returned as spelled there), or {@code fallback}
     * when the parameter is absent.
     */
    static String choice(ProbeTask task, String name, String fallback, List<String> allowed)
            throws MalformedTaskException {
        String text = task.params().get(name);
        if (text == null) {
            return fallback;
        }
        for (String a : allowed) {
            if (a.equalsIgnoreCase(text.strip())) {
                return a;
            }
        }
        throw new MalformedTaskException(named(name, text) + ": expected one of " + String.join(", ", allowed)
                + ", not '" + text + "'");
    }

    /** How a parameter is named in an error: {@code parameter concurrency=0}. */
    static String named(String name, String text) {
        return "parameter " + name + "=" + text;
    }

    static Duration durationParam(ProbeTask task, String name, Duration fallback) throws MalformedTaskException {
        String text = task.params().get(name);
        if (text == null) {
            return fallback;
        }
        try {
            return parseDuration(text);
        } catch (IllegalArgumentException e) {
            throw new MalformedTaskException(named(name, text) + ": " + e.getMessage());
        }
    }

    /**
     * Parses {@code 500ms}, {@code 5s}, {@code 2m}, {@code 1h} or ISO-8601 ({@code PT5S}).
     *
     * @throws IllegalArgumentException naming the text when it is none of these or not positive
     */
    public static Duration parseDuration(String text) {
        String t = text == null ? "" : text.strip().toLowerCase(Locale.ROOT);
        Duration d;
        try {
            if (t.startsWith("pt") || t.startsWith("p")) {
                d = Duration.parse(t.toUpperCase(Locale.ROOT));
            } else if (t.endsWith("ms")) {
                d = Duration.ofMillis(Long.parseLong(t.substring(0, t.length() - 2)));
            } else if (t.endsWith("s")) {
                d = Duration.ofMillis(Math.round(Double.parseDouble(t.substring(0, t.length() - 1)) * 1000));
            } else if (t.endsWith("m")) {
                d = Duration.ofSeconds(Long.parseLong(t.substring(0, t.length() - 1)) * 60);
            } else if (t.endsWith("h")) {
                d = Duration.ofHours(Long.parseLong(t.substring(0, t.length() - 1)));
            } else {
                throw new IllegalArgumentException("'" + text + "' is not a duration such as 500ms, 5s, 2m or PT5S");
            }
        } catch (NumberFormatException | java.time.format.DateTimeParseException e) {
            throw new IllegalArgumentException("'" + text + "' is not a duration such as 500ms, 5s, 2m or PT5S");
        }
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException("duration '" + text + "' must be positive");
        }
        return d;
    }

    /**
     * The nonce for this run: the task's {@code nonce} parameter when given, otherwise 12 hex digits
     * derived from the task id plus 8 random ones, so answers to an earlier run of the same task are
     * not mistaken for answers to this one.
     */
    static String nonce(ProbeTask task) throws MalformedTaskException {
        String given = task.params().get("nonce");
        if (given != null) {
            if (!EchoDatagram.isValidNonce(given)) {
                throw new MalformedTaskException(named("nonce", given) + " must be " + EchoDatagram.MIN_NONCE + "-"
                        + EchoDatagram.MAX_NONCE + " characters of [0-9A-Za-z._-]");
            }
            return given;
        }
        HexFormat hex = HexFormat.of();
        byte[] random = new byte[4];
        new SecureRandom().nextBytes(random);
        String id = task.taskId() == null ? "" : task.taskId();
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(id.getBytes(StandardCharsets.UTF_8));
            return hex.formatHex(digest, 0, 6) + hex.formatHex(random);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every Java runtime", e);
        }
    }
}
