package dev.vantage.agent.cli;

import io.quarkus.picocli.runtime.annotations.TopCommand;
import picocli.CommandLine.Command;

/**
 * The {@code vantage-agent} command. Subcommands do the work; without one it prints the usage.
 */
@TopCommand
@Command(name = "vantage-agent",
        mixinStandardHelpOptions = true,
        versionProvider = AgentVersion.class,
        description = {
                "Vantage probe agent: proves the network requirements of a jtel Container Stack site from where it "
                        + "runs (its vantage), alone ('check') or as part of a coordinated survey ('run')."},
        subcommands = {CatalogCommand.class, PlanCommand.class, CheckCommand.class, ProbeCommand.class, RespondCommand.class,
                RunCommand.class})
public class VantageAgentCommand implements Runnable {

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }
}
