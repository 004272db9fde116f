package dev.vantage.agent.cli;

import picocli.CommandLine.Option;

/** The {@code --format table|json} option of the commands that print reports. */
public class FormatOption {

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "table",
            converter = OutputFormat.Converter.class, completionCandidates = OutputFormat.Candidates.class,
            description = "table (default) or json.")
    OutputFormat format;

    boolean json() {
        return format == OutputFormat.JSON;
    }
}
