package dev.vantage.site;

import dev.vantage.yaml.InvalidFileException;

/**
 * A site file that cannot be used. The message is one line, {@code <file>: <path>: <problem>}, and
 * names the offending value and what is allowed; {@link #file()}, {@link #path()} and {@link #value()}
 * carry the parts.
 */
public class SiteFileException extends InvalidFileException {
    public SiteFileException(String file, String path, String value, String problem) {
        super(file, path, value, problem);
    }
}
