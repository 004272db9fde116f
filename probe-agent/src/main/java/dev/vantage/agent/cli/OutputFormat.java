package dev.vantage.agent.cli;

import io.quarkus.runtime.annotations.RegisterForReflection;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

import java.util.Iterator;
import java.util.List;

/** How a command prints: a table for people or JSON for scripts. */
public enum OutputFormat {
    TABLE, JSON;

    /** Reads {@code table} or {@code json}. */
    @RegisterForReflection
    public static class Converter implements ITypeConverter<OutputFormat> {
        @Override
        public OutputFormat convert(String value) {
            return switch (value) {
                case "table" -> TABLE;
                case "json" -> JSON;
                default -> throw new TypeConversionException("'" + value + "' is not a format, expected table or json");
            };
        }
    }

    /** The values for --help and shell completion. */
    @RegisterForReflection
    public static class Candidates implements Iterable<String> {
        @Override
        public Iterator<String> iterator() {
            return List.of("table", "json").iterator();
        }
    }
}
