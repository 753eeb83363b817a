package dev.ordo.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The install path a user follows, for real: {@code scripts/install-ordo.sh PREFIX} with the jar this build
 * packaged (ORDO_JAR; building it is Maven's part), then the installed {@code PREFIX/bin/ordo} run from another
 * directory, and {@code scripts/ordo}, which runs the built jar.
 */
class InstallScriptIT {
    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final Path JAR = Path.of("target", "ordo.jar").toAbsolutePath();

    @TempDir
    Path dir;

    private record Result(int code, String output) {
    }

    private Result run(Path cwd, Map<String, String> env, String... command) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(command).directory(cwd.toFile()).redirectErrorStream(true);
        pb.environment().putAll(env);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).as(String.join(" ", command)).isTrue();
        return new Result(p.exitValue(), out);
    }

    @Test
    void theScriptInstallsALauncherThatRunsFromAnyDirectory() throws Exception {
        assertThat(JAR).as("the packaged runner; mvn -pl cli package builds it").exists();
        Path prefix = dir.resolve("prefix");
        Result install = run(dir, Map.of("ORDO_JAR", JAR.toString()), "bash",
                ROOT.resolve("scripts/install-ordo.sh").toString(), prefix.toString());
        assertThat(install.code()).as(install.output()).isEqualTo(0);
        assertThat(install.output()).contains("installed " + prefix.resolve("bin/ordo") + " (ordo 0.1.0)",
                "add " + prefix.resolve("bin") + " to PATH");
        Path ordo = prefix.resolve("bin/ordo");
        assertThat(Files.isExecutable(ordo)).isTrue();
        assertThat(prefix.resolve("lib/ordo/ordo.jar")).hasSameBinaryContentAs(JAR);

        // a relative -f is read from where ordo runs, not from where it is installed
        Path project = Files.createDirectories(dir.resolve("shop"));
        Files.writeString(project.resolve("compose.yaml"), """
                services:
                  db:
                    image: postgres:16
                  api:
                    image: shop/api:1
                    depends_on: [db]
                """);
        Result plan = run(project, Map.of(), ordo.toString(), "plan", "-f", "compose.yaml", "--format", "dot");
        assertThat(plan.code()).as(plan.output()).isEqualTo(0);
        assertThat(plan.output()).contains("\"db\" -> \"api\"");
        Result demo = run(dir, Map.of(), ordo.toString(), "demo", "--type", "base");
        assertThat(demo.code()).as(demo.output()).isEqualTo(0);
        assertThat(demo.output()).contains("up of 'clp' on simulated: succeeded");
        Result bad = run(dir, Map.of(), ordo.toString(), "up", "--timeout", "soon");
        assertThat(bad.code()).isEqualTo(2);
        assertThat(bad.output()).contains("--timeout: 'soon' is not a duration");
    }

    @Test
    void aRelativePrefixIsMadeAbsoluteAndAReinstallReplacesTheJar() throws Exception {
        Result first = run(dir, Map.of("ORDO_JAR", JAR.toString()), "bash",
                ROOT.resolve("scripts/install-ordo.sh").toString(), "rel");
        assertThat(first.code()).as(first.output()).isEqualTo(0);
        String launcher = Files.readString(dir.resolve("rel/bin/ordo"));
        assertThat(launcher).contains(dir.resolve("rel/lib/ordo/ordo.jar").toString());
        Result again = run(dir, Map.of("ORDO_JAR", JAR.toString()), "bash",
                ROOT.resolve("scripts/install-ordo.sh").toString(), "rel");
        assertThat(again.code()).as(again.output()).isEqualTo(0);
        List<String> left = new ArrayList<>();
        try (var files = Files.list(dir.resolve("rel/lib/ordo"))) {
            files.forEach(f -> left.add(f.getFileName().toString()));
        }
        assertThat(left).containsExactly("ordo.jar");
        Result missing = run(dir, Map.of("ORDO_JAR", dir.resolve("nope.jar").toString()), "bash",
                ROOT.resolve("scripts/install-ordo.sh").toString(), "rel");
        assertThat(missing.code()).isEqualTo(1);
        assertThat(missing.output()).contains("nope.jar does not exist");
    }

    @Test
    void scriptsOrdoRunsTheBuiltJar() throws Exception {
        Result version = run(dir, Map.of(), "bash", ROOT.resolve("scripts/ordo").toString(), "--version");
        assertThat(version.code()).as(version.output()).isEqualTo(0);
        assertThat(version.output()).contains("ordo 0.1.0");
    }
}
