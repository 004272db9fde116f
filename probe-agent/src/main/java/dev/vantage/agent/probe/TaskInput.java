package dev.vantage.agent.probe;

import dev.vantage.wire.PortRange;
import dev.vantage.wire.ProbeTask;
import dev.vantage.wire.ReceiptEvidence;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;

/**
 * Reads what a task says besides its parameters (target, ports), naming the field when one is missing or
 * malformed. The parameters are read by the record of the task's kind ({@code dev.vantage.params}).
 */
final class TaskInput {
    private TaskInput() {
    }

    /** The target as written (stripped of spaces), for probes that hand a name to a protocol (SNI, Host). */
    static String target(ProbeTask task) throws MalformedTaskException {
        if (task.target() == null || task.target().isBlank()) {
            throw new MalformedTaskException("task " + task.taskId() + " has no target");
        }
        return task.target().strip();
    }

    /** The target's address, a name looked up within {@code deadline.cap(step)} ({@link NameLookup}). */
    static InetAddress address(ProbeTask task, Deadline deadline, Duration step)
            throws MalformedTaskException, UnknownHostException {
        return NameLookup.address(stripBrackets(target(task)), deadline, step);
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

    /**
     * The nonce for this run: the task's {@code nonce} parameter when given (its record has checked it),
     * otherwise the task's tag ({@link ReceiptEvidence#tagOf}: 12 hex digits derived from the task id, so a
     * responder's receipts name the task) plus 8 random ones, so answers to an earlier run of the same task are
     * not mistaken for answers to this one.
     */
    static String nonce(String given, ProbeTask task) {
        if (given != null) {
            return given;
        }
        byte[] random = new byte[4];
        new SecureRandom().nextBytes(random);
        return ReceiptEvidence.tagOf(task.taskId()) + HexFormat.of().formatHex(random);
    }
}
