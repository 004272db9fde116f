package dev.vantage.agent.testing;

import dev.vantage.agent.transport.AgentKafkaConfig;
import dev.vantage.agent.transport.TaskInbox;

import java.time.Duration;

/** An agent's task inbox in a process of its own ({@code <bootstrap> <site> <agent id>}), polling until it is killed. */
public final class InboxMain {
    private InboxMain() {
    }

    public static void main(String[] args) {
        try (TaskInbox inbox = new TaskInbox(AgentKafkaConfig.plaintext(args[0]), args[1], args[2])) {
            while (true) {
                inbox.poll(Duration.ofMillis(200));
            }
        }
    }
}
