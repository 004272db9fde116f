package dev.vantage.agent.cli;

import dev.vantage.catalog.Mode;
import io.quarkus.runtime.annotations.RegisterForReflection;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

import java.util.Iterator;
import java.util.List;

/** Reads {@code pre-install} or {@code post-install}. */
@RegisterForReflection
public class ModeConverter implements ITypeConverter<Mode> {
    @Override
    public Mode convert(String value) {
        for (Mode m : Mode.values()) {
            if (m.wireName().equals(value)) {
                return m;
            }
        }
        throw new TypeConversionException("'" + value + "' is not a mode, expected pre-install or post-install");
    }

    /** The values for --help and shell completion. */
    @RegisterForReflection
    public static class Candidates implements Iterable<String> {
        @Override
        public Iterator<String> iterator() {
            return List.of("pre-install", "post-install").iterator();
        }
    }
}
