package dev.vantage.system;

import org.junit.jupiter.api.Test;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The lab keeps the stack's ports in one table ({@code deploy/lab/lab ports}); its README shows the same table, and
 * scenarios change the default port forwards by adding and taking out ports rather than repeating the lists.
 * {@code lab ports} and {@code lab forwards} only read files: no root, no namespaces.
 */
class LabPortsTest {
    private static final Path TOP = Path.of("..").toAbsolutePath().normalize();

    @Test
    void theReadmeShowsThePortTableOfTheScript() throws Exception {
        String table = lab("ports");
        assertThat(table).startsWith("| proto | ports | forward | service | what |").contains("| udp | 30000-34999 | internet |");
        assertThat(Files.readString(TOP.resolve("deploy/lab/README.md"))).as("deploy/lab/README.md shows `lab ports`")
                .contains(table);
    }

    @Test
    void theDefaultForwardsAreTheInternetAndSupportRows() throws Exception {
        assertThat(lab("forwards", "correct").lines()).containsExactly(
                "forward-tcp 443,3000,3003,5060,5061,15060",
                "forward-udp 5060,15000-15059,15060,30000-34999",
                "forward-support-tcp 22,443,7777");
    }

    @Test
    void scenariosAddPortsToTheDefaultForwardsAndTakeThemOut() throws Exception {
        assertThat(lab("forwards", "haproxy-exposed")).contains("forward-tcp 443,3000,3003,5060,5061,15060,7777\n");
        assertThat(lab("forwards", "sips-not-forwarded")).contains("forward-tcp 443,3000,3003,5060,15060\n");
        assertThat(lab("forwards", "rtp-partial")).contains("forward-udp 5060,15000-15059,15060,30000-31999\n");
        Path file = scenario("forward-udp -30500,31000-31999,34999", "forward-tcp +443,8080", "forward-support-tcp 22");
        assertThat(lab("forwards", file.toString()).lines()).containsExactly(
                "forward-tcp 3000,3003,5060,5061,15060,443,8080",
                "forward-udp 5060,15000-15059,15060,30000-30499,30501-30999,32000-34998",
                "forward-support-tcp 22");
    }

    @Test
    void aPortOutOfRangeIsAUsageErrorNamingTheLine() throws Exception {
        Path file = scenario("mode pre-install", "forward-tcp +70000");
        Process p = new ProcessBuilder(TOP.resolve("deploy/lab/lab").toString(), "forwards", file.toString())
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).isEqualTo(2);
        assertThat(err).contains(file + ":3: '70000' is not a port (1-65535)");
    }

    private static Path scenario(String... lines) throws IOException {
        Path file = Files.createTempFile("ports", ".scenario");
        Files.write(file, Stream.concat(Stream.of("# a scenario of LabPortsTest"), Stream.of(lines)).toList());
        return file;
    }

    private static String lab(String... args) throws IOException, InterruptedException {
        List<String> command = Stream.concat(Stream.of(TOP.resolve("deploy/lab/lab").toString()), Stream.of(args)).toList();
        Path err = Files.createTempFile("lab", ".err");
        Process p = new ProcessBuilder(command).redirectError(err.toFile()).redirectInput(new File("/dev/null")).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).as("%s finished", command).isTrue();
        assertThat(p.exitValue()).as("exit code of %s; stderr: %s", command, Files.readString(err)).isZero();
        Files.delete(err);
        return out;
    }
}
