package dev.vantage.system;

import org.junit.jupiter.api.Test;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * shellcheck finds nothing in the shell scripts of deploy/ and in .ci/run: run as part of the Maven build, so CI
 * checks the scripts without a step of its own. Its settings for deploy/ are in deploy/.shellcheckrc (follow
 * sourced files), which an editor's shellcheck reads as well. Skipped, with the reason printed, when shellcheck is
 * not installed (Debian package shellcheck, listed in .ci/packages).
 */
class ShellcheckTest {
    private static final Path TOP = Path.of("..").toAbsolutePath().normalize();
    private static final Pattern SHELL = Pattern.compile("^#!\\s*/(usr/)?bin/(env\\s+)?(ba|da)?sh\\b.*");

    @Test
    void theShellScriptsHaveNoFindings() throws Exception {
        boolean installed = onPath("shellcheck");
        if (!installed) {
            System.out.println("SKIP shellcheck of deploy/ and .ci/run: shellcheck is not installed (Debian package "
                    + "shellcheck, see .ci/packages)");
        }
        assumeTrue(installed, "shellcheck is not installed (Debian package shellcheck, see .ci/packages)");
        List<String> scripts = shellScripts();
        assertThat(scripts).as("the shell scripts found").contains("deploy/lab/lab", "deploy/local/demo",
                "deploy/local/lib.sh", ".ci/run");

        Path output = Files.createTempFile("shellcheck", ".out");
        Process p = new ProcessBuilder(Stream.concat(Stream.of("shellcheck", "--color=never"), scripts.stream()).toList())
                .directory(TOP.toFile()).redirectErrorStream(true).redirectOutput(output.toFile()).start();
        assertThat(p.waitFor(5, TimeUnit.MINUTES)).as("shellcheck finished within 5 minutes").isTrue();
        String findings = Files.readString(output, StandardCharsets.UTF_8);
        Files.delete(output);
        assertThat(p.exitValue()).as("shellcheck %s found:%n%s", String.join(" ", scripts), findings).isZero();
    }

    /** Every file under deploy/ that is a shell script by its name or its first line, and .ci/run. */
    private static List<String> shellScripts() throws IOException {
        try (Stream<Path> files = Files.walk(TOP.resolve("deploy"))) {
            List<String> deploy = files.filter(Files::isRegularFile).filter(f -> !TOP.relativize(f).toString().contains("/target/"))
                    .filter(ShellcheckTest::isShellScript).map(f -> TOP.relativize(f).toString()).sorted().toList();
            return Stream.concat(deploy.stream(), Stream.of(".ci/run")).toList();
        }
    }

    private static boolean isShellScript(Path file) {
        if (file.getFileName().toString().endsWith(".sh")) {
            return true;
        }
        try (var lines = Files.newBufferedReader(file, StandardCharsets.ISO_8859_1)) {
            String first = lines.readLine();
            return first != null && SHELL.matcher(first).matches();
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    private static boolean onPath(String command) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            if (new File(dir, command).canExecute()) {
                return true;
            }
        }
        return false;
    }
}
