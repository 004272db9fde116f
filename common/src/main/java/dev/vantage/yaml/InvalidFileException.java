package dev.vantage.yaml;

/**
 * A YAML file (catalog or site) that does not say what it must. The message is one line,
 * {@code <file>: <path>: <problem>}, naming the offending value and what is allowed; the parts are
 * kept apart so a caller can show them in a form or an API problem response.
 */
public abstract class InvalidFileException extends RuntimeException {
    private final String file;
    private final String path;
    private final String value;
    private final String problem;

    protected InvalidFileException(String file, String path, String value, String problem) {
        super(file + ": " + (path == null || path.isEmpty() ? "" : path + ": ") + problem);
        this.file = file;
        this.path = path;
        this.value = value;
        this.problem = problem;
    }

    /** The file name as the user gave it (or the resource name of a bundled file). */
    public String file() {
        return file;
    }

    /** Dotted field path such as {@code roles.acd-stack.addresses[1]}; empty for the whole file. */
    public String path() {
        return path;
    }

    /** The offending value as written in the file, or null when the field is missing. */
    public String value() {
        return value;
    }

    /** What is wrong and what is allowed, without the file and path. */
    public String problem() {
        return problem;
    }

    /** Builds the concrete exception type of a file kind. */
    @FunctionalInterface
    public interface Factory {
        InvalidFileException create(String file, String path, String value, String problem);
    }
}
