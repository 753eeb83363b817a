package dev.ordo.compose;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The real {@code docker-compose}: CI installs it (scripts/ensure-docker.sh); a local run without it skips, a CI run
 * fails.
 *
 * <pre>{@code
 * DockerComposeCli.assertAccepts(Path.of("exported.yml"), Map.of());
 * }</pre>
 */
public final class DockerComposeCli {
    private DockerComposeCli() {
    }

    /** Asserts that {@code docker-compose config -q} accepts {@code file} with {@code env} set. */
    public static void assertAccepts(Path file, Map<String, String> env) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder("docker-compose", "-f", file.toString(), "config", "-q")
                .directory(file.getParent().toFile()).redirectErrorStream(true);
        pb.environment().putAll(env);
        Process p;
        try {
            p = pb.start();
        } catch (IOException notInstalled) {
            String msg = "docker-compose is not installed (scripts/ensure-docker.sh installs it)";
            if ("true".equals(System.getenv("CI"))) {
                fail("CI=true requires the real docker-compose to check exported files: " + msg);
            }
            org.junit.jupiter.api.Assumptions.abort(msg);
            return;
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as("docker-compose config of\n" + Files.readString(file) + "\nsaid:\n" + out)
                .isZero();
    }
}
