package dev.vantage.agent.probe;

/**
 * A task that cannot be run as written (missing port, bad parameter). Probes turn it into an
 * {@code ERROR} result that names the field; it never leaves {@link Probe#run}.
 */
public class MalformedTaskException extends Exception {
    public MalformedTaskException(String message) {
        super(message);
    }
}
