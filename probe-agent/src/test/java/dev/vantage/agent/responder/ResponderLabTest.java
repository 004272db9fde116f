package dev.vantage.agent.responder;

import dev.vantage.agent.testing.NetnsLab;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Responder behaviour that needs a namespace of its own: the kernel's privileged-port rule. */
class ResponderLabTest {

    @Test
    void explainsCapNetBindServiceWhenAPortBelow1024IsRefused() throws Exception {
        String reason = NetnsLab.unavailable();
        if (reason != null) {
            System.out.println("skipping ResponderLabTest: " + reason);
        }
        Assumptions.assumeTrue(reason == null, reason);
        try (NetnsLab lab = NetnsLab.create()) {
            NetnsLab.Finished run = lab.respondWithoutBindCapability("--tcp", "443", "--duration", "1s",
                    "--bind", lab.labAddress);
            assertThat(run.exitCode()).as(run.output()).isEqualTo(1);
            assertThat(run.output())
                    .contains("cannot listen on tcp port 443 on " + lab.labAddress + ": permission denied")
                    .contains("CAP_NET_BIND_SERVICE");
        }
    }
}
