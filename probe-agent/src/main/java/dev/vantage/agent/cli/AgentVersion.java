package dev.vantage.agent.cli;

import org.eclipse.microprofile.config.ConfigProvider;
import picocli.CommandLine.IVersionProvider;

/** The agent's version as built, from the application configuration. */
public class AgentVersion implements IVersionProvider {

    public static String current() {
        return ConfigProvider.getConfig().getOptionalValue("quarkus.application.version", String.class).orElse("dev");
    }

    @Override
    public String[] getVersion() {
        return new String[] {"vantage-agent " + current()};
    }
}
