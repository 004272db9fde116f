package dev.vantage.params;

import dev.vantage.wire.MalformedMessageException;
import dev.vantage.wire.ProbeKind;

/**
 * A task parameter that is unknown to its kind or has a value the kind cannot use: the task is malformed
 * and cannot run as written. A probe turns it into its {@code ERROR} result; the catalog loader and the
 * {@code probe} command turn it into an error that names the field. The message reads
 * {@code <kind> parameter <field>=<value>: <problem>}.
 */
public class MalformedParamException extends MalformedMessageException {
    private final ProbeKind kind;
    private final String field;
    private final String value;

    public MalformedParamException(ProbeKind kind, String field, String value, String problem) {
        super(kind.wireName() + " parameter " + field + (value == null ? "" : "=" + value) + ": " + problem);
        this.kind = kind;
        this.field = field;
        this.value = value;
    }

    /** The kind of the task whose parameter is malformed. */
    public ProbeKind kind() {
        return kind;
    }

    /** The parameter's wire name, e.g. {@code scheme}, or {@code timeout} for the task's timeout. */
    public String field() {
        return field;
    }

    /** The offending value as written; null when the parameter is missing. */
    public String value() {
        return value;
    }
}
