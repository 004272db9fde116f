package dev.vantage.agent.testing;

import dev.vantage.agent.cli.RespondCommand;
import picocli.CommandLine;

/** Runs {@code respond} without Quarkus, for a responder process inside a lab namespace. */
public final class ResponderMain {
    private ResponderMain() {
    }

    public static void main(String[] args) {
        System.exit(new CommandLine(new RespondCommand()).execute(args));
    }
}
