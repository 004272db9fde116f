package dev.vantage.system;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every script in deploy/ explains itself: {@code --help} and {@code -h} print a usage text (what it does, its
 * commands and options, the environment it reads, its exit codes, an example) and exit 0; an unknown option is
 * named in one line with a hint to {@code --help} and exit code 2. Nothing here starts a service or needs root.
 */
class ScriptHelpTest {
    static final Path TOP = Path.of("..").toAbsolutePath().normalize();

    /** The executable scripts under deploy/ (sourced files such as lib.sh are not run). */
    static Stream<String> scripts() throws IOException {
        try (Stream<Path> files = Files.walk(TOP.resolve("deploy"))) {
            List<String> scripts = files.filter(Files::isRegularFile).filter(Files::isExecutable)
                    .map(f -> TOP.relativize(f).toString()).filter(f -> !f.contains("/target/")).sorted().toList();
            assertThat(scripts).as("the scripts in deploy/").hasSizeGreaterThanOrEqualTo(9);
            return scripts.stream();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("scripts")
    void helpPrintsTheUsageTextAndNoShellCode(String script) throws Exception {
        Set<String> code = codeLines(TOP.resolve(script));
        for (String flag : List.of("--help", "-h")) {
            Run run = Run.of(script, flag);
            assertThat(run.exit).as("%s %s exits 0; stderr: %s", script, flag, run.err).isZero();
            List<String> codeInHelp = run.out.lines().map(String::strip).filter(code::contains).toList();
            assertThat(codeInHelp).as("lines of shell code in the help of %s", script).isEmpty();
            assertThat(run.out).as("%s %s", script, flag)
                    .contains("Usage: " + script, "Options:", "Environment:", "Exit codes:", "Example");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("scripts")
    void anUnknownOptionIsNamedInOneLineWithExitCode2(String script) throws Exception {
        Run run = Run.of(script, "--no-such-option");
        assertThat(run.exit).as("exit code of %s --no-such-option; stderr: %s", script, run.err).isEqualTo(2);
        assertThat(run.out).isEmpty();
        assertThat(run.err.lines().toList()).as("stderr of %s --no-such-option", script).singleElement().asString()
                .contains("unknown option '--no-such-option'").contains("--help");
    }

    @org.junit.jupiter.api.Test
    void labApplyChangesNamesAFileThatIsNoChangeRequestBeforeItNeedsALab() throws Exception {
        assertThat(Run.of("deploy/lab/lab", "--help").out).contains("apply-changes FILE");
        Run missing = Run.of("deploy/lab/lab", "apply-changes", "no-such-change-request.json");
        assertThat(missing.exit).isEqualTo(2);
        assertThat(missing.err.lines().toList()).singleElement().asString()
                .contains("cannot read 'no-such-change-request.json'").contains("--help");
        Path notOne = Files.createTempFile("not-a-change-request", ".json");
        Files.writeString(notOne, "{\"verdicts\": []}");
        Run wrong = Run.of("deploy/lab/lab", "apply-changes", notOne.toString());
        Files.delete(notOne);
        assertThat(wrong.exit).isEqualTo(2);
        assertThat(wrong.err).contains("is not a change request");
    }

    /** The lines of the script that are neither comments nor blank (nor too short to tell apart from prose). */
    private static Set<String> codeLines(Path script) throws IOException {
        return Files.readAllLines(script).stream().map(String::strip)
                .filter(l -> !l.isEmpty() && !l.startsWith("#") && l.length() > 4).collect(Collectors.toSet());
    }

    private record Run(int exit, String out, String err) {
        static Run of(String script, String... args) throws IOException, InterruptedException {
            List<String> command = Stream.concat(Stream.of(TOP.resolve(script).toString()), Arrays.stream(args)).toList();
            Path out = Files.createTempFile("script-help", ".out");
            Path err = Files.createTempFile("script-help", ".err");
            Process p = new ProcessBuilder(command).directory(TOP.toFile()).redirectInput(ProcessBuilder.Redirect.from(
                    new File("/dev/null"))).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            boolean finished = p.waitFor(30, TimeUnit.SECONDS);
            if (!finished) {
                p.destroyForcibly().waitFor();
            }
            Run run = new Run(finished ? p.exitValue() : -1, Files.readString(out, StandardCharsets.UTF_8),
                    Files.readString(err, StandardCharsets.UTF_8));
            Files.delete(out);
            Files.delete(err);
            assertThat(finished).as("%s finished within 30 s; stderr: %s", command, run.err).isTrue();
            return run;
        }
    }
}
