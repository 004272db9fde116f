package dev.vantage.agent.responder;

import dev.vantage.agent.testing.NetnsLab;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Responder behaviour that needs a process of its own, in a namespace: privileged ports, open-file limit. */
class ResponderLabTest {

    private static NetnsLab lab;

    @BeforeAll
    static void buildLab() throws Exception {
        String reason = NetnsLab.unavailable();
        if (reason != null) {
            System.out.println("skipping ResponderLabTest: " + reason);
        }
        Assumptions.assumeTrue(reason == null, reason);
        lab = NetnsLab.create();
    }

    @AfterAll
    static void removeLab() {
        if (lab != null) {
            lab.close();
        }
    }

    @Test
    void explainsCapNetBindServiceWhenAPortBelow1024IsRefused() throws Exception {
        {
            NetnsLab.Finished run = lab.respondWithoutBindCapability("--tcp", "443", "--duration", "1s",
                    "--bind", lab.labAddress);
            assertThat(run.exitCode()).as(run.output()).isEqualTo(1);
            assertThat(run.output())
                    .contains("cannot listen on tcp port 443 on " + lab.labAddress + ": permission denied")
                    .contains("CAP_NET_BIND_SERVICE");
        }
    }

    @Test
    void namesTheOpenFileLimitWhenARangeNeedsMoreSocketsThanAllowed() throws Exception {
        NetnsLab.Finished run = lab.respondWrapped(List.of("prlimit", "--nofile=1024:1024"),
                "--udp", "20000-21499", "--duration", "1s", "--bind", lab.labAddress);
        assertThat(run.exitCode()).as(run.output()).isEqualTo(1);
        assertThat(run.output())
                .contains("this window needs 1500 sockets")
                .contains("the open-file limit is 1024")
                .contains("ulimit -n");
    }
}
