package dev.vantage.catalog;

import dev.vantage.yaml.InvalidFileException;

/** A catalog file that cannot be used; the message names the file, the field path and the value. */
public class CatalogException extends InvalidFileException {
    public CatalogException(String file, String path, String value, String problem) {
        super(file, path, value, problem);
    }
}
