package dev.vantage.wire;

/**
 * A message that cannot be read as what it claims to be: not JSON, a wrong schema version, a
 * missing field. This is about the message, never about the network the message describes; a
 * probe that observed a failing network produces a well-formed result with that outcome.
 */
public class MalformedMessageException extends RuntimeException {
    private final String reason;

    public MalformedMessageException(String reason, Throwable cause) {
        super(reason, cause);
        this.reason = reason;
    }

    public MalformedMessageException(String reason) {
        this(reason, null);
    }

    /** Short reason fit for a dead-letter header or a refusal result. */
    public String reason() {
        return reason;
    }
}
